"""Factories for consignments: a registration in force and a consignment request through the
services, up to any state."""

from datetime import timedelta
from decimal import Decimal

from certtrack.extensions import db
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts, inspection
from certtrack.services.consignments.inputs import (
    ConsignmentInput,
    InspectionInput,
    LabResultInput,
    LotInput,
    TreatmentInput,
)

from factories import make_registration, make_user

CONSIGNEE = {"consignee_name": "Xinjiang Grain Import Co., Ltd. 新疆粮食进口有限公司",
             "consignee_address": "Urumqi, Xinjiang, China 乌鲁木齐"}


def header(registration, **changes) -> ConsignmentInput:
    """A complete consignment header under the registration (wheat by rail via Dostyk)."""
    values = {"registration_id": registration.id, **CONSIGNEE, "conveyance": "rail_wagon",
              "crossing_code": "dostyk_alashankou", "origin_region_code": "KZ-11",
              "place_of_origin": "Kokshetau district"}
    values.update(changes)
    return ConsignmentInput(**values)


WHEAT_LOT = LotInput(product_code="wheat", net_weight=Decimal("65.500"),
                     gross_weight=Decimal("65.700"), weight_unit="t", packages_number=1,
                     packages_kind="bulk", marks="Wagon 95123451, seal KZ 778812")
BEEF_LOT = LotInput(product_code="beef_frozen", net_weight=Decimal("18000"),
                    gross_weight=Decimal("19250"), weight_unit="kg", packages_number=720,
                    packages_kind="cartons", marks="Container MSKU 1234565, seal 004512")
HONEY_LOT = LotInput(product_code="honey", net_weight=Decimal("9600"),
                     gross_weight=Decimal("10400"), weight_unit="kg", packages_number=40,
                     packages_kind="drums", marks="Container TGHU 8812348, seal 117703")
CHILLED_BEEF_LOT = LotInput(product_code="beef_chilled", net_weight=Decimal("18000"),
                            gross_weight=Decimal("19250"), weight_unit="kg",
                            packages_number=720, packages_kind="cartons",
                            marks="Container MSKU 1234565, seal 004512")
# The veterinary products a consignment may carry here: (GACC category, lot).
VET_PRODUCTS = {"beef_frozen": ("meat", BEEF_LOT), "honey": ("bee_products", HONEY_LOT),
                "beef_chilled": ("meat", CHILLED_BEEF_LOT)}


def listed_in_english(establishment) -> None:
    """The establishment's name and address in English, which its certificates print (as
    GACC listed it: set directly, not as a change waiting for the registrar)."""
    establishment.name_en = establishment.name_en or "Kokshetau elevator"
    establishment.address_en = establishment.address_en or "Kokshetau, Elevator 2"
    db.session.commit()


def make_consignment(kind: str = "phyto", *, submit: bool = True, registrar=None,
                     region: str = "KZ-11", origin: str | None = None,
                     product: str = "beef_frozen"):
    """A registration in force and a consignment under it, submitted unless told otherwise:
    (exporter, inspector, registration, consignment). The inspector is of the committee and
    region. `product`: of a veterinary consignment, a key of VET_PRODUCTS."""
    registrar = registrar or make_user("registrar")
    meat = kind == "vet"
    category, lot = VET_PRODUCTS[product] if meat else ("edible_grains", WHEAT_LOT)
    exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30), region=region,
        category=category, product=product if meat else "wheat")
    listed_in_english(registration.establishment)
    changes = {"origin_region_code": origin or region}
    if meat:
        changes.update(conveyance="container", crossing_code="nur_zholy_khorgos",
                       production_from=local_today() - timedelta(days=10),
                       production_to=local_today() - timedelta(days=8),
                       storage_temperature=Decimal("2" if "chilled" in product else "-18"))
    consignment = drafts.create_consignment(exporter, header(registration, **changes))
    drafts.add_lot(exporter, consignment, lot)
    if submit:
        drafts.submit_consignment(exporter, consignment)
    inspector = make_user("inspector", committee="veterinary" if meat else "phytosanitary",
                          regions=[region], official=True)
    return exporter, inspector, registration, consignment


def inspect_ready(inspector, consignment) -> None:
    """Take a submitted consignment through a satisfactory inspection, a compliant result, the
    results the protocol's wording rests on, a fumigation (plant products) and the wording."""
    today = local_today()
    inspection.start_inspection(inspector, consignment)
    inspection.record_inspection(inspector, consignment, InspectionInput(
        inspected_on=today, place="Dostyk station, track 4", result="satisfactory"))
    limit = next(limit for limit in inspection.limits_for(consignment)
                 if limit.kind == "max")
    inspection.record_lab_result(inspector, consignment, LabResultInput(
        limit_id=limit.id, sample_code="S-1", tested_on=today, value=Decimal("0.01"),
        unit=limit.unit, laboratory="Akmola veterinary laboratory"))
    attested = {code for declaration in inspection.available_declarations(consignment)
                for code in declaration.tested_by.split()}
    for code in sorted(attested):  # the pests and substances the wording attests: not found
        limit = next(limit for limit in inspection.limits_for(consignment)
                     if limit.parameter_code == code)
        inspection.record_lab_result(inspector, consignment, LabResultInput(
            limit_id=limit.id, sample_code="S-1", tested_on=today, detected=False,
            unit=limit.unit, laboratory="Akmola veterinary laboratory"))
    if consignment.kind == "phyto":
        inspection.add_treatment(inspector, consignment, TreatmentInput(
            type="fumigation", treated_on=today, active_substance="aluminium phosphide",
            concentration="3 g/m³", temperature=Decimal("20"), duration="120 h"))
    inspection.set_declarations(inspector, consignment, [
        d.code for d in inspection.available_declarations(consignment)])
