"""The inspector's conclusion through the service: what blocks a positive one, both outcomes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from lab_factories import DON, WHEAT_REQUIRED, lab_round
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    Finding,
    Inspection,
    LabLimit,
    LabResult,
    Notification,
    OutboxEmail,
)
from certtrack.services import conclusions, dossier_context, limits
from certtrack.services.applications import local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import LimitInput
from certtrack.services.local_dates import format_day

from factories import (
    make_application_for_lab,
    make_submitted_application,
    make_user,
    move_to_state,
)


def add_finding(application, severity: str, status: str = "open") -> Finding:
    inspection = Inspection(application_id=application.id, mode="on_site",
                            scheduled_for=local_today())
    db.session.add(inspection)
    db.session.flush()
    finding = Finding(inspection_id=inspection.id, application_id=application.id,
                      requirement="Pest control", observation="Traps missing",
                      severity=severity, status=status)
    db.session.add(finding)
    db.session.commit()
    return finding


@pytest.fixture
def wheat(ctx):
    exporter, inspector, application = make_application_for_lab("inspected")
    return exporter, inspector, application


def test_positive_conclusion_with_valid_compliant_results_and_no_blocking_finding(wheat):
    exporter, inspector, application = wheat
    application = lab_round(inspector, application, WHEAT_REQUIRED)
    add_finding(application, "minor")
    add_finding(application, "major", status="closed")
    assert conclusions.check_conclusion(application).messages == []
    conclusions.conclude_positive(inspector, application, "")
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state == "conclusion_positive"
    assert "valid and compliant" in application.conclusion
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "conclude_positive")).one()
    assert event.to_state == "conclusion_positive"
    kinds = db.session.scalars(select(Notification.kind).where(
        Notification.user_id == exporter.id)).all()
    assert "conclusion" in kinds


def test_the_standard_sentence_is_kept_untranslated_and_read_in_each_language(wheat):
    """An inspector working in Kazakh concludes without a text of their own: a registrar in
    Chinese reads the sentence in Chinese, the dossier prints it in English and Chinese."""
    _exporter, inspector, application = wheat
    application = lab_round(inspector, application, WHEAT_REQUIRED)
    with force_locale("kk"):
        conclusions.conclude_positive(inspector, application, "  ")
    db.session.expire_all()
    stored = db.session.get(Application, application.id).conclusion
    assert stored == conclusions.STANDARD_POSITIVE_TEXT
    assert conclusions.conclusion_in(stored, "zh") == \
        "无未关闭的严重或主要不符合项；所有必需的实验室检测结果均在有效期内并合格。"
    assert conclusions.conclusion_in(stored, "kk").startswith("Жойылмаған сыни")
    dossier = dossier_context.enterprise_context(db.session.get(Application, application.id))
    assert dossier["conclusion"] == (f"{stored} · "
                                     f"{conclusions.conclusion_in(stored, 'zh')}")
    assert conclusions.conclusion_in("Seen on site by me.", "zh") == "Seen on site by me."


def test_result_past_its_validity_does_not_count(wheat):
    _exporter, inspector, application = wheat
    expired = {**WHEAT_REQUIRED[DON], "tested_on": local_today() - timedelta(days=40),
               "valid_days": 30}
    application = lab_round(inspector, application, {**WHEAT_REQUIRED, DON: expired})
    with pytest.raises(ValidationFailed) as error:
        conclusions.conclude_positive(inspector, application, "")
    [message] = error.value.errors[""]
    assert DON in message and "expired" in message
    assert db.session.get(Application, application.id).state == "inspected"


def test_missing_and_non_compliant_results_are_named(wheat):
    _exporter, inspector, application = wheat
    results = {**WHEAT_REQUIRED, "lead": {"value": Decimal("0.25"), "unit": "mg/kg"}}
    del results["cadmium"]
    application = lab_round(inspector, application, results)
    messages = conclusions.check_conclusion(application).messages
    assert messages == [
        "lead is not compliant. 0.25 mg/kg exceeds the limit of 0.2 mg/kg.",
        "No valid, compliant result for cadmium.",
    ]


def test_a_limit_lowered_since_a_result_blocks_the_conclusion_until_it_is_met(wheat):
    """A result keeps the verdict of the limit it was judged by, but a conclusion stands on
    today's: lead 0.15 mg/kg passed 0.2, and an administrator corrected the limit to 0.1."""
    _exporter, inspector, application = wheat
    lead = {"value": Decimal("0.15"), "unit": "mg/kg"}
    application = lab_round(inspector, application, {**WHEAT_REQUIRED, "lead": lead})
    assert conclusions.check_conclusion(application).allows_positive
    row = next(r for r in db.session.scalars(select(LabLimit).where(LabLimit.parameter == "lead"))
               if "wheat" in r.products.split())
    limits.update_limit(make_user("admin"), row, LimitInput.from_mapping({
        "value": Decimal("0.1"), "unit": row.unit, "matrix": row.matrix,
        "products": row.products, "source": "GB 2762-2022 as corrected", "confidence": "V",
        "required": row.required}))
    check = conclusions.check_conclusion(application)
    assert check.messages == [
        f"lead: the result of {format_day(local_today())} met the limit it was judged by, but "
        "not the limit in force today, 0.1 mg/kg at most. Test again, or conclude negatively."]
    with pytest.raises(ValidationFailed):
        conclusions.conclude_positive(inspector, application, "")
    assert db.session.get(Application, application.id).state != "conclusion_positive"
    application = lab_round(inspector, application, {"lead": {
        "value": Decimal("0.05"), "unit": "mg/kg",
        "correction": "Retest under the corrected limit"}}, code="S-2")
    assert conclusions.check_conclusion(application).allows_positive


def test_a_new_samples_result_replaces_a_failed_one_only_as_a_retest_with_its_reason(wheat):
    """A second sample's result stands beside the first's: without a reason both count and
    the failing one blocks; a retest, recorded with why, replaces it."""
    _exporter, inspector, application = wheat
    failed = {**WHEAT_REQUIRED, "lead": {"value": Decimal("0.25"), "unit": "mg/kg"}}
    application = lab_round(inspector, application, failed)
    application = lab_round(inspector, application, {"lead": WHEAT_REQUIRED["lead"]}, code="S-2")
    assert conclusions.check_conclusion(application).messages == [
        "lead (sample S-1) is not compliant. 0.25 mg/kg exceeds the limit of 0.2 mg/kg."]
    application = lab_round(inspector, application, {"lead": {
        **WHEAT_REQUIRED["lead"], "correction": "Resampled after the silo was cleaned"}},
        code="S-3")
    assert conclusions.check_conclusion(application).allows_positive
    replaced = {row.sample.code for row in db.session.scalars(select(LabResult).where(
        LabResult.parameter == "lead")) if row not in conclusions.latest_results(application)}
    assert replaced == {"S-1", "S-2"}
    # the dossier to GACC prints the failing result beside the positive conclusion: marked
    lead = [row for row in dossier_context.enterprise_context(application)["lab_results"]
            if row["parameter"].startswith("lead")]
    assert [(row["sample"], row["replaced"]) for row in lead] == [
        ("S-1", True), ("S-2", True), ("S-3", False)]


def test_open_critical_and_major_findings_block(wheat):
    _exporter, inspector, application = wheat
    application = lab_round(inspector, application, WHEAT_REQUIRED)
    add_finding(application, "critical")
    add_finding(application, "major", status="evidence_submitted")
    add_finding(application, "major")
    with pytest.raises(ValidationFailed) as error:
        conclusions.conclude_positive(inspector, application, "")
    assert error.value.errors[""] == ["1 critical finding is still open.",
                                      "2 major findings are still open."]


def test_negative_conclusion_needs_reasons_and_stores_them(wheat):
    exporter, inspector, application = wheat
    with pytest.raises(ValidationFailed) as error:
        conclusions.conclude_negative(inspector, application, "  ")
    assert "comment" in error.value.errors
    assert db.session.get(Application, application.id).state == "inspected"
    conclusions.conclude_negative(inspector, application, "Lead above the limit twice.")
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state == "conclusion_negative"
    assert application.conclusion == "Lead above the limit twice."
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "conclude_negative")).one()
    assert event.comment == "Lead above the limit twice."
    note = db.session.scalar(select(Notification).where(Notification.user_id == exporter.id))
    assert note.kind == "conclusion"
    # the exporter is told why, on the page and by e-mail, not only that it was negative
    assert note.message == (f"The inspection of application {application.reference} "
                            "concluded negatively: Lead above the limit twice.")
    assert "Lead above the limit twice." in db.session.scalar(
        select(OutboxEmail.body).where(OutboxEmail.recipient == exporter.email))


def test_products_without_a_required_test_conclude_without_claiming_results(ctx):
    """Rapeseed meal: the dossier's "No laboratory results" stood beside the standard sentence
    "every required laboratory result is valid and compliant"."""
    _exporter, application = make_submitted_application(category="feed",
                                                        product="rapeseed_meal")
    for document in application.documents:  # the completeness check it skips
        document.review_status = "accepted"
    move_to_state(application, "inspected")
    inspector = make_user("inspector")
    conclusions.conclude_positive(inspector, application)
    db.session.expire_all()
    stored = db.session.get(Application, application.id).conclusion
    assert stored == ("No open critical or major finding; China's limits require no laboratory "
                      "test of these products.")
    assert conclusions.conclusion_in(stored, "zh") == \
        "无未关闭的严重或主要不符合项；中国限量标准对这些产品不要求实验室检测。"
    dossier = dossier_context.enterprise_context(db.session.get(Application, application.id))
    assert dossier["conclusion"] == f"{stored} · {conclusions.conclusion_in(stored, 'zh')}"
    assert dossier["lab_results"] == []
