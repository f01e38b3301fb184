"""The inspection through the browser: scheduling, checklist and findings, corrective actions,
the exporter's evidence, and the inspector's verification."""

import html
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    Document,
    Finding,
    Inspection,
    Notification,
    QuarantineMeasurement,
)
from certtrack.services import (
    applications,
    dossier_context,
    inspections,
    quarantine,
    review,
    uploads,
)
from certtrack.services.reference import working_calendar

from factories import PDF_BYTES, make_submitted_application, make_user
from forms import flashes, login, post

NO_LONGER_POSSIBLE = "This action is no longer possible"
PHYTO_KEYS = [item.key for item in inspections.CHECKLISTS["phytosanitary"]]


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _fresh(application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def _actions(application) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.application_id == application.id).order_by(AuditEvent.seq)))


def _url(application, suffix: str = "") -> str:
    return f"/inspector/applications/{application.id}{suffix}"


def _day(days: int) -> str:
    """`days` from today; a day from today on moves to the next working day (an inspection on a
    weekend day or holiday needs "outside working hours")."""
    day = applications.local_today() + timedelta(days=days)
    return (working_calendar().add_working_days(day, 0) if days >= 0 else day).isoformat()


@pytest.fixture
def reviewed(ctx, client):
    """A wheat application under review, with a signed-in KZ-11 phytosanitary inspector."""
    exporter, application = make_submitted_application()
    inspector = make_user("inspector", full_name="Lead Inspector")
    colleague = make_user("inspector", full_name="Second Inspector")
    review.start_review(inspector, application)
    review.accept_remaining_documents(inspector, application)  # the check comes first
    login(client, inspector.email)
    return exporter, inspector, colleague, application


def _schedule(client, application, *team):
    response = post(client, _url(application, "/schedule"), {
        "mode": "on_site", "scheduled_for": _day(3),
        "inspector_ids": [str(u.id) for u in team]})
    assert response.status_code == 302, _page(response)[-4000:]


def _checklist(answer: str = "yes", **overrides) -> dict:
    # Performed today in Kazakhstan, as it is (a weekend day too); never a day ahead.
    data = {"performed_on": applications.local_today().isoformat(),
            "summary": "Elevator inspected", "confirm": "y"}
    for key in PHYTO_KEYS:
        data[f"answer_{key}"] = overrides.get(key, answer)
        data[f"note_{key}"] = ""
    return data


def _finding(client, application, severity: str, requirement: str):
    response = post(client, _url(application, "/findings"), {
        "requirement": requirement, "observation": f"{requirement}: not met",
        "clause": "GB 2761", "severity": severity})
    assert response.status_code == 302, _page(response)[-4000:]
    return db.session.scalar(select(Finding).where(Finding.requirement == requirement))


def test_scheduling_sets_the_date_as_deadline_and_notifies_the_exporter(reviewed, client):
    exporter, inspector, colleague, application = reviewed
    page = _page(client.get(_url(application)))
    assert "two are recommended" in page
    # the inspector who schedules it is ticked (an only inspector had to tick themselves)
    chosen = re.findall(r'<option[^>]*\bselected\b[^>]*value="(\d+)"|<option[^>]*value="(\d+)"'
                        r'[^>]*\bselected\b', page.split('id="inspector_ids"')[1].split(
                            "</select>")[0])
    assert [int(a or b) for a, b in chosen] == [inspector.id]
    _schedule(client, application, inspector, colleague)
    stored = _fresh(application)
    assert stored.state == "inspection_scheduled"
    assert stored.stage_deadline.isoformat() == _day(3)
    inspection = db.session.scalar(select(Inspection))
    assert (inspection.mode, {u.id for u in inspection.inspectors}) == (
        "on_site", {inspector.id, colleague.id})
    assert "schedule_inspection" in _actions(application)
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "inspection_scheduled"))
    assert f"An inspection (on-site inspection) of application {application.reference}" in \
        note.message
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == colleague.id, Notification.kind == "inspection_scheduled"))


def test_the_products_fold_into_labelled_cards_on_a_phone(reviewed, client):
    """The one table of the page that stayed a table ran 23 px off a phone's screen in Kazakh
    ("Жылдық көлемі" cut off)."""
    _exporter, _inspector, _colleague, application = reviewed
    table = _page(client.get(_url(application))).split('id="products"')[0].rsplit("<table", 1)[1]
    assert 'class="table table-stack"' in table
    products = _page(client.get(_url(application))).split('id="products"')[1].split("</table>")[0]
    assert products.count('data-label="Annual volume"') == len(application.products) > 0


def test_scheduling_refuses_a_past_date_and_inspectors_of_another_committee(reviewed, client):
    _exporter, _inspector, _colleague, application = reviewed
    vet = make_user("inspector", committee="veterinary")
    response = post(client, _url(application, "/schedule"), {
        "mode": "on_site", "scheduled_for": _day(-1), "inspector_ids": [str(vet.id)]})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="scheduled_for-error">Choose a date from today on.' in page
    assert 'id="inspector_ids-error">Choose at least one inspector of the committee' in page
    # No inspector and a past date: both said in one answer, not one after the other.
    response = post(client, _url(application, "/schedule"),
                    {"mode": "on_site", "scheduled_for": _day(-1)})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="scheduled_for-error">Choose a date from today on.' in page
    assert 'id="inspector_ids-error">Choose at least one inspector of the committee' in page
    assert _fresh(application).state == "under_review"


def test_the_checklist_is_the_committees_and_every_answer_is_needed(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    page = _page(client.get(_url(application)))
    assert "Pest control programme" in page and "Cold chain" not in page
    response = post(client, _url(application, "/inspection"),
                    _checklist(pest_control="", staff_hygiene="no"))
    assert response.status_code == 422
    page = _page(response)
    assert "Answer yes, no or not applicable." in page
    assert "Explain what is missing." in page
    assert _fresh(application).state == "inspection_scheduled"


def test_the_full_inspection_with_corrective_actions_and_evidence(reviewed, client):
    exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    critical = _finding(client, application, "critical", "Pest control")
    minor = _finding(client, application, "minor", "Cleaning records")
    response = post(client, _url(application, "/inspection"),
                    _checklist(pest_control="no") | {"note_pest_control": "Rodent traps missing"})
    assert response.status_code == 302, _page(response)[-3000:]
    stored = _fresh(application)
    assert (stored.state, stored.stage_deadline) == ("inspected", None)
    inspection = db.session.scalar(select(Inspection))
    assert inspection.checklist["pest_control"] == {"answer": "no",
                                                    "note": "Rodent traps missing"}

    # Corrective actions: each open finding needs an action and a due date.
    response = post(client, _url(application, "/corrective-actions"), {
        "confirm": "y", f"action_{critical.id}": "Install traps", f"due_{critical.id}": _day(20),
        f"action_{minor.id}": "", f"due_{minor.id}": _day(10)})
    assert response.status_code == 422
    assert "Describe the corrective action." in _page(response)
    response = post(client, _url(application, "/corrective-actions"), {
        "confirm": "y", f"action_{critical.id}": "Install traps", f"due_{critical.id}": _day(20),
        f"action_{minor.id}": "Keep a cleaning log", f"due_{minor.id}": _day(10)})
    assert response.status_code == 302
    stored = _fresh(application)
    assert (stored.state, stored.stage_deadline.isoformat()) == ("corrective_actions", _day(20))
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "corrective_actions"))

    # The exporter sees the findings and uploads evidence for each.
    exporter_client = client.application.test_client()
    login(exporter_client, exporter.email)
    page = _page(exporter_client.get(f"/exporter/applications/{application.id}"))
    assert "Install traps" in page and "Keep a cleaning log" in page
    for finding in (critical, minor):
        response = post(exporter_client,
                        f"/exporter/applications/{application.id}/findings/{finding.id}/evidence",
                        {"file": (io.BytesIO(PDF_BYTES), f"evidence-{finding.id}.pdf"),
                         "note": "Done"}, content_type="multipart/form-data")
        assert response.status_code == 302
    db.session.expire_all()
    assert {f.status for f in db.session.scalars(select(Finding))} == {"evidence_submitted"}
    assert _fresh(application).state == "corrective_actions"
    assert _actions(application).count("submit_corrective_evidence") == 2
    assert db.session.get(Finding, critical.id).evidence_document.document_type_code == \
        "corrective_evidence"

    # The inspector closes one finding and re-opens the other: verification is refused.
    assert post(client, _url(application, f"/findings/{critical.id}/verify"),
                {"decision": "close"}).status_code == 302
    response = post(client, _url(application, f"/findings/{minor.id}/verify"),
                    {"decision": "reopen", "comment": ""})
    assert response.status_code == 422
    assert f'id="finding-{minor.id}-error">Say why the evidence is not sufficient.' in \
        _page(response)
    assert post(client, _url(application, f"/findings/{minor.id}/verify"),
                {"decision": "reopen", "comment": "The log is empty"}).status_code == 302
    response = post(client, _url(application, "/verify_corrective_actions"))
    assert response.status_code == 422
    page = _page(response)
    assert f"Finding {minor.id} (Cleaning records) is not closed yet." in page
    assert _fresh(application).state == "corrective_actions"

    # New evidence, closed, verified: back to inspected.
    page = _page(exporter_client.get(f"/exporter/applications/{application.id}"))
    assert "Replace evidence" not in page.split(f'id="finding-{minor.id}"')[1][:3000]
    response = post(exporter_client,
                    f"/exporter/applications/{application.id}/findings/{minor.id}/evidence",
                    {"file": (io.BytesIO(PDF_BYTES + b"v2"), "log.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    assert post(client, _url(application, f"/findings/{minor.id}/verify"),
                {"decision": "close"}).status_code == 302
    assert post(client, _url(application, "/verify_corrective_actions")).status_code == 302
    stored = _fresh(application)
    assert (stored.state, stored.stage_deadline) == ("inspected", None)
    assert [a for a in _actions(application) if a.startswith("finding_")
            or a in ("record_inspection", "require_corrective_actions",
                     "verify_corrective_actions")] == [
        "finding_recorded", "finding_recorded", "record_inspection",
        "require_corrective_actions", "finding_closed", "finding_reopened", "finding_closed",
        "verify_corrective_actions"]
    evidence = [d for d in stored.documents if d.document_type_code == "corrective_evidence"]
    assert sorted(d.version for d in evidence) == [1, 2, 3]


def test_evidence_must_be_a_pdf_or_image_and_is_refused_beside_the_finding(reviewed, client):
    exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    finding = _finding(client, application, "major", "Storage")
    post(client, _url(application, "/inspection"), _checklist())
    post(client, _url(application, "/corrective-actions"),
         {f"action_{finding.id}": "Fix roof", f"due_{finding.id}": _day(5), "confirm": "y"})
    login(client, exporter.email)
    url = f"/exporter/applications/{application.id}/findings/{finding.id}/evidence"
    response = post(client, url, {"file": (io.BytesIO(b"<html>"), "x.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert re.search(rf'id="evidence-{finding.id}-error">Only PDF, JPEG or PNG', _page(response))
    response = post(client, url, {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert f'id="evidence-{finding.id}-error">Choose a file to upload.' in _page(response)
    assert db.session.get(Finding, finding.id).status == "open"


def test_evidence_outside_the_corrective_actions_stage_is_flashed(reviewed, client):
    exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    finding = _finding(client, application, "major", "Storage")
    login(client, exporter.email)
    response = post(client,
                    f"/exporter/applications/{application.id}/findings/{finding.id}/evidence",
                    {"file": (io.BytesIO(PDF_BYTES), "e.pdf")},
                    content_type="multipart/form-data", follow_redirects=True)
    assert NO_LONGER_POSSIBLE in _page(response)
    assert db.session.get(Finding, finding.id).status == "open"


def test_another_exporter_cannot_upload_evidence(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    finding = _finding(client, application, "major", "Storage")
    other, _other_application = make_submitted_application(name="Other LLP")
    login(client, other.email)
    response = post(client,
                    f"/exporter/applications/{application.id}/findings/{finding.id}/evidence",
                    {"file": (io.BytesIO(PDF_BYTES), "e.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 404


def test_a_veterinary_application_gets_the_veterinary_checklist(ctx, client):
    _exporter, application = make_submitted_application(category="meat",
                                                        product="beef_chilled")
    vet = make_user("inspector", committee="veterinary")
    review.start_review(vet, application)
    review.accept_remaining_documents(vet, application)
    login(client, vet.email)
    response = post(client, _url(application, "/schedule"), {
        "mode": "video", "scheduled_for": _day(1), "inspector_ids": [str(vet.id)]})
    assert response.status_code == 302
    page = _page(client.get(_url(application)))
    assert "Ante- and post-mortem inspection" in page and "Cold chain" in page
    assert "Pest control programme" not in page


@pytest.mark.parametrize(("category", "product", "asked", "not_asked"), [
    ("dairy", "milk_powder", "Herd health: tuberculosis and brucellosis",
     "Ante- and post-mortem inspection"),
    ("bee_products", "honey", "Apiaries registered", "Animal identification"),
])
def test_a_dairy_farm_and_an_apiary_are_not_asked_the_slaughterhouses_questions(
        ctx, client, category, product, asked, not_asked):
    """A dairy farm's checklist asked for ante- and post-mortem inspection, an apiary's for
    animal identification and a cold chain: the meat plant's questions."""
    _exporter, application = make_submitted_application(category=category, product=product)
    vet = make_user("inspector", committee="veterinary")
    review.start_review(vet, application)
    review.accept_remaining_documents(vet, application)
    login(client, vet.email)
    assert post(client, _url(application, "/schedule"), {
        "mode": "video", "scheduled_for": _day(1), "inspector_ids": [str(vet.id)]}
    ).status_code == 302
    page = _page(client.get(_url(application)))
    assert asked in page and not_asked not in page and "Cold chain" not in page
    # an inspection recorded with the meat plant's questions still shows them
    inspection = inspections.current_inspection(application)
    inspection.checklist = {"ante_post_mortem": {"answer": "na", "note": "No slaughter"}}
    db.session.commit()
    page = _page(client.get(_url(application)))
    assert "Ante- and post-mortem inspection by an official veterinarian" in page
    assert "No slaughter" in page


def _next(weekday: int):
    """The first day after today with this weekday (6: Sunday)."""
    day = applications.local_today() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_scheduling_on_a_sunday_is_refused_with_a_clear_message(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    sunday = _next(6)
    response = post(client, _url(application, "/schedule"), {
        "mode": "on_site", "scheduled_for": sunday.isoformat(),
        "inspector_ids": [str(inspector.id)]})
    assert response.status_code == 422
    assert (f'id="scheduled_for-error">{format_date(sunday)} is a weekend day or a public holiday. '
            "Choose a working day, or tick “Outside working hours” and say why.") in \
        _page(response)
    assert _fresh(application).state == "under_review"
    assert db.session.scalar(select(Inspection)) is None


def test_scheduling_on_a_public_holiday_is_refused_too(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    # 16 December, Independence Day, of the next year whose 16 December is a weekday.
    year = applications.local_today().year + 1
    while date(year, 12, 16).weekday() >= 5:
        year += 1
    response = post(client, _url(application, "/schedule"), {
        "mode": "on_site", "scheduled_for": f"{year}-12-16",
        "inspector_ids": [str(inspector.id)]})
    assert response.status_code == 422
    assert "is a weekend day or a public holiday" in _page(response)


def test_outside_working_hours_needs_a_reason_and_is_then_accepted(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    sunday = _next(6).isoformat()
    body = {"mode": "on_site", "scheduled_for": sunday, "inspector_ids": [str(inspector.id)],
            "outside_working_hours": "y"}
    response = post(client, _url(application, "/schedule"), body)
    assert response.status_code == 422
    assert ('id="outside_hours_reason-error">Say why the inspection is held outside working '
            'hours.') in _page(response)
    response = post(client, _url(application, "/schedule"), {
        **body, "outside_hours_reason": "Slaughter runs only on Sundays in December"})
    assert response.status_code == 302
    inspection = db.session.scalar(select(Inspection))
    assert inspection.scheduled_for.isoformat() == sunday
    assert (inspection.outside_working_hours, inspection.outside_hours_reason) == (
        True, "Slaughter runs only on Sundays in December")


def _measure(client, application, measure, value, species="", correction=""):
    return post(client, _url(application, "/measurements"), {
        "measured_product": "wheat", "measure": measure, "measured_value": value,
        "species": species, "correction": correction})


def test_quarantine_measurements_are_judged_and_shown_with_units(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    assert _measure(client, application, "moisture", "13.1").status_code == 302
    assert _measure(client, application, "foreign_matter", "0.4").status_code == 302
    assert _measure(client, application, "weed_seeds", "0").status_code == 302
    missing_species = _measure(client, application, "live_pests", "2")
    assert missing_species.status_code == 422
    assert 'id="species-error">Name the species of the live pests found.' in \
        _page(missing_species)
    assert _measure(client, application, "live_pests", "2",
                    "Trogoderma granarium").status_code == 302
    rows = {m.measure: m for m in quarantine.measurements_of(application)}
    assert {k: (m.unit, m.verdict) for k, m in rows.items()} == {
        "moisture": ("%", "non_compliant"),  # GB 1351: at most 12.5 %
        "foreign_matter": ("%", "compliant"), "weed_seeds": ("per kg", "compliant"),
        "live_pests": ("found", "non_compliant")}
    assert rows["moisture"].requirement_value == Decimal("12.5")
    assert rows["moisture"].requirement_source.startswith("GB 1351-2008 Wheat")
    page = _page(client.get(_url(application)))
    assert "Quarantine measurements" in page
    assert "13.1 %" in page and "≤ 12.5 %" in page and "Trogoderma granarium" in page

    dossier = dossier_context.enterprise_context(_fresh(application))["inspection"]
    by_measure = {m["measure"]: m for m in dossier["measurements"]}
    assert by_measure["Moisture · 水分"]["value"] == "13.1 %"
    assert by_measure["Moisture · 水分"]["verdict"] == "non_compliant"
    assert by_measure["Live pests · 活虫"]["species"] == "Trogoderma granarium"
    # The product by its names and the requirement's citation in Chinese too, never a code.
    assert by_measure["Moisture · 水分"]["product"] == "Wheat · 小麦"
    assert by_measure["Moisture · 水分"]["source_zh"] == (
        "GB 1351-2008 小麦，5.1，表1（小麦质量要求）：水分，各等级")


def test_a_failing_measurement_is_measured_again_only_with_what_was_corrected(reviewed,
                                                                             client):
    """Three live pests found, then "0" typed: the failing count was replaced without a word,
    and the conclusion went through."""
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    assert 'id="correction"' not in _page(client.get(_url(application)))
    assert _measure(client, application, "live_pests", "3",
                    "Trogoderma granarium").status_code == 302
    assert 'id="correction"' in _page(client.get(_url(application)))
    silent = _measure(client, application, "live_pests", "0")
    assert silent.status_code == 422
    assert re.search(r'id="correction-error">Live pests of this product measured 3 on [^<]+, '
                     r"which does not meet its requirement\. Say what was corrected",
                     _page(silent))
    assert [m.value for m in quarantine.measurements_of(application)] == [Decimal("3")]
    assert _measure(client, application, "live_pests", "0",
                    correction="Lot fumigated and sieved, counted again").status_code == 302
    assert quarantine.failing_measurements(application) == []
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "quarantine_measured").order_by(AuditEvent.seq.desc())).first()
    assert event.comment == "Lot fumigated and sieved, counted again"
    assert _measure(client, application, "moisture", "12").status_code == 302  # a first one


def test_a_percentage_over_100_or_a_part_of_a_pest_is_refused_beside_the_value(reviewed,
                                                                                client):
    """"150" % moisture was judged non-compliant and "2.5" live pests were found."""
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    over = _measure(client, application, "moisture", "150")
    assert over.status_code == 422
    assert 'id="measured_value-error">Enter a percentage of 100 or less.' in _page(over)
    assert 'value="150"' in _page(over)  # kept, to be corrected
    part = _measure(client, application, "live_pests", "2.5", "Trogoderma granarium")
    assert part.status_code == 422
    assert ('id="measured_value-error">Enter the number of live pests found: a whole number.'
            in _page(part))
    assert quarantine.measurements_of(application) == []
    assert _measure(client, application, "foreign_matter", "100").status_code == 302


def test_a_meat_application_is_offered_no_plant_quarantine_measurement(ctx, client):
    """A frozen beef application took "moisture 74 %", judged "no requirement"."""
    from certtrack.models import Inspection

    from factories import make_application_for_lab

    _exporter, inspector, application = make_application_for_lab(
        "inspection_scheduled", product="beef_frozen")
    db.session.add(Inspection(application_id=application.id, mode="on_site",
                              scheduled_for=applications.local_today()))
    db.session.commit()
    login(client, inspector.email)
    page = _page(client.get(_url(application)))
    assert 'id="add-measurement"' not in page
    refused = post(client, _url(application, "/measurements"), {
        "measured_product": "beef_frozen", "measure": "moisture", "measured_value": "74"})
    assert refused.status_code == 422
    assert ("Plant-quarantine measurements are taken of grain, oilseeds and feed only."
            in _page(refused))
    assert quarantine.measurements_of(application) == []


def test_a_measurement_needs_an_inspection(reviewed, client):
    *_, application = reviewed
    response = _measure(client, application, "moisture", "11")
    assert response.status_code == 302  # stale page: flashed, nothing recorded
    assert quarantine.measurements_of(application) == []


def test_recording_the_inspection_and_requiring_actions_need_the_ticked_box(reviewed, client):
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    finding = _finding(client, application, "major", "Storage")
    unticked = {key: value for key, value in _checklist().items() if key != "confirm"}
    response = post(client, _url(application, "/inspection"), unticked)
    assert response.status_code == 422
    page = _page(response)
    assert "Tick the box to confirm." in page and "Elevator inspected" in page
    assert _fresh(application).state == "inspection_scheduled"
    post(client, _url(application, "/inspection"), _checklist())
    actions = {f"action_{finding.id}": "Fix roof", f"due_{finding.id}": _day(5)}
    response = post(client, _url(application, "/corrective-actions"), actions)
    assert response.status_code == 422
    assert "Tick the box to confirm." in _page(response) and "Fix roof" in _page(response)
    assert _fresh(application).state == "inspected"
    response = post(client, _url(application, "/corrective-actions"), {**actions, "confirm": "y"})
    assert response.status_code == 302
    assert _fresh(application).state == "corrective_actions"


def test_an_inspection_waits_for_the_completeness_check(ctx, client):
    """Three documents still "not reviewed yet" and the inspection was scheduled; the review's
    controls then disappeared with them undecided."""
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    first = review.reviewable_documents(application)[0]
    review.review_document(inspector, application, first.id, "accepted")
    waiting = len(review.reviewable_documents(application)) - 1
    login(client, inspector.email)
    response = post(client, _url(application, "/schedule"), {
        "mode": "on_site", "scheduled_for": _day(3), "inspector_ids": [str(inspector.id)]})
    assert response.status_code == 422
    assert (f"The completeness check comes first: {waiting} documents are not accepted yet"
            in html.unescape(_page(response)))
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "under_review"
    assert db.session.scalars(select(Inspection)).all() == []
    review.accept_remaining_documents(inspector, application)
    _schedule(client, application, inspector)
    assert db.session.get(Application, application.id).state == "inspection_scheduled"


def test_findings_are_numbered_within_their_application(reviewed, client):
    """Findings were called by their row id: an application's first finding read "Finding 5"
    because four had been recorded elsewhere, while its dossier called it F1."""
    exporter, inspector, _colleague, application = reviewed
    _other_exporter, other = make_submitted_application(name="Other Grain LLP")
    elsewhere = Inspection(application_id=other.id, mode="on_site", scheduled_for=date.today())
    db.session.add(elsewhere)
    db.session.flush()
    db.session.add_all([Finding(inspection_id=elsewhere.id, application_id=other.id,
                                requirement=f"Elsewhere {n}", observation="-", severity="minor")
                        for n in range(4)])
    db.session.commit()
    _schedule(client, application, inspector)
    first = _finding(client, application, "major", "Storage")
    second = _finding(client, application, "minor", "Labels")
    assert (first.id, second.id) == (5, 6)
    assert post(client, _url(application, "/inspection"), _checklist()).status_code == 302
    response = post(client, _url(application, "/corrective-actions"), {
        "confirm": "y", f"action_{first.id}": "Fix roof", f"due_{first.id}": _day(5),
        f"action_{second.id}": "Relabel", f"due_{second.id}": _day(5)})
    assert response.status_code == 302

    page = _page(client.get(_url(application)))
    rows = re.findall(r'<tr id="finding-\d+">\s*<td>(\d+)</td>', page)
    assert rows == ["1", "2"]
    response = post(client, _url(application, "/verify_corrective_actions"))
    assert response.status_code == 422
    page = _page(response)
    assert "Finding 1 (Storage) is not closed yet." in page
    assert "Finding 2 (Labels) is not closed yet." in page
    exporter_client = client.application.test_client()
    login(exporter_client, exporter.email)
    page = _page(exporter_client.get(f"/exporter/applications/{application.id}"))
    assert "Finding 1 — " in page and "Finding 2 — " in page and "Finding 5" not in page
    assert [f["ref"] for f in dossier_context._findings(application)[0]] == ["F1", "F2"]


def test_scheduling_says_an_unread_mode_with_the_date_and_the_team(reviewed, client):
    """A mode the form could not read was said alone: the past date and the missing inspector
    came on the next try."""
    _e, _inspector, _c, application = reviewed
    response = post(client, _url(application, "/schedule"), {
        "mode": "in_person", "scheduled_for": _day(-2), "inspector_ids": []})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="mode-error"' in page
    assert re.search(r'id="scheduled_for-error">\s*Choose a date from today on\.', page)
    assert re.search(r'id="inspector_ids-error">\s*Choose at least one inspector', page)
    assert _fresh(application).state == "under_review"


def _awaiting_evidence(reviewed, client):
    """The exporter signed in, a finding of their application awaiting evidence: a function
    sending its evidence form (file and note), and one listing the evidence versions."""
    exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    finding = _finding(client, application, "major", "Storage")
    assert post(client, _url(application, "/inspection"), _checklist()).status_code == 302
    assert post(client, _url(application, "/corrective-actions"), {
        "confirm": "y", f"action_{finding.id}": "Repair the roof",
        f"due_{finding.id}": _day(10)}).status_code == 302
    login(client, exporter.email)
    url = f"/exporter/applications/{application.id}/findings/{finding.id}/evidence"

    def send(content: bytes, note: str = "Roof repaired"):
        return post(client, url, {"file": (io.BytesIO(content), "roof.pdf"), "note": note},
                    content_type="multipart/form-data")

    def evidence() -> list[int]:
        return list(db.session.scalars(select(Document.version).where(
            Document.application_id == application.id,
            Document.document_type_code == "corrective_evidence")))

    return send, evidence


def test_evidence_sent_twice_is_kept_once_and_the_page_says_it_is_there(reviewed, client):
    application = reviewed[3]
    send, evidence = _awaiting_evidence(reviewed, client)
    assert send(PDF_BYTES).status_code == 302
    again = send(PDF_BYTES)
    assert again.status_code == 302
    assert evidence() == [1]
    assert _actions(application).count("submit_corrective_evidence") == 1
    said = flashes(_page(client.get(f"/exporter/applications/{application.id}")))
    assert len(said) == 1 and said[0].startswith("This file is already there as version 1, ")
    # a new note with the file, or another file, is new evidence
    assert send(PDF_BYTES, "Roof repaired, photos attached").status_code == 302
    assert send(PDF_BYTES + b"%2", "Roof repaired, photos attached").status_code == 302
    assert sorted(evidence()) == [1, 2, 3]


def test_near_the_quota_evidence_sent_twice_is_said_to_be_there(app, reviewed, client):
    application = reviewed[3]
    send, evidence = _awaiting_evidence(reviewed, client)
    app.config["UPLOAD_QUOTA_BYTES"] = uploads.used_storage(reviewed[0]) + len(PDF_BYTES) + 1
    assert send(PDF_BYTES).status_code == 302
    assert send(PDF_BYTES).status_code == 302
    said = flashes(_page(client.get(f"/exporter/applications/{application.id}")))
    assert len(said) == 1 and said[0].startswith("This file is already there as version 1, ")
    assert evidence() == [1]
    over = send(PDF_BYTES + b"%2")
    assert over.status_code == 422
    assert "reached the storage limit" in over.get_data(as_text=True)


def test_a_finding_or_a_measurement_sent_twice_is_recorded_once(reviewed, client):
    """A double click recorded two identical findings (two corrective actions for the
    exporter) and two measurements; the second sending is now told the first was recorded."""
    _exporter, inspector, _colleague, application = reviewed
    _schedule(client, application, inspector)
    finding = {"requirement": "Storage conditions", "observation": "No temperature records",
               "clause": "", "severity": "major"}
    measurement = {"measured_product": "wheat", "measure": "moisture",
                   "measured_value": "13.5", "species": ""}
    for path, entries, model, said in (
            ("/findings", finding, Finding, "You recorded this finding at "),
            ("/measurements", measurement, QuarantineMeasurement,
             "You recorded this measurement at ")):
        assert post(client, _url(application, path), entries).status_code == 302
        again = post(client, _url(application, path), entries, follow_redirects=True)
        assert again.status_code == 200
        assert any(message.startswith(said) and message.endswith(
            ": the form was sent twice, and nothing was recorded again.")
            for message in flashes(again.get_data(as_text=True)))
        assert db.session.scalar(select(func.count()).select_from(model).where(
            model.application_id == application.id)) == 1
    # other entries are another finding, recorded as such
    other = {**finding, "observation": "No humidity records"}
    assert post(client, _url(application, "/findings"), other).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Finding).where(
        Finding.application_id == application.id)) == 2
