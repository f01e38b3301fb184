"""services.inspections and services.corrective_actions: the rules of each step."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Finding, Notification
from certtrack.services import applications, corrective_actions, inspections, review
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.inputs import CorrectiveActionInput, FindingInput
from certtrack.services.reference import working_calendar

from factories import PDF_BYTES, make_submitted_application, make_user

FINDING = {"requirement": "Pest control", "observation": "Traps missing", "clause": "",
           "severity": "major"}


def _in_days(days: int):
    """`days` from today; a day from today on moves to the next working day (an inspection on a
    weekend day or holiday needs "outside working hours")."""
    day = applications.local_today() + timedelta(days=days)
    return working_calendar().add_working_days(day, 0) if days >= 0 else day


def _today():
    """Today in Kazakhstan, as it is (a weekend day too): the day an inspection was performed."""
    return applications.local_today()


def _answers(application, answer: str = "yes") -> dict:
    return {item.key: {"answer": answer, "note": "seen"}
            for item in inspections.checklist_for(application)}


def _events(application, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.application_id == application.id, AuditEvent.action == action)))


@pytest.fixture
def scheduled(ctx):
    exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    review.accept_remaining_documents(inspector, application)
    inspections.schedule_inspection(inspector, application, "document", _in_days(0),
                                    [inspector.id])
    return exporter, inspector, application


def _to_corrective_actions(inspector, application, *severities):
    found = [inspections.add_finding(inspector, application, FindingInput.from_mapping(
        {**FINDING, "severity": s}))
             for s in severities]
    inspections.record_inspection(inspector, application, _today(), _answers(application))
    corrective_actions.require_corrective_actions(inspector, application, {
        f.id: CorrectiveActionInput(action="Fix it", due_date=_in_days(5 + i))
        for i, f in enumerate(found)})
    return found


def _evidence(exporter, application, finding):
    return corrective_actions.submit_corrective_evidence(
        exporter, application, finding.id, io.BytesIO(PDF_BYTES), "proof.pdf", "done")


def test_the_team_is_the_committees_inspectors_of_the_region_and_the_assignee(ctx):
    _exporter, application = make_submitted_application()
    local = make_user("inspector", full_name="Local")
    make_user("inspector", regions=["KZ-39"], full_name="Faraway")
    make_user("inspector", committee="veterinary", full_name="Vet")
    assert [u.full_name for u in inspections.team_candidates(application)] == ["Local"]
    faraway_assigned = make_user("inspector", regions=["KZ-39"], full_name="Assigned")
    review.assign_inspector(make_user("registrar"), application, faraway_assigned.id)
    assert [u.full_name for u in inspections.team_candidates(application)] == [
        "Assigned", "Local"]
    assert local.id


def test_schedule_validates_mode_date_and_team_together(ctx):
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    vet = make_user("inspector", committee="veterinary")
    review.start_review(inspector, application)
    review.accept_remaining_documents(inspector, application)
    with pytest.raises(ValidationFailed) as error:
        inspections.schedule_inspection(inspector, application, "phone", _in_days(-1),
                                        [inspector.id, vet.id])
    assert set(error.value.errors) == {"mode", "scheduled_for", "inspector_ids"}
    assert application.state == "under_review"
    assert inspections.list_inspections(application) == []


def test_a_stale_schedule_is_an_illegal_transition_and_leaves_no_inspection(ctx):
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    with pytest.raises(IllegalTransition):
        inspections.schedule_inspection(inspector, application, "video", _in_days(1),
                                        [inspector.id])
    assert inspections.list_inspections(application) == []


def test_findings_are_recorded_with_an_audit_row_and_only_while_inspecting(scheduled):
    _exporter, inspector, application = scheduled
    with pytest.raises(ValidationFailed) as error:
        inspections.add_finding(inspector, application, FindingInput.from_mapping(
            {"severity": "fatal"}))
    assert set(error.value.errors) == {"requirement", "observation", "severity"}
    finding = inspections.add_finding(inspector, application, FindingInput.from_mapping(
        {**FINDING, "clause": "GB 2761"}))
    [event] = _events(application, "finding_recorded")
    assert (event.object_id, event.data["severity"], event.data["clause"]) == (
        finding.id, "major", "GB 2761")
    review_state = db.session.get(type(application), application.id)
    review_state.state = "corrective_actions"
    db.session.commit()
    with pytest.raises(IllegalTransition):
        inspections.add_finding(inspector, application, FindingInput.from_mapping(FINDING))


def test_record_inspection_stores_the_checklist(scheduled):
    _exporter, inspector, application = scheduled
    answers = _answers(application)
    answers["water_quality"] = {"answer": "na", "note": ""}
    with pytest.raises(ValidationFailed) as error:
        inspections.record_inspection(inspector, application, _in_days(1), {})
    keys = {f"answer_{item.key}" for item in inspections.checklist_for(application)}
    assert set(error.value.errors) == keys | {"performed_on"}
    inspection = inspections.record_inspection(inspector, application, _today(), answers,
                                               "Fine")
    assert inspection.checklist["water_quality"] == {"answer": "na", "note": ""}
    assert inspection.performed_on == _today()
    assert application.state == "inspected"
    [event] = _events(application, "record_inspection")
    assert event.data["inspection"] == inspection.id


def test_corrective_actions_need_an_open_finding_and_set_the_latest_due_date(scheduled):
    _exporter, inspector, application = scheduled
    inspections.record_inspection(inspector, application, _today(), _answers(application))
    with pytest.raises(ValidationFailed) as error:
        corrective_actions.require_corrective_actions(inspector, application, {})
    assert error.value.errors[""] == ["There is no open finding to correct."]
    finding = inspections.add_finding(inspector, application, FindingInput.from_mapping(FINDING))
    with pytest.raises(ValidationFailed) as error:
        corrective_actions.require_corrective_actions(
            inspector, application,
            {finding.id: CorrectiveActionInput(action="x", due_date=_today())})
    assert set(error.value.errors) == {f"due_{finding.id}"}
    latest = corrective_actions.require_corrective_actions(
        inspector, application,
        {finding.id: CorrectiveActionInput(action="Traps", due_date=_in_days(9))})
    assert (latest, application.stage_deadline, application.state) == (
        _in_days(9), _in_days(9), "corrective_actions")


def test_a_corrective_action_due_on_a_day_off_is_refused_with_the_next_working_day(
        scheduled, monkeypatch):
    """Due on a Saturday, the exporter's last day was a day the inspector does not work."""
    _exporter, inspector, application = scheduled
    inspections.record_inspection(inspector, application, _today(), _answers(application))
    finding = inspections.add_finding(inspector, application, FindingInput.from_mapping(FINDING))
    monkeypatch.setattr(corrective_actions, "local_today", lambda: date(2026, 3, 16))
    with pytest.raises(ValidationFailed) as error:
        corrective_actions.require_corrective_actions(inspector, application, {
            finding.id: CorrectiveActionInput(action="Traps", due_date=date(2026, 3, 21))})
    assert error.value.errors == {f"due_{finding.id}": [
        "Mar 21, 2026 is a weekend day or a public holiday: a deadline falls on a working day. "
        "Choose Mar 26, 2026 or another working day."]}
    assert application.state == "inspected"


def test_evidence_keeps_the_state_and_its_age(scheduled):
    exporter, inspector, application = scheduled
    [finding] = _to_corrective_actions(inspector, application, "critical")
    since = application.state_changed_at
    _evidence(exporter, application, finding)
    db.session.expire_all()
    assert (application.state, application.state_changed_at) == ("corrective_actions", since)
    assert finding.status == "evidence_submitted"
    assert finding.evidence_document.sha256
    [event] = _events(application, "submit_corrective_evidence")
    assert (event.from_state, event.to_state, event.object_id) == (
        "corrective_actions", "corrective_actions", finding.id)


def test_evidence_is_told_to_the_regions_inspectors_while_none_is_assigned(scheduled):
    """The inspector's assignments released, the exporter's evidence was told to nobody."""
    exporter, inspector, application = scheduled
    [finding] = _to_corrective_actions(inspector, application, "major")
    application.assignee_id = None
    db.session.commit()
    colleague = make_user("inspector")  # of the committee and the region
    make_user("inspector", regions=["KZ-39"])  # of another region: not told
    _evidence(exporter, application, finding)
    told = db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "corrective_actions", Notification.message.startswith(
            "Evidence was uploaded"))).all()
    assert sorted(told) == sorted([inspector.id, colleague.id])


def test_evidence_only_for_the_owner_and_a_finding_waiting_for_it(scheduled):
    exporter, inspector, application = scheduled
    first, second = _to_corrective_actions(inspector, application, "major", "minor")
    with pytest.raises(NotFound):
        _evidence(inspector, application, first)
    with pytest.raises(NotFound):
        corrective_actions.submit_corrective_evidence(
            exporter, application, 9999, io.BytesIO(PDF_BYTES), "p.pdf")
    _evidence(exporter, application, second)
    corrective_actions.verify_finding(inspector, application, second.id, close=True)
    with pytest.raises(NotFound):
        _evidence(exporter, application, second)
    assert first.status == "open"


def test_verification_rules(scheduled):
    exporter, inspector, application = scheduled
    first, second = _to_corrective_actions(inspector, application, "critical", "minor")
    with pytest.raises(IllegalTransition):  # nothing to judge yet
        corrective_actions.verify_finding(inspector, application, first.id, close=True)
    _evidence(exporter, application, first)
    with pytest.raises(ValidationFailed) as error:
        corrective_actions.verify_corrective_actions(inspector, application)
    assert len(error.value.errors[""]) == 2
    corrective_actions.verify_finding(inspector, application, first.id, close=True)
    with pytest.raises(ValidationFailed) as error:
        corrective_actions.verify_corrective_actions(inspector, application)
    assert error.value.errors[""] == [f"Finding {second.id} (Pest control) is not closed yet."]
    _evidence(exporter, application, second)
    corrective_actions.verify_finding(inspector, application, second.id, close=True)
    corrective_actions.verify_corrective_actions(inspector, application)
    assert (application.state, application.stage_deadline) == ("inspected", None)


def test_a_racing_decision_on_a_finding_applies_once(scheduled):
    exporter, inspector, application = scheduled
    [finding] = _to_corrective_actions(inspector, application, "major")
    _evidence(exporter, application, finding)
    assert finding.status == "evidence_submitted"  # the page the inspector saw
    db.session.execute(update(Finding).where(Finding.id == finding.id).values(status="closed")
                       .execution_options(synchronize_session=False))
    with pytest.raises(Conflict):
        corrective_actions.verify_finding(inspector, application, finding.id, close=True)
    assert _events(application, "finding_closed") == []


def test_an_inspection_is_not_recorded_as_done_before_it_was_scheduled(scheduled):
    """Scheduled today, recorded as performed two days ago: accepted, only "not in the future"
    was checked."""
    _exporter, inspector, application = scheduled
    with pytest.raises(ValidationFailed) as error:
        inspections.record_inspection(inspector, application, _today() - timedelta(days=2),
                                      _answers(application))
    assert error.value.errors["performed_on"][0].startswith(
        "The inspection took place once it was scheduled: not before ")
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "inspection_scheduled"
    inspections.record_inspection(inspector, application, _today(), _answers(application))
    assert application.state == "inspected"

