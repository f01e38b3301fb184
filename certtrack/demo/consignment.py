"""Demo consignment certificate contexts (plain dicts, no database): a phytosanitary one for
wheat by rail via Dostyk and a veterinary one for frozen beef by road via Nur Zholy."""

from __future__ import annotations

import copy
import csv
import datetime as dt

from certtrack.demo.certificate import DEMO_BASE_URL, DEMO_CODE
from certtrack.domain.verification import verification_url
from certtrack.services.consignments.context import (
    BOTANICAL_NAMES,
    CHINA,
    CHINA_NPPO,
    CONVEYANCE_NAMES,
    KAZAKHSTAN,
    OFFICER_POSITION,
    PACKAGE_NAMES,
    TREATMENT_NAMES,
)
from certtrack.services.print_context import authority
from certtrack.services.reference import reference_dir

ISSUED = dt.date(2026, 9, 14)
AKMOLA = {"kk": "Ақмола облысы", "ru": "Акмолинская область", "en": "Akmola Region",
          "zh": "阿克莫拉州"}
ZHETYSU = {"kk": "Жетісу облысы", "ru": "Жетысуская область", "en": "Zhetysu Region",
           "zh": "杰特苏州"}
_PHYTO_DECLARATIONS = ("grain_protocol", "tilletia_free", "weed_free")
_VET_DECLARATIONS = ("fmd_free_zone", "ante_post_mortem", "no_banned_substances",
                     "no_mbm_feeding")


def _declarations(codes: tuple[str, ...]) -> list[dict]:
    """The protocol's wording of `codes`, read from the reference file."""
    with open(reference_dir() / "protocol_declarations.csv", encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    return [{"code": code, "text": {lang: rows[code][f"text_{lang}"]
                                    for lang in ("kk", "en", "zh")}} for code in codes]


def _crossing(code: str) -> dict:
    with open(reference_dir() / "crossings.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["code"] == code)
    return {"code": code, "mode": row["mode"],
            "name": {lang: row[f"name_{lang}"] for lang in ("kk", "ru", "en", "zh")}}


OFFICERS = {"phyto": "Aigul Nurbekova / 艾古丽·努尔别科娃",
            "vet": "Yerlan Sadykov / 叶尔兰·萨德科夫"}
CONSIGNEES = {
    "phyto": {"name": "Xinjiang Grain Import Co., Ltd. 新疆粮食进口有限公司",
              "address": "88 Kashi West Road, Urumqi, Xinjiang 乌鲁木齐市喀什西路88号"},
    "vet": {"name": "Horgos Halal Meat Trading Co., Ltd. 霍尔果斯清真肉类贸易有限公司",
            "address": "18 Yaou Road, Horgos, Xinjiang 新疆伊犁州霍尔果斯市亚欧路18号"},
}


def _common(kind: str, number: str) -> dict:
    return {
        "kind": kind, "number": number, "issued_on": ISSUED,
        "verification_url": verification_url(DEMO_BASE_URL, number, DEMO_CODE, "consignment"),
        "export_country": dict(KAZAKHSTAN), "import_country": dict(CHINA),
        "addressee": dict(CHINA_NPPO), "replaces": None,
        # The officer's name as the certificate prints it: in English and Chinese.
        "officer": {"name": OFFICERS[kind], "position": dict(OFFICER_POSITION[kind])},
        "consignee": dict(CONSIGNEES[kind]),
    }


def demo_phyto_context() -> dict:
    """An ISPM 12 certificate: 65.5 t of wheat in a rail wagon, fumigated, via Dostyk."""
    context = _common("phyto", "KZ-PC-2026-000123")
    context.update({
        "reference": "CS-000041", "authority": authority("phytosanitary"),
        "exporter": {"name": {"en": "Kokshetau Grain LLP", "kk": "«Көкшетау Астық» ЖШС"},
                     "bin": "940140000385", "address": "12 Abay St, Kokshetau"},
        "establishment": {"name": "Kokshetau grain elevator",
                          "address": "Elevator St 1, Kokshetau", "region": dict(AKMOLA),
                          "kz_registration_number": "KZ-11-ELV-0007",
                          "china_registration_number": "CKAZ1001GR25000342"},
        "place_of_issue": {"kk": "Көкшетау", "ru": "Кокшетау", "en": "Kokshetau", "zh": "科克舍套"},
        "category": {"code": "edible_grains", "name": {"en": "Edible grains", "zh": "粮食"}},
        "origin": {"region_code": "KZ-11", "region": dict(AKMOLA), "place": "Kokshetau 科克舍套"},
        "conveyance": {"code": "rail_wagon", "name": dict(CONVEYANCE_NAMES["rail_wagon"])},
        "point_of_entry": _crossing("dostyk_alashankou"),
        "lots": [{"hs_code": "1001", "product_code": "wheat",
                  "product": {"kk": "Бидай", "en": "Wheat", "zh": "小麦"},
                  "botanical_name": BOTANICAL_NAMES["wheat"], "net_weight": "65.5",
                  "gross_weight": "65.7", "unit": "t", "packages_number": 1,
                  "packages_kind": "bulk", "packages_name": dict(PACKAGE_NAMES["bulk"]),
                  "marks": "Wagon 95123451, seal KZ 778812"}],
        "treatments": [{"type": "fumigation", "name": dict(TREATMENT_NAMES["fumigation"]),
                        "active_substance": "aluminium phosphide", "concentration": "3 g/m³",
                        "temperature": "20", "duration": "120 h",
                        "date": ISSUED - dt.timedelta(days=6)}],
        "declarations": _declarations(_PHYTO_DECLARATIONS),
        "lab_results": [], "production": {"from": None, "to": None},
        "storage_temperature": None,
        "inspection": {"date": ISSUED - dt.timedelta(days=1), "place": "Dostyk station"},
    })
    return context


def demo_vet_context() -> dict:
    """A veterinary certificate: 18 t of frozen beef in a container via Nur Zholy – Khorgos."""
    context = _common("vet", "KZ-VC-2026-000045")
    context.update({
        "reference": "CS-000042", "authority": authority("veterinary"),
        "exporter": {"name": {"en": "Taldykorgan Meat and Dairy Enterprise LLP",
                              "kk": "«Талдықорған Ет-Сүт Кәсіпорны» ЖШС"},
                     "bin": "961141000023", "address": "4 Industrial Zone, Taldykorgan"},
        "establishment": {"name": "Taldykorgan slaughterhouse",
                          "address": "4 Industrial Zone, Taldykorgan", "region": dict(ZHETYSU),
                          "kz_registration_number": "KZ-33-VET-0042",
                          "china_registration_number": "CKAZ0202MT24000715"},
        "place_of_issue": {"kk": "Талдықорған", "ru": "Талдыкорган", "en": "Taldykorgan",
                           "zh": "塔尔迪库尔干"},
        "category": {"code": "meat",
                     "name": {"en": "Meat and meat products", "zh": "肉与肉制品"}},
        "origin": {"region_code": "KZ-33", "region": dict(ZHETYSU),
                   "place": "Taldykorgan 塔尔迪库尔干"},
        "conveyance": {"code": "container", "name": dict(CONVEYANCE_NAMES["container"])},
        "point_of_entry": _crossing("nur_zholy_khorgos"),
        "lots": [{"hs_code": "0202", "product_code": "beef_frozen",
                  "product": {"kk": "Мұздатылған сиыр еті", "en": "Beef, frozen",
                              "zh": "冷冻牛肉"}, "botanical_name": "", "net_weight": "18000",
                  "gross_weight": "19250", "unit": "kg", "packages_number": 720,
                  "packages_kind": "cartons", "packages_name": dict(PACKAGE_NAMES["cartons"]),
                  "marks": "Container MSKU 1234565, seal 004512"}],
        "treatments": [], "declarations": _declarations(_VET_DECLARATIONS),
        "lab_results": [], "production": {"from": ISSUED - dt.timedelta(days=12),
                                          "to": ISSUED - dt.timedelta(days=10)},
        "storage_temperature": "-18",
        "inspection": {"date": ISSUED - dt.timedelta(days=1), "place": "Taldykorgan"},
    })
    return copy.deepcopy(context)
