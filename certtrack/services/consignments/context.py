"""The plain context a consignment certificate is printed from (ISPM 12 / WOAH model boxes)."""

import csv
import datetime as dt
from decimal import Decimal
from functools import cache

from certtrack.models import Consignment, User
from certtrack.services.officials import signer
from certtrack.services.print_context import authority, names
from certtrack.services.reference import reference_dir

CHINA = {"kk": "Қытай Халық Республикасы", "ru": "Китайская Народная Республика",
         "en": "People's Republic of China", "zh": "中华人民共和国"}
KAZAKHSTAN = {"kk": "Қазақстан Республикасы", "ru": "Республика Казахстан",
              "en": "Republic of Kazakhstan", "zh": "哈萨克斯坦共和国"}
# ISPM 12 addresses the certificate to the plant protection organization of the importer.
CHINA_NPPO = {"kk": "Қытай Халық Республикасының өсімдіктерді қорғау ұйымы",
              "en": "Plant Protection Organization of the People's Republic of China",
              "zh": "中华人民共和国植物保护组织"}
OFFICER_POSITION = {
    "phyto": {"kk": "Уәкілетті фитосанитариялық инспектор", "en": "Authorized officer",
              "zh": "授权官员"},
    "vet": {"kk": "Ресми ветеринариялық дәрігер", "en": "Official veterinarian",
            "zh": "官方兽医"},
}
CONVEYANCE_NAMES = {
    "rail_wagon": {"kk": "Темір жол вагоны", "en": "Rail wagon", "zh": "铁路车皮"},
    "truck": {"kk": "Жүк көлігі", "en": "Truck", "zh": "卡车"},
    "container": {"kk": "Контейнер", "en": "Container", "zh": "集装箱"},
}
PACKAGE_NAMES = {
    "bulk": {"kk": "үйінді", "en": "lots in bulk", "zh": "散装"},  # "1 lot in bulk", as shown
    "bags": {"kk": "қап", "en": "bags", "zh": "袋"},
    "big_bags": {"kk": "биг-бэг", "en": "big bags", "zh": "吨袋"},
    "cartons": {"kk": "қорап", "en": "cartons", "zh": "纸箱"},
    "pallets": {"kk": "паллет", "en": "pallets", "zh": "托盘"},
    "drums": {"kk": "бөшке", "en": "drums", "zh": "桶"},  # honey travels in 200-litre drums
}
TREATMENT_NAMES = {
    "fumigation": {"kk": "Фумигация", "en": "Fumigation", "zh": "熏蒸"},
    "heat": {"kk": "Жылумен өңдеу", "en": "Heat treatment", "zh": "热处理"},
    "cold": {"kk": "Суықпен өңдеу", "en": "Cold treatment", "zh": "冷处理"},
    "chemical": {"kk": "Химиялық өңдеу", "en": "Chemical treatment", "zh": "化学处理"},
    "irradiation": {"kk": "Сәулелендіру", "en": "Irradiation", "zh": "辐照"},
}
# ISPM 12 box "Botanical name of plants" (ICN names).
BOTANICAL_NAMES = {
    "wheat": "Triticum aestivum L.", "barley": "Hordeum vulgare L.", "maize": "Zea mays L.",
    "wheat_flour": "Triticum aestivum L.", "soybeans": "Glycine max (L.) Merr.",
    "linseed": "Linum usitatissimum L.", "rapeseed": "Brassica napus L.",
    "sunflower_seed": "Helianthus annuus L.", "peas": "Pisum sativum L.",
    "lentils": "Lens culinaris Medik.", "wheat_bran": "Triticum aestivum L.",
    "rapeseed_meal": "Brassica napus L.", "alfalfa_hay": "Medicago sativa L.",
}


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def lot_line(lot) -> dict:
    """A product line of the consignment as its certificate prints it."""
    return {"hs_code": lot.product.hs_code, "product_code": lot.product_code,
            "product": names(lot.product),
            "botanical_name": BOTANICAL_NAMES.get(lot.product_code, ""),
            "net_weight": _number(lot.net_weight), "gross_weight": _number(lot.gross_weight),
            "unit": lot.weight_unit, "packages_number": lot.packages_number,
            "packages_kind": lot.packages_kind,
            "packages_name": dict(PACKAGE_NAMES[lot.packages_kind]), "marks": lot.marks}


def _treatment(row) -> dict:
    return {"type": row.type, "name": dict(TREATMENT_NAMES[row.type]),
            "active_substance": row.active_substance, "concentration": row.concentration,
            "temperature": _number(row.temperature), "duration": row.duration,
            "date": row.treated_on}


def _declaration(row) -> dict:
    wording = row.declaration
    return {"code": wording.code, "text": {lang: getattr(wording, f"text_{lang}")
                                           for lang in ("kk", "en", "zh")
                                           if getattr(wording, f"text_{lang}")}}


def _lab(row) -> dict:
    return {"sample": row.sample_code, "parameter": row.parameter,
            "value": _number(row.value), "unit": row.unit or "", "detected": row.detected,
            "limit": row.limit_text, "verdict": row.verdict, "tested_on": row.tested_on,
            "laboratory": row.laboratory, "method": row.method}


def _bilingual(value: dict) -> str:
    """A name for the certificate's languages, English and Chinese ("Kokshetau elevator /
    科克舍套粮库"), in Kazakh when the exporter gave neither."""
    return " / ".join(value[lang] for lang in ("en", "zh") if value.get(lang)) or \
        value.get("kk", "")


def _officer(officer: User, kind: str, committee: str) -> dict:
    """The official who signs, by their official profile; without one, the authority."""
    signed = signer(officer, committee)
    return {"name": _bilingual(signed["name"]),
            "position": signed["position"] or dict(OFFICER_POSITION[kind])}


def _parties(consignment: Consignment) -> dict:
    registration = consignment.registration
    enterprise, establishment = consignment.enterprise, registration.establishment
    return {
        "exporter": {"name": names(enterprise), "bin": enterprise.bin,
                     "address": enterprise.address},
        "establishment": {"name": _bilingual(names(establishment)),
                          "address": _bilingual(names(establishment, "address")),
                          "region": names(establishment.region),
                          "kz_registration_number": establishment.kz_registration_number,
                          "china_registration_number": registration.china_number},
        "consignee": {"name": consignment.consignee_name,
                      "address": consignment.consignee_address},
    }


@cache
def _region_centres() -> dict[str, dict]:
    with (reference_dir() / "region_centres.csv").open(newline="", encoding="utf-8") as file:
        return {row["code"]: {lang: row[f"name_{lang}"] for lang in ("kk", "ru", "en", "zh")}
                for row in csv.DictReader(file)}


def place_of_issue(region) -> dict:
    """Where a certificate is issued: the city its region's territorial inspection sits in
    (reference/region_centres.csv; it printed "Akmola Region"), else the region's names."""
    return dict(_region_centres().get(region.code) or names(region))


def consignment_context(consignment: Consignment, *, number: str, verification_url: str,
                        issued_on: dt.date, officer: User,
                        replaces: str | None = None) -> dict:
    """Take a consignment under inspection and the issue's particulars; return the plain
    context of its certificate (only str, numbers, dates, dicts and lists). Changes nothing."""
    category = consignment.registration.gacc_category
    context = {
        "kind": consignment.kind, "number": number, "verification_url": verification_url,
        "issued_on": issued_on, "reference": consignment.reference,
        "authority": authority(category.committee), **_parties(consignment),
        "officer": _officer(officer, consignment.kind, category.committee),
        "place_of_issue": place_of_issue(consignment.registration.establishment.region),
        "export_country": dict(KAZAKHSTAN), "import_country": dict(CHINA),
        "addressee": dict(CHINA_NPPO), "category": {"code": category.code,
                                                     "name": names(category)},
        "origin": {"region_code": consignment.origin_region_code,
                   "region": names(consignment.origin_region),
                   "place": consignment.place_of_origin},
        "conveyance": {"code": consignment.conveyance,
                       "name": dict(CONVEYANCE_NAMES[consignment.conveyance])},
        "point_of_entry": {"code": consignment.crossing_code,
                           "name": names(consignment.crossing),
                           "mode": consignment.crossing.mode},
        "lots": [lot_line(lot) for lot in consignment.lots],
        "treatments": [_treatment(row) for row in consignment.treatments],
        "declarations": [_declaration(row) for row in consignment.declarations],
        "lab_results": [_lab(row) for row in consignment.lab_results],
        "production": {"from": consignment.production_from, "to": consignment.production_to},
        "storage_temperature": _number(consignment.storage_temperature),
        "inspection": {"date": consignment.inspected_on, "place": consignment.inspection_place},
    }
    if replaces:
        context["replaces"] = replaces
    return context
