"""The recommendation dossier as GACC reads it (pdftotext): official wording only, no internal
notes or codes, the decisions of each application, the right issuing authority, tagged PDF."""

import io
import re
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from certtrack.domain.workflow import Action, RegistrationAction, State
from certtrack.extensions import db
from certtrack.models import Application, Inspection, LabLimit, LabResult, Sample
from certtrack.models.base import utcnow
from certtrack.pdf.render import dossier_html
from certtrack.services import dossiers, gacc, officials
from certtrack.services.dossier_context import dossier_context
from certtrack.services.inputs import BatchInput
from certtrack.services.issued_files import pdf_bytes

from factories import make_submitted_application, make_user, move_to_state, recommended_on

# What a stored result may carry from the reference file and the evaluation: working notes and
# confidence marks that are for administrators only.
NOTED_SOURCE = ("GB 2762-2022, 4.1, Table 1: cereals and cereal products; values as summarised "
                "from the standard, text not read; domain brief §5 [S]")
REASON = "lead 0.04 mg/kg is within the limit of 0.2 mg/kg (GB 2762-2022, confidence S)."
CODES = sorted({code.value for enum in (State, Action, RegistrationAction) for code in enum
                if "_" in code.value})


@pytest.fixture
def registrar(ctx):
    user = make_user("registrar", full_name="registrar account 3")
    officials.save_official_profile(user, officials.OfficialInput(
        name_kk="Рустем Әбдірахманов", name_en="Rustem Abdrakhmanov",
        name_zh="鲁斯捷姆·阿布德拉赫曼诺夫", position_kk="Бас сарапшы",
        position_en="Chief expert", position_zh="首席专家"))
    return user


def _positive(name: str, *, meat: bool = False) -> Application:
    _exporter, application = make_submitted_application(
        name=name, category="meat" if meat else "edible_grains",
        product="beef_frozen" if meat else "wheat")
    return move_to_state(application, "conclusion_positive")


def _tested(application: Application) -> None:
    """An inspection and a lead result whose stored source and reason carry internal notes."""
    inspection = Inspection(application_id=application.id, mode="on_site",
                            scheduled_for=date(2026, 2, 10), performed_on=date(2026, 2, 11),
                            summary="Silos and records inspected.")
    inspection.inspectors = [make_user("inspector", full_name="inspector account 9")]
    db.session.add(inspection)
    sample = Sample(application_id=application.id, code="S-11-077", product_code="wheat",
                    taken_on=date(2026, 2, 11), matrix="wheat grain",
                    laboratory="Akmola regional laboratory")
    db.session.add(sample)
    db.session.flush()
    lead = db.session.query(LabLimit).filter(LabLimit.parameter == "lead",
                                             LabLimit.matrix.like("cereals%")).first()
    db.session.add(LabResult(sample_id=sample.id, application_id=application.id,
                             limit_id=lead.id, parameter="lead", value=0.04, unit="mg/kg",
                             tested_on=date(2026, 2, 18), verdict="compliant", reason=REASON,
                             limit_source=NOTED_SOURCE, recorded_at=utcnow()))
    db.session.commit()


def _batch_text(registrar, applications, reference: str) -> tuple[str, bytes]:
    gacc.recommend(registrar, [a.id for a in applications])
    recommended_on(date(2026, 2, 27), [a.id for a in applications])
    batch = gacc.submit_batch(registrar, BatchInput.from_mapping({
        "reference": reference, "submitted_on": date(2026, 3, 2),
        "application_ids": [a.id for a in applications]}))
    (dossier,) = dossiers.list_dossiers(batch=batch)
    content = pdf_bytes(dossiers.stored_pdf(dossier))
    text = subprocess.run(["pdftotext", "-", "-"], input=content, check=True,
                          capture_output=True).stdout.decode()
    return " ".join(text.split()), content


def flat(text: str) -> str:
    """The text without any white space: Chinese wraps anywhere in a narrow table column."""
    return "".join(text.split())


def test_the_dossier_carries_no_internal_notes_and_no_codes(registrar):
    application = _positive("Steppe Grain LLP")
    _tested(application)
    application.products[0].annual_volume = 40000
    db.session.commit()
    text, _content = _batch_text(registrar, [application], "KZ-GACC-2026-11")
    assert "GB 2762-2022, 4.1, Table 1: cereals and cereal products" in text
    assert flat("lead · 铅") in flat(text)
    lowered = text.lower()
    for note in ("domain brief", "confidence", "summarised", "text not read", "§", "[s]"):
        assert note not in lowered, note
    for code in CODES:
        assert code not in text, code
    assert "inspector account 9" not in text  # no profile: named by the committee
    transition = "Positive conclusion · 结论：合格 → Recommended to GACC · 已向海关总署推荐"
    assert flat(transition) in flat(text)
    assert "On-site inspection · 现场检查" in text
    # one establishment is not "each" of several (各企业均已…), and volumes read 40,000
    letter = text[:text.index("Contents · 目录")]
    assert "The establishment has been inspected" in " ".join(letter.split())
    assert "该企业已由主管部门国家检查员检查" in flat(letter) and "各企业" not in flat(letter)
    assert re.search(r"\b40\s000 t/year", text)  # read "40000 t/year"


def test_the_timeline_keeps_the_decisions_not_each_upload(registrar):
    application = _positive("Steppe Grain LLP")
    text, _content = _batch_text(registrar, [application], "KZ-GACC-2026-12")
    timeline = text[text.rindex("Audit timeline · 审核记录"):]
    for decision in ("Application submitted · 提交申请", "Recommended to GACC · 向海关总署推荐",
                     "Sent to GACC · 提交海关总署"):
        assert flat(decision) in flat(timeline), decision
    for noise in ("Document uploaded", "Product added", "Application created", "uploaded"):
        assert noise not in timeline, noise


def test_a_batch_spanning_committees_is_issued_by_the_ministry(registrar):
    grain, meat = _positive("Steppe Grain LLP"), _positive("Zhetysu Beef LLP", meat=True)
    text, _content = _batch_text(registrar, [grain, meat], "KZ-GACC-2026-13")
    letter = text[:text.index("Contents · 目录")]
    assert "the Ministry of Agriculture of the Republic of Kazakhstan recommends" in letter
    assert "哈萨克斯坦共和国农业部推荐下列2家企业在华注册" in flat(letter)
    assert "各企业均已由主管部门国家检查员检查" in flat(letter)
    assert "Each establishment has been inspected" in " ".join(letter.split())
    assert "Committee of" not in letter
    assert "Rustem Abdrakhmanov" in letter and "Chief expert" in letter
    assert "registrar account 3" not in text
    sections = text[text.index("3 Enterprise dossiers", text.index("Contents · 目录") + 400):]
    assert sections.count("Concluded by · 结论机关") == 2
    assert ("Committee of State Inspection in the Agro-Industrial Complex" in sections
            and "Committee of Veterinary Control and Supervision" in sections)


def test_a_batch_of_one_committee_is_issued_by_that_committee(registrar):
    chosen = [_positive("Steppe Grain LLP"), _positive("Kostanay Wheat LLP")]
    text, _content = _batch_text(registrar, chosen, "KZ-GACC-2026-14")
    letter = text[:text.index("Contents · 目录")]
    assert "the Committee of State Inspection in the Agro-Industrial Complex recommends" in letter
    assert "恳请海关总署审议上述企业的注册申请" in flat(letter)  # the letter in Chinese too
    assert "中华人民共和国海关总署" in letter


def test_the_dossier_is_a_tagged_pdf_a_3b(registrar):
    _text, content = _batch_text(registrar, [_positive("Steppe Grain LLP")], "KZ-GACC-2026-15")
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)


def test_the_questionnaire_reads_in_english_and_chinese_with_no_code(registrar):
    application = _positive("Steppe Grain LLP")
    assert (application.haccp_status, application.water_source) == ("certified", "municipal")
    assert not (application.last_inspection_date or application.last_inspection_authority)
    text, _content = _batch_text(registrar, [application], "KZ-GACC-2026-14")
    start = text.index("Question · 问题")
    questionnaire = text[start:text.index("Inspection report · 检查报告", start)]
    for row in ("HACCP · HACCP体系 HACCP certified · 已获HACCP认证",
                "Water source · 水源 Municipal supply · 市政供水",
                "Last official inspection · 最近一次官方检查 —",
                "Inspecting authority · 检查机构 —"):
        assert flat(row) in flat(questionnaire), row
    assert "municipal" not in questionnaire  # the code, which the answer used to print


@pytest.mark.parametrize(("day", "basis", "basis_zh"), [
    (date(2026, 5, 31), "GACC Decree No. 248", "海关总署第248号令"),
    (date(2026, 6, 1), "GACC Order No. 280", "海关总署第280号令"),
])
def test_the_letter_cites_the_gacc_rules_in_force_on_its_date(registrar, day, basis, basis_zh):
    application = _positive("Steppe Grain LLP")
    context = dossier_context([application], reference="KZ-REC-2026-01", date=day,
                              signatory=registrar)
    assert f"with {basis}, the Committee of State Inspection" in context["letter"][0]
    assert basis_zh in context["letter_zh"][0]
    # One establishment is not "these establishments".
    assert "guarantees that this establishment is under its official" in context["letter"][2]
    assert context["letter"][3].endswith("the registration of this establishment.")


def test_the_letter_announces_laboratory_results_only_when_the_dossier_has_some(registrar):
    untested, tested = _positive("Steppe Grain LLP"), _positive("Kostanay Wheat LLP")
    _tested(tested)
    day = date(2026, 6, 1)
    without = dossier_context([untested], reference="KZ-REC-2026-02", date=day,
                              signatory=registrar)
    assert "the products required no laboratory testing" in without["letter"][1]
    assert "无需实验室检测" in without["letter_zh"][1]
    both = dossier_context([untested, tested], reference="KZ-REC-2026-03", date=day,
                           signatory=registrar)
    assert "and the laboratory results against the limits" in both["letter"][1]


def test_an_inspectors_name_is_printed_whole_in_each_script(registrar):
    """"伊涅萨·萨尔先巴耶娃" broke after "萨" at the end of the inspection's line."""
    application = _positive("Steppe Grain LLP")
    _tested(application)
    inspector = make_user("inspector", full_name="Inessa Sarsenbayeva")
    officials.save_official_profile(inspector, officials.OfficialInput(
        name_kk="Инесса Сәрсенбаева", name_en="Inessa Sarsenbayeva", name_zh="伊涅萨·萨尔先巴耶娃",
        position_kk="Инспектор", position_en="Inspector", position_zh="检查员"))
    inspection = db.session.query(Inspection).filter_by(application_id=application.id).one()
    inspection.inspectors = [inspector]
    db.session.commit()
    page = dossier_html(dossier_context([application], reference="KZ-GACC-2026-12",
                                        date=date(2026, 3, 2), signatory=registrar))
    assert ('<span class="whole">Inessa Sarsenbayeva</span> · '
            '<span class="whole">伊涅萨·萨尔先巴耶娃</span>') in page
