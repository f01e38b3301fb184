"""The local terms a first-time exporter meets, each explained in a few plain words: the public
page /help/terms, which the exporter's forms link to by each term's id.

The names follow docs/glossary.md, the official names of the authorities and documents.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    """A term: its id (the page's anchor), its name and what it means."""

    id: str
    name: object
    meaning: object


TERMS = (
    Term("bin", _l("BIN (business identification number)"), _l(
        "The 12-digit number of your enterprise in Kazakhstan, written on its state "
        "registration certificate. You give it once, when you register the enterprise; its "
        "last digit is a check digit, so a mistyped BIN is refused.")),
    Term("establishment", _l("Establishment"), _l(
        "The place where the products are grown, made, processed or stored: a plant, an "
        "elevator, a farm, a cold store. China registers establishments, not enterprises: an "
        "enterprise with two elevators applies for each of them.")),
    Term("gacc", _l("GACC (General Administration of Customs of China)"), _l(
        "China's customs authority. It registers the overseas establishments allowed to export "
        "food and feed to China, and decides on the establishments the Kazakh authority "
        "recommends.")),
    Term("gacc-category", _l("GACC product category"), _l(
        "The group of products GACC registers an establishment for, such as Edible grains or "
        "Meat and meat products. A registration, and so an application, covers one "
        "establishment and one category. Choose the category first: it decides the products "
        "you can add and the documents you upload.")),
    Term("hs-code", _l("HS code"), _l(
        "The customs code of a product in the Harmonized System; in Kazakhstan these are the "
        "first digits of the EAEU commodity nomenclature (CN of FEA). Wheat is 1001. The "
        "first four digits are enough to find a product here.")),
    Term("registration-number", _l("China registration number (GACC number, CIFER)"), _l(
        "The number GACC gives a registered establishment. It appears in GACC's published "
        "lists and in CIFER, GACC's online system for registering overseas food "
        "manufacturers, and is written on export documents. certtrack records it when GACC "
        "registers the establishment.")),
    Term("committees", _l("Committees of the Ministry of Agriculture"), _l(
        "Two committees of the Ministry of Agriculture of the Republic of Kazakhstan work the "
        "applications: the Committee of State Inspection in the Agro-Industrial Complex for "
        "grain, flour, oilseeds and feed, and the Committee of Veterinary Control and "
        "Supervision for meat, dairy products and honey. The GACC category decides which one "
        "works your application.")),
    Term("regional-inspection", _l("Regional (territorial) inspection"), _l(
        "A committee's office in your region. Its inspectors check your application, inspect "
        "the establishment and issue the certificates for your consignments.")),
    Term("phytosanitary-certificate", _l("Phytosanitary certificate"), _l(
        "The certificate the phytosanitary inspection issues for each consignment of plant "
        "products (grain, flour, oilseeds, feed): the goods were inspected and are free of "
        "the pests China names, with the declarations its protocol requires.")),
    Term("veterinary-certificate", _l("Veterinary certificate"), _l(
        "The certificate the veterinary inspection issues for each consignment of animal "
        "products (meat, dairy products, honey): the animals and the products meet China's "
        "veterinary requirements.")),
    Term("sps", _l("SPS (sanitary and phytosanitary measures)"), _l(
        "The rules a country sets to protect people, animals and plants from diseases, pests "
        "and contaminants carried by food and farm goods (the WTO SPS Agreement). China's SPS "
        "requirements are what the inspections, the laboratory tests and the certificates "
        "check.")),
    Term("protocol", _l("Protocol (market access)"), _l(
        "An agreement between Kazakhstan and China on the requirements for a product. Without "
        "a protocol in force China does not accept the product, whatever the registration.")),
    Term("decree-248", _l("GACC Decree 248 and Order 280"), _l(
        "China's regulations on registering overseas manufacturers of imported food. Decree "
        "248 applies from 1 January 2022; Order 280 replaces it from 1 June 2026. A "
        "registration is valid for five years and is then renewed.")),
    Term("haccp", _l("HACCP"), _l(
        "Hazard Analysis and Critical Control Points: a food-safety system that finds the "
        "hazards of production and controls them at critical points. The questionnaire asks "
        "whether your establishment has a HACCP plan or certificate.")),
)
