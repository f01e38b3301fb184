"""The demo certificate context (plain dicts, no database), for the print layouts and the tests."""

from __future__ import annotations

import copy
import datetime as dt

from certtrack.domain.verification import verification_url
from certtrack.services.print_context import COMMITTEES, MINISTRY

# The demo documents' verification address: the canonical form, on a made-up public host.
DEMO_BASE_URL = "https://certtrack.example.kz"
DEMO_CODE = "7WZP3KV9SXR2MT8DFH4QAC6N"

# The authorities as printed for real (reference/authorities.json): a veterinary certificate.
VET_COMMITTEE = COMMITTEES["veterinary"]
ZHETYSU = {"kk": "Жетісу облысы", "ru": "Жетысуская область", "en": "Zhetysu Region",
           "zh": "杰特苏州"}


_CERTIFICATE = {
    "number": "KZ-CN-2026-000042",
    "verification_url": verification_url(DEMO_BASE_URL, "KZ-CN-2026-000042", DEMO_CODE),
    "issued_on": dt.date(2026, 3, 16),
    "valid_from": dt.date(2026, 3, 2),
    "valid_to": dt.date(2031, 3, 1),
    "enterprise": {
        "name": {
            "kk": "«Талдықорған Ет-Сүт Кәсіпорны» ЖШС",
            "ru": "ТОО «Талдыкорганское мясомолочное предприятие»",
            "en": "Taldykorgan Meat and Dairy Enterprise LLP",
            "zh": "塔尔迪库尔干肉奶企业有限责任合伙公司",
        },
        "bin": "961141000023",
    },
    "establishment": {
        "name": {"kk": "Талдықорған қасапханасы", "en": "Taldykorgan slaughterhouse",
                 "zh": "塔尔迪库尔干屠宰场"},
        "address": {
            "kk": "Жетісу облысы, Талдықорған қ., Өнеркәсіп аймағы, 4-үй",
            "en": "4 Industrial Zone, Taldykorgan, Zhetysu Region, Kazakhstan",
        },
        "approval_number": "KZ-33-VET-0042",
    },
    "region": {"code": "KZ-33", "name": ZHETYSU},
    "category": {"code": "meat", "name": {"kk": "Ет және ет өнімдері",
                                          "en": "Meat and meat products",
                                          "zh": "肉类及肉制品"}},
    "products": [
        {"hs_code": "0201", "name": {"kk": "Салқындатылған сиыр еті",
                                     "en": "Beef, chilled", "zh": "冰鲜牛肉"}},
        {"hs_code": "0202", "name": {"kk": "Мұздатылған сиыр еті", "en": "Beef, frozen",
                                     "zh": "冷冻牛肉"}},
        {"hs_code": "0204", "name": {"kk": "Мұздатылған қой және қозы еті",
                                     "en": "Mutton and lamb, frozen",
                                     "zh": "冷冻绵羊肉及羔羊肉"}},
    ],
    "china_registration_number": "CKAZ0202MT24000715",
    "authority": {"name": VET_COMMITTEE, "parent": MINISTRY},
    "officer": {
        "name": "Айгүл Жиһанқызы Нұрбекова",
        "position": {"kk": "Бас сарапшы", "en": "Chief expert", "zh": "首席专家"},
    },
}


def demo_certificate_context() -> dict:
    """A certificate for a meat plant in Zhetysu Region; the Kazakh name has ә, қ and ү."""
    return copy.deepcopy(_CERTIFICATE)
