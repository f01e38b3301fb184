"""Recommendation dossiers: stored at the recommendation and for each GACC batch, built from the
database (inspection, corrective actions, laboratory results, documents, timeline), versioned."""

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    Dossier,
    Finding,
    Inspection,
    LabLimit,
    LabResult,
    Sample,
    StoredPdf,
)
from certtrack.models.base import utcnow
from certtrack.pdf import PdfRenderError
from certtrack.services import dossiers, gacc, officials
from certtrack.services.dossier_context import enterprise_context
from certtrack.services.errors import NotFound, PermissionDenied
from certtrack.services.inputs import BatchInput
from certtrack.services.issued_files import pdf_bytes

from factories import make_submitted_application, make_user, move_to_state, recommended_on


@pytest.fixture
def registrar(ctx):
    """A registrar whose official profile names them in four languages; the account's name is
    what documents must never print."""
    user = make_user("registrar", full_name="r.abdrakhmanov (account)")
    officials.save_official_profile(user, officials.OfficialInput(
        name_kk="Рустем Әбдірахманов", name_ru="Рустем Абдрахманов",
        name_en="Rustem Abdrakhmanov", name_zh="鲁斯捷姆·阿布德拉赫曼诺夫",
        position_kk="Комитет төрағасының орынбасары",
        position_en="Deputy Chairman of the Committee", position_zh="委员会副主任"))
    return user


def _inspected(application: Application) -> None:
    """An inspection with a closed major finding and a lead result, straight in the database."""
    inspector = make_user("inspector", full_name="Ерлан Жақыпов")
    inspection = Inspection(application_id=application.id, mode="on_site",
                            scheduled_for=date(2026, 2, 10), performed_on=date(2026, 2, 11),
                            summary="Silos, dryers and records inspected.")
    inspection.inspectors = [inspector]
    db.session.add(inspection)
    db.session.flush()
    db.session.add(Finding(
        inspection_id=inspection.id, application_id=application.id,
        requirement="Pest control", observation="Bait stations missing from the plan",
        severity="major", status="closed", corrective_action="Plan updated",
        due_date=date(2026, 2, 25),
        verified_at=datetime(2026, 2, 20, 6, 0, tzinfo=utcnow().tzinfo)))
    sample = Sample(application_id=application.id, code="S-11-042", product_code="wheat",
                    taken_on=date(2026, 2, 11), matrix="wheat grain",
                    laboratory="Akmola regional laboratory")
    db.session.add(sample)
    db.session.flush()
    lead = db.session.scalar(select(LabLimit).where(LabLimit.parameter == "lead",
                                                    LabLimit.matrix.like("cereals%")))
    db.session.add(LabResult(sample_id=sample.id, application_id=application.id,
                             limit_id=lead.id, parameter="lead", value=0.04, unit="mg/kg",
                             tested_on=date(2026, 2, 18), verdict="compliant",
                             limit_source=lead.source))
    db.session.commit()


def _positive(name: str) -> Application:
    _exporter, application = make_submitted_application(name=name)
    return move_to_state(application, "conclusion_positive")


def test_the_context_carries_the_inspection_results_and_documents(registrar):
    application = _positive("Steppe Grain LLP")
    _inspected(application)
    context = enterprise_context(application)
    # The inspector has no official profile: named by the authority, not the account.
    assert context["inspection"]["inspectors"] == [
        "Committee of State Inspection in the Agro-Industrial Complex · "
        "哈萨克斯坦共和国农业部农工综合体国家监察委员会"]
    assert context["inspection"]["findings"] == [{
        "ref": "F1", "grade": "major", "requirement": "Pest control",
        "description": "Bait stations missing from the plan", "status": "Closed · 已关闭"}]
    assert context["inspection"]["corrective_actions"][0]["closed_on"] == date(2026, 2, 20)
    (result,) = context["lab_results"]
    assert (result["value"], result["unit"], result["limit"], result["verdict"]) == (
        "0.04", "mg/kg", "≤ 0.2 mg/kg", "compliant")
    assert "GB 2762" in result["source"]
    # GACC reads the parameter and the citation in English and in Chinese, without the notes.
    assert result["parameter"] == "lead · 铅"
    assert result["source_zh"].startswith("GB 2762-2022，4.1，表1：谷物及其制品")
    assert "数值" not in result["source_zh"]
    hashes = {document["sha256"] for document in context["documents"]}
    assert hashes == {document.sha256 for document in application.documents}
    assert context["products"][0]["hs_code"] == "1001"
    assert context["application"]["submitted_on"] is not None


@pytest.mark.real_pdf
def test_recommending_stores_one_dossier_per_application(registrar):
    chosen = [_positive("Steppe Grain LLP"), _positive("Kostanay Wheat LLP")]
    _inspected(chosen[0])
    gacc.recommend(registrar, [a.id for a in chosen], "Inspected in February")

    for application in chosen:
        (dossier,) = dossiers.list_dossiers(application=application)
        assert dossier.version == 1 and dossier.created_by_id == registrar.id
        pdf = dossiers.stored_pdf(dossier)
        assert pdf.kind == "dossier" and pdf.pages >= 2
        text = " ".join("\n".join(p.extract_text() for p in PdfReader(
            io.BytesIO(pdf_bytes(pdf))).pages).split())
        assert application.reference in text and "Recommendation letter" in text
        assert "Positive conclusion · 结论：合格 → Recommended to GACC · 已向海关总署推荐" in text
        assert "conclusion_positive" not in text
        assert "Rustem Abdrakhmanov" in text and "Deputy Chairman of the Committee" in text
        assert "(account)" not in text
    first = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes(
        dossiers.stored_pdf(dossiers.list_dossiers(application=chosen[0])[0])))).pages)
        .split())
    assert "Bait stations missing from the plan" in first and "≤ 0.2 mg/kg" in first
    assert "Steppe Grain LLP" in first and "Kostanay Wheat LLP" not in first
    squeezed = first.replace(" ", "")  # the hashes are printed in two halves
    assert all(document.sha256 in squeezed for document in chosen[0].documents)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossier_generated")).all()
    assert sorted(e.application_id for e in events) == sorted(a.id for a in chosen)


@pytest.mark.real_pdf
def test_a_batch_gets_one_dossier_covering_its_enterprises(registrar):
    chosen = [_positive(f"Enterprise {n}") for n in range(3)]
    gacc.recommend(registrar, [a.id for a in chosen])
    recommended_on(date(2026, 2, 27), [a.id for a in chosen])
    batch = gacc.submit_batch(registrar, BatchInput.from_mapping({"reference": "KZ-GACC-2026-07",
                                          "submitted_on": date(2026, 3, 2),
                                          "application_ids": [a.id for a in chosen]}))
    (dossier,) = dossiers.list_dossiers(batch=batch)
    assert dossier.gacc_batch_id == batch.id and dossier.application_id is None
    reader = PdfReader(io.BytesIO(pdf_bytes(dossiers.stored_pdf(dossier))))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert "KZ-GACC-2026-07" in text
    for n in range(3):
        assert f"3.{n + 1} Enterprise {n}" in text
    assert dossiers.download_name(dossier) == "dossier-KZ-GACC-2026-07-v1.pdf"
    # The letter bears the day the batch went to GACC, in a later version too (it bore the day
    # each version was made).
    assert "02.03.2026" in text
    again = dossiers.regenerate(registrar, batch=batch)
    reader = PdfReader(io.BytesIO(pdf_bytes(dossiers.stored_pdf(again))))
    assert "02.03.2026" in " ".join(reader.pages[0].extract_text().split())


def test_regenerating_stores_a_new_version_and_keeps_the_old_bytes(registrar):
    application = _positive("Steppe Grain LLP")
    gacc.recommend(registrar, [application.id])
    (first,) = dossiers.list_dossiers(application=application)
    original = pdf_bytes(dossiers.stored_pdf(first))
    second = dossiers.regenerate(registrar, application=application)
    assert second.version == 2
    assert [d.version for d in dossiers.list_dossiers(application=application)] == [2, 1]
    assert pdf_bytes(dossiers.stored_pdf(first)) == original
    with pytest.raises(PermissionDenied):
        dossiers.regenerate(make_user("inspector"), application=application)
    draft = _positive("Draft LLP")
    move_to_state(draft, "inspected")
    with pytest.raises(PermissionDenied, match="when the application is recommended"):
        dossiers.regenerate(registrar, application=draft)


def test_dossiers_are_for_registrars_and_the_inspectors_of_the_application(registrar):
    application = _positive("Steppe Grain LLP")
    gacc.recommend(registrar, [application.id])
    (dossier,) = dossiers.list_dossiers(application=application)
    assert dossiers.get_dossier(registrar, dossier.id) == dossier
    assert dossiers.get_dossier(make_user("inspector"), dossier.id) == dossier
    for outsider in (make_user("inspector", regions=["KZ-39"]), make_user("admin"),
                     make_user("inspector", committee="veterinary"), make_user("exporter")):
        with pytest.raises(NotFound):
            dossiers.get_dossier(outsider, dossier.id)
    with pytest.raises(NotFound):
        dossiers.get_dossier(registrar, dossier.id + 100)


def test_a_dossier_that_cannot_be_rendered_leaves_the_recommendation_standing(
        registrar, monkeypatch, caplog):
    application = _positive("Steppe Grain LLP")

    def refuse(context, **options):
        raise PdfRenderError("fonts missing")

    monkeypatch.setattr(dossiers, "render_dossier", refuse)
    gacc.recommend(registrar, [application.id])
    assert db.session.get(Application, application.id).state == "recommended"
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredPdf)) == 0
    assert "not rendered" in caplog.text
    monkeypatch.undo()
    assert dossiers.regenerate(registrar, application=application).version == 1



def test_the_recommendations_dossier_job_run_again_stores_nothing_more(registrar):
    application = _positive("Steppe Grain LLP")
    gacc.recommend(registrar, [application.id])
    (dossier,) = dossiers.list_dossiers(application=application)
    assert dossiers.generate_queued(registrar.id, application.id, None, 1) is False
    assert [d.id for d in dossiers.list_dossiers(application=application)] == [dossier.id]
    assert db.session.scalar(select(func.count()).select_from(StoredPdf)) == 1
