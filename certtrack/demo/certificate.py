"""The demo certificate context (plain dicts, no database), for the print layouts and the tests."""

from __future__ import annotations

import copy
import datetime as dt

from certtrack.domain.verification import verification_url
from certtrack.services.print_context import (
    CERTIFICATE_SCHEMA_VERSION,
    COMMITTEES,
    authority,
)
from certtrack.services.print_terms import (
    ESTABLISHMENT_TYPES,
    EXPORTING_COUNTRY,
    GACC,
    LEGAL_BASES,
)

# The demo documents' verification address: the canonical form, on a public host of the
# reserved .example domain (RFC 2606), which no one abroad who scans it can reach by mistake.
DEMO_BASE_URL = "https://certtrack.example"
DEMO_CODE = "7WZP3KV9SXR2MT8DFH4QAC6N"

# The authorities as printed for real (reference/authorities.json): a veterinary certificate.
VET_COMMITTEE = COMMITTEES["veterinary"]
ZHETYSU = {"kk": "Жетісу облысы", "ru": "Жетысуская область", "en": "Zhetysu Region",
           "zh": "杰特苏州"}


# The demo's authorised officials, by demo account (seed-demo gives the accounts these profiles):
# the registrar signs certificates and dossiers, the inspectors appear in the dossiers.
DEMO_OFFICIALS = {
    "registrar@demo.certtrack.kz": {
        "name": {"kk": "Рустем Әбдірахманов", "ru": "Рустем Абдрахманов",
                 "en": "Rustem Abdrakhmanov", "zh": "鲁斯捷姆·阿布德拉赫曼诺夫"},
        "position": {"kk": "Комитет төрағасының орынбасары",
                     "ru": "Заместитель председателя комитета",
                     "en": "Deputy Chairman of the Committee", "zh": "委员会副主任"},
    },
    "phyto@demo.certtrack.kz": {
        "name": {"kk": "Инесса Сәрсенбаева", "ru": "Инесса Сарсенбаева",
                 "en": "Inessa Sarsenbayeva", "zh": "伊涅萨·萨尔先巴耶娃"},
        "position": {"kk": "Аумақтық инспекцияның мемлекеттік фитосанитариялық инспекторы",
                     "ru": "Государственный фитосанитарный инспектор территориальной инспекции",
                     "en": "State phytosanitary inspector, territorial inspection",
                     "zh": "地方检查局国家植物检疫检查员"},
    },
    "vet@demo.certtrack.kz": {
        "name": {"kk": "Владимир Жақыпов", "ru": "Владимир Жакыпов",
                 "en": "Vladimir Zhakypov", "zh": "弗拉基米尔·扎克波夫"},
        "position": {"kk": "Аумақтық инспекцияның мемлекеттік ветеринариялық инспекторы",
                     "ru": "Государственный ветеринарный инспектор территориальной инспекции",
                     "en": "State veterinary inspector, territorial inspection",
                     "zh": "地方检查局国家兽医检查员"},
    },
}
REGISTRAR = DEMO_OFFICIALS["registrar@demo.certtrack.kz"]


_CERTIFICATE = {
    "schema_version": CERTIFICATE_SCHEMA_VERSION,
    "number": "KZ-CN-2026-000042",
    "verification_url": verification_url(DEMO_BASE_URL, "KZ-CN-2026-000042", DEMO_CODE),
    "issued_on": dt.date(2026, 3, 16),
    "valid_from": dt.date(2026, 3, 12),  # listed by GACC after the dossier of 6 March
    "valid_to": dt.date(2031, 3, 11),
    "exporting_country": EXPORTING_COUNTRY,
    "addressee": GACC,
    "enterprise": {
        "name": {
            "kk": "«Талдықорған Ет-Сүт Кәсіпорны» ЖШС",
            "ru": "ТОО «Талдыкорганское мясомолочное предприятие»",
            "en": "Taldykorgan Meat and Dairy Enterprise LLP",
            "zh": "塔尔迪库尔干肉奶企业有限责任合伙公司",
        },
        "bin": "961141000023",
        "legal_address": "Zhetysu Region, Taldykorgan, Abai Street 12",  # as issuing demands
    },
    "establishment": {
        "name": {"kk": "Талдықорған қасапханасы", "ru": "Талдыкорганская скотобойня",
                 "en": "Taldykorgan slaughterhouse", "zh": "塔尔迪库尔干屠宰场"},
        "address": {
            "kk": "Жетісу облысы, Талдықорған қ., Өнеркәсіп аймағы, 4-үй",
            "en": "4 Industrial Zone, Taldykorgan, Zhetysu Region, Kazakhstan",
            "zh": "哈萨克斯坦杰特苏州塔尔迪库尔干市工业区4号",
        },
        "type": ESTABLISHMENT_TYPES["slaughterhouse"],
        "approval_number": "KZ-33-VET-0042",
    },
    "region": {"code": "KZ-33", "name": ZHETYSU},
    "category": {"code": "meat", "name": {"kk": "Ет және ет өнімдері",
                                          "en": "Meat and meat products",
                                          "zh": "肉与肉制品"}},
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
    "listed_on": dt.date(2026, 3, 12),
    "legal_basis": LEGAL_BASES["248"],
    "authority": authority("veterinary"),
    "officer": REGISTRAR,
}


def demo_certificate_context() -> dict:
    """A certificate for a meat plant in Zhetysu Region; the Kazakh name has ә, қ and ү."""
    return copy.deepcopy(_CERTIFICATE)


def demo_preview_context() -> dict:
    """The certificate's draft preview as the registrar's preview prints it: no number of its
    own and a code to the verification form, not to an issued certificate."""
    return {**demo_certificate_context(), "number": f"KZ-CN-{_CERTIFICATE['issued_on'].year}-DRAFT",
            "verification_url": f"{DEMO_BASE_URL}/verify"}
