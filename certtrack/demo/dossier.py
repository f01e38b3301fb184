"""The demo recommendation dossier: a GACC batch of three meat enterprises, as plain dicts."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib

from certtrack.demo.certificate import (
    REGISTRAR,
    VET_COMMITTEE,
    ZHETYSU,
    demo_certificate_context,
)
from certtrack.services.dossier_context import ADDRESSEE, FOLLOW, LETTER, LETTER_ZH
from certtrack.services.print_context import authority
from certtrack.services.print_terms import (
    APPLICATION_KINDS,
    DECISIONS,
    ESTABLISHMENT_TYPES,
    FINDING_STATUSES,
    INSPECTION_MODES,
    LEGAL_BASES,
    STATES,
    bilingual,
)

D = dt.date
T = dt.datetime
MEAT = {"kk": "Ет және ет өнімдері", "en": "Meat and meat products", "zh": "肉与肉制品"}
PRODUCTS = {product["hs_code"]: product for product in demo_certificate_context()["products"]}


def _documents(bin_: str, uploaded: dt.date) -> list[dict]:
    titles = (
        ("Certificate of state registration of the legal entity", "state_registration.pdf"),
        ("Veterinary registration number of the establishment", "vet_registration.pdf"),
        ("HACCP / ISO 22000 certificate", "iso22000.pdf"),
        ("Site plan and production flow diagram", "site_plan.pdf"),
        ("Water quality test report", "water_report.pdf"),
        ("Pest control contract", "pest_control.pdf"),
        ("Staff medical examination records", "medical_records.pdf"),
    )
    return [
        {"title": title, "filename": filename, "size": 180_000 + 9_731 * index,
         "sha256": hashlib.sha256(f"demo {bin_} {filename}".encode()).hexdigest(),
         "uploaded_on": uploaded}
        for index, (title, filename) in enumerate(titles)
    ]


def _questionnaire(slaughter: str, capacity: str, water: str) -> list[dict]:
    return [
        {"question": "Types of animals slaughtered or processed · 屠宰或加工的动物种类",
         "answer": slaughter},
        {"question": "Production capacity · 生产能力", "answer": capacity},
        {"question": "Food safety management system · 食品安全管理体系", "answer":
            "HACCP plan approved; ISO 22000:2018 certified, surveillance audit passed"},
        {"question": "Origin of animals · 动物来源", "answer":
            "Own feedlot and contracted farms in FMD-free zones; ear tags recorded in IBSPZh"},
        {"question": "Traceability · 追溯", "answer":
            "Ear tag → carcass number → batch label; records kept for 3 years"},
        {"question": "Water supply · 供水", "answer": water},
        {"question": "Cold storage · 冷藏", "answer": "−18 °C store with continuous logging; "
                                                     "chilled room 0…+4 °C"},
        {"question": "Veterinary supervision on site · 驻场兽医监管", "answer":
            "State veterinary inspector present at every slaughter shift"},
    ]


def _lab_results(sample: str, laboratory: str, tested: dt.date, lead: str) -> list[dict]:
    rows = (
        ("Salmonella spp.", "not detected in 25 g", "", "absent in 25 g", "compliant",
         "GB 4789.4; CU TR 034/2013"),
        ("Listeria monocytogenes", "not detected in 25 g", "", "absent in 25 g", "compliant",
         "GB 4789.30"),
        ("Lead (Pb)", lead, "mg/kg", "≤ 0.2 mg/kg", "compliant", "GB 2762-2022 Table 1"),
        ("Cadmium (Cd)", "0.012", "mg/kg", "≤ 0.1 mg/kg", "compliant", "GB 2762-2022 Table 1"),
        ("Tetracyclines (sum)", "< 10", "µg/kg", "≤ 100 µg/kg", "compliant", "GB 31650-2019"),
        ("Ractopamine", "not detected", "", "not permitted", "compliant",
         "GACC announcement 2019; GB 31650"),
        ("Total volatile basic nitrogen", "11.2", "mg/100 g", "≤ 15 mg/100 g", "compliant",
         "GB 2707-2016"),
    )
    return [
        {"sample": sample, "laboratory": laboratory, "tested_on": tested, "parameter": name,
         "value": value, "unit": unit, "limit": limit, "verdict": verdict,
         "reason": "" if verdict == "compliant" else "above the limit", "source": source}
        for name, value, unit, limit, verdict, source in rows
    ]


def _timeline(start: dt.date, applicant: str, inspector: str, registrar: str) -> list[dict]:
    """The decisions on a demo application, worded as the real dossier words them."""
    steps = (
        (2, 16, applicant, "submit", "draft", "submitted", "All required documents attached"),
        (3, 10, inspector, "start_review", "submitted", "under_review", ""),
        (4, 11, inspector, "schedule_inspection", "under_review", "inspection_scheduled",
         "Mode: on-site; two inspectors"),
        (15, 17, inspector, "record_inspection", "inspection_scheduled", "inspected",
         "1 major and 2 minor findings"),
        (16, 9, inspector, "require_corrective_actions", "inspected", "corrective_actions", ""),
        (31, 14, inspector, "verify_corrective_actions", "corrective_actions", "inspected",
         "Evidence accepted"),
        (33, 10, inspector, "send_to_lab", "inspected", "lab_testing", ""),
        (40, 15, inspector, "record_lab_results", "lab_testing", "inspected",
         "All results compliant"),
        (41, 12, inspector, "conclude_positive", "inspected", "conclusion_positive", ""),
        (45, 11, registrar, "recommend", "conclusion_positive", "recommended",
         "Included in batch GACC-KZ-VET-2026-03"),
    )
    return [
        {"at": T.combine(start + dt.timedelta(days=days), dt.time(hour, 5 * index % 60)),
         "actor": actor, "action": bilingual(DECISIONS, action),
         "from_state": bilingual(STATES, before), "to_state": bilingual(STATES, after),
         "comment": comment}
        for index, (days, hour, actor, action, before, after, comment) in enumerate(steps)
    ]


CLOSED = bilingual(FINDING_STATUSES, "closed")


def bilingual_type(code: str) -> str:
    """An establishment type as the dossier prints it, "Slaughterhouse · 屠宰厂"."""
    return f"{ESTABLISHMENT_TYPES[code]['en']} · {ESTABLISHMENT_TYPES[code]['zh']}"


def _inspection(date: dt.date, inspectors: list[str], major: tuple[str, str]) -> dict:
    """The on-site inspection: `major` is the major finding and its corrective action."""
    return {
        "mode": bilingual(INSPECTION_MODES, "on_site"), "date": date, "inspectors": inspectors,
        "summary": "Slaughter line, cutting room, cold stores, water supply, waste handling "
                   "and records were inspected against the GACC requirements for meat "
                   "establishments and CU TR 034/2013.",
        "findings": [
            {"ref": "F1", "grade": "major", "requirement": "Temperature control",
             "description": major[0], "status": CLOSED},
            {"ref": "F2", "grade": "minor", "requirement": "Pest control",
             "description": "Two bait stations missing from the site plan.",
             "status": CLOSED},
            {"ref": "F3", "grade": "minor", "requirement": "Staff hygiene",
             "description": "Hand-wash station at the cutting room entry without soap.",
             "status": CLOSED},
        ],
        "corrective_actions": [
            {"finding": "F1", "action": major[1],
             "due_on": date + dt.timedelta(days=14), "closed_on": date + dt.timedelta(days=12),
             "status": CLOSED},
            {"finding": "F2", "action": "Site plan updated and bait stations numbered.",
             "due_on": date + dt.timedelta(days=14), "closed_on": date + dt.timedelta(days=6),
             "status": CLOSED},
            {"finding": "F3", "action": "Dispensers installed; daily hygiene checklist "
             "extended.", "due_on": date + dt.timedelta(days=7),
             "closed_on": date + dt.timedelta(days=3), "status": CLOSED},
        ],
    }


def _enterprise(spec: dict) -> dict:
    start = spec["start"]
    return {
        "name": spec["name"], "bin": spec["bin"], "legal_address": spec["legal_address"],
        "representative": spec["representative"], "contact": spec["contact"],
        "establishment": spec["establishment"],
        "authority": VET_COMMITTEE,
        "application": {"number": spec["application"],
                        "kind": bilingual(APPLICATION_KINDS, "new"), "category": MEAT,
                        "submitted_on": start + dt.timedelta(days=2),
                        "concluded_on": start + dt.timedelta(days=41)},
        "products": [dict(PRODUCTS[code], volume=volume) for code, volume in spec["products"]],
        "questionnaire": _questionnaire(*spec["questionnaire"]),
        "inspection": _inspection(start + dt.timedelta(days=15), spec["inspectors"],
                                  spec["major_finding"]),
        "lab_results": _lab_results(spec["sample"], spec["laboratory"],
                                    start + dt.timedelta(days=39), spec["lead"]),
        "documents": _documents(spec["bin"], start + dt.timedelta(days=1)),
        "timeline": _timeline(start, spec["representative"], spec["inspectors"][0],
                              REGISTRAR["name"]["en"]),
        "conclusion": "The establishment meets the requirements of the Protocol on veterinary "
                      "and sanitary requirements for meat exported from Kazakhstan to China. "
                      "No open critical or major findings; all required laboratory results "
                      "are compliant. Recommended for registration.",
    }


_CERTIFICATE = demo_certificate_context()
SPECS = (
    {"name": _CERTIFICATE["enterprise"]["name"], "bin": "961141000023",
     "legal_address": "Zhetysu Region, Taldykorgan, Abai Street 12",
     "representative": "Madina Seitkali", "contact": "+7 7282 555 010 · "
                                                    "export@taldykorgan-et.kz",
     "establishment": {"name": _CERTIFICATE["establishment"]["name"],
                       "type": bilingual_type("slaughterhouse"),
                       "address": _CERTIFICATE["establishment"]["address"], "region": ZHETYSU,
                       "approval_number": "KZ-33-VET-0042",
                       "capacity": "40 t/day; cold store 600 t"},
     "application": "APP-2026-0117", "start": D(2026, 1, 12),
     "products": (("0201", "900 t/year"), ("0202", "2,500 t/year"), ("0204", "600 t/year")),
     "questionnaire": ("Cattle and sheep", "40 t/day carcass weight",
                       "Municipal supply, tested quarterly"),
     "inspectors": ["Saule Ismailova · 萨乌列·伊斯梅洛娃", "Yerlan Zhakypov · 叶尔兰·扎克波夫"],
     "major_finding": ("Chiller no. 2 temperature probe reads 1.8 °C low; no calibration "
                       "record.",
                       "Calibrated the probe, added a daily calibration check to the HACCP "
                       "records; one month of logs provided."),
     "sample": "S-33-2026-014", "laboratory": "Zhetysu regional veterinary laboratory",
     "lead": "0.04"},
    {"name": {"kk": "«Семей Ет Комбинаты» АҚ", "ru": "АО «Семипалатинский мясокомбинат»",
              "en": "Semey Meat Processing Plant JSC", "zh": "塞梅伊肉类加工厂股份公司"},
     "bin": "030540000121", "legal_address": "Abai Region, Semey, Shakarim Avenue 151",
     "representative": "Bauyrzhan Ospanov", "contact": "+7 7222 420 300 · info@semey-et.kz",
     "establishment": {"name": {"kk": "Семей ет комбинаты", "ru": "Семипалатинский мясокомбинат",
                                "en": "Semey meat plant", "zh": "塞梅伊肉类联合加工厂"},
                       "type": bilingual_type("meat_processor"),
                       "address": {"kk": "Абай облысы, Семей қ., Шәкәрім даңғылы, 151",
                                   "ru": "Абайская область, г. Семей, пр. Шакарима, 151",
                                   "en": "151 Shakarim Avenue, Semey, Abai Region",
                                   "zh": "阿拜州塞梅伊市沙卡里姆大街151号"},
                       "region": {"kk": "Абай облысы", "en": "Abai Region",
                                  "zh": "阿拜州"},
                       "approval_number": "KZ-10-VET-0007",
                       "capacity": "120 t/day; cold store 2,000 t"},
     "application": "APP-2026-0124", "start": D(2026, 1, 15),
     "products": (("0202", "8,000 t/year"), ("0204", "1,500 t/year")),
     "questionnaire": ("Cattle, sheep and goats", "120 t/day carcass weight",
                       "Own artesian wells, tested monthly"),
     "inspectors": ["Galym Toktarov · 加雷姆·托克塔罗夫", "Dinara Akhmetova · 迪娜拉·艾哈迈托娃"],
     "major_finding": ("Blast freezer log missing for three night shifts.",
                       "Automatic temperature logger fitted to the blast freezer; night-shift "
                       "log sheet added to the HACCP records; two weeks of logs provided."),
     "sample": "S-10-2026-031", "laboratory": "National Reference Veterinary Centre, "
                                              "Semey branch",
     "lead": "0.06"},
    {"name": {"kk": "«Қапшағай Қой Еті» ЖШС", "ru": "ТОО «Капшагай Кой Еты»",
              "en": "Kapshagay Lamb LLP", "zh": "卡普恰盖羊肉有限责任合伙公司"},
     "bin": "150740000123", "legal_address": "Almaty Region, Konaev, Onerkasip Street 3",
     "representative": "Nurlan Usenov", "contact": "+7 72772 2 14 40 · lamb@kapshagay.kz",
     "establishment": {"name": {"kk": "Қонаев қой сою пункті",
                                "ru": "Конаевский убойный пункт мелкого скота",
                                "en": "Konaev lamb abattoir", "zh": "科纳耶夫羊屠宰场"},
                       "type": bilingual_type("slaughterhouse"),
                       "address": {"kk": "Алматы облысы, Қонаев қ., Өнеркәсіп көшесі, 3",
                                   "ru": "Алматинская область, г. Конаев, ул. Онеркасип, 3",
                                   "en": "3 Onerkasip Street, Konaev, Almaty Region",
                                   "zh": "阿拉木图州科纳耶夫市工业街3号"},
                       "region": {"kk": "Алматы облысы", "en": "Almaty Region",
                                  "zh": "阿拉木图州"},
                       "approval_number": "KZ-19-VET-0113",
                       "capacity": "1,200 head/day; cold store 400 t"},
     "application": "APP-2026-0131", "start": D(2026, 1, 19),
     "products": (("0204", "3,000 t/year"),),
     "questionnaire": ("Sheep and goats", "1,200 head/day",
                       "Municipal supply with on-site chlorination"),
     "inspectors": ["Askhat Hashimov · 阿斯哈特·哈希莫夫", "Yerlan Zhakypov · 叶尔兰·扎克波夫"],
     "major_finding": ("Knife sterilisers at 78 °C instead of 82 °C on the evisceration "
                       "line.",
                       "Steriliser heaters replaced; water temperature checked at every shift "
                       "start and recorded (82–84 °C over ten days)."),
     "sample": "S-19-2026-009", "laboratory": "Almaty regional veterinary laboratory",
     "lead": "0.05"},
)




def demo_dossier_context() -> dict:
    """A recommendation to GACC covering three meat establishments (batch of March 2026)."""
    return copy.deepcopy({
        "reference": "VET-REC-2026-03",
        "date": D(2026, 3, 6),  # the day after the batch's last recommendation
        "batch": "GACC-KZ-VET-2026-03",
        "authority": authority("veterinary"),
        "addressee": dict(ADDRESSEE),
        "subject": "Recommendation of three Kazakh meat establishments for registration",
        "subject_zh": "关于推荐3家哈萨克斯坦肉类企业在华注册的函",
        # the letter as the service words it, so that its English and Chinese agree
        "letter": [paragraph.format(committee=VET_COMMITTEE["en"].split(",")[0],
                                    count="3 establishments", basis=LEGAL_BASES["248"]["en"],
                                    follow=FOLLOW[True][0], these="these establishments are",
                                    these_short="these establishments",
                                    each="Each establishment has")
                   for paragraph in LETTER],
        "letter_zh": [paragraph.format(committee=VET_COMMITTEE["zh"], count="3家企业",
                                       basis=LEGAL_BASES["248"]["zh"], follow=FOLLOW[True][1],
                                       each="各企业均已")
                      for paragraph in LETTER_ZH],
        "signatory": REGISTRAR,
        "enterprises": [_enterprise(spec) for spec in SPECS],
    })
