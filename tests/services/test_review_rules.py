"""services.review: assignment, claiming and the completeness check, called as the views do."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, CorrectionRequest, Notification
from certtrack.services import applications, documents, review
from certtrack.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from certtrack.services.reference import working_calendar

from factories import PDF_BYTES, make_submitted_application, make_user


@pytest.fixture
def world(ctx):
    exporter, application = make_submitted_application()
    inspector = make_user("inspector", full_name="First Inspector")
    return exporter, inspector, application


def _actions(application) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.application_id == application.id).order_by(AuditEvent.seq)))


def _in_days(days: int):
    """The first working day from `days` days ahead: a deadline falls on a working day."""
    return working_calendar().add_working_days(applications.local_today() + timedelta(days), 0)


def test_start_review_keeps_an_existing_assignee(world):
    _exporter, inspector, application = world
    registrar = make_user("registrar")
    colleague = make_user("inspector")
    review.assign_inspector(registrar, application, colleague.id)
    review.start_review(inspector, application)
    assert (application.state, application.assignee_id) == ("under_review", colleague.id)


def test_only_registrars_assign_and_never_on_drafts_or_closed_work(world):
    exporter, inspector, application = world
    with pytest.raises(PermissionDenied):
        review.assign_inspector(inspector, application, inspector.id)
    _other, draft = make_submitted_application(exporter, submit=False)
    with pytest.raises(IllegalTransition):
        review.assign_inspector(make_user("registrar"), draft, inspector.id)
    with pytest.raises(ValidationFailed) as error:
        review.assign_inspector(make_user("registrar"), application, 999)
    assert "inspector_id" in error.value.errors


def test_a_disabled_inspector_cannot_be_assigned(world):
    _exporter, inspector, application = world
    inspector.is_active = False
    db.session.commit()
    with pytest.raises(ValidationFailed):
        review.assign_inspector(make_user("registrar"), application, inspector.id)


def test_a_lost_claim_race_is_a_conflict_and_writes_nothing(world):
    _exporter, inspector, application = world
    rival = make_user("inspector")
    assert application.assignee_id is None  # what the inspector's page showed
    # The rival's claim reaches the row first; the inspector's loaded copy does not see it.
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(assignee_id=rival.id)
                       .execution_options(synchronize_session=False))
    with pytest.raises(Conflict):
        review.claim_application(inspector, application)
    assert "application_claimed" not in _actions(application)
    assert db.session.get(Application, application.id).assignee_id != inspector.id


def test_an_assigned_inspector_of_another_region_cannot_claim_but_may_act(world):
    _exporter, _inspector, application = world
    faraway = make_user("inspector", regions=["KZ-39"])
    with pytest.raises(NotFound):
        review.claim_application(faraway, application)
    review.assign_inspector(make_user("registrar"), application, faraway.id)
    with pytest.raises(PermissionDenied):
        review.claim_application(faraway, application)
    review.start_review(faraway, application)
    assert application.state == "under_review"


def test_documents_are_decided_only_under_review_and_only_in_their_latest_version(world):
    exporter, inspector, application = world
    document = review.reviewable_documents(application)[0]
    with pytest.raises(IllegalTransition):
        review.review_document(inspector, application, document.id, "accepted")
    review.start_review(inspector, application)
    with pytest.raises(ValidationFailed):
        review.review_document(inspector, application, document.id, "maybe")
    review.review_document(inspector, application, document.id, "rejected", "Blurred")
    review.return_for_corrections(inspector, application, "Blurred scan", _in_days(10))
    documents.upload_document(exporter, application, document.document_type_code,
                              io.BytesIO(PDF_BYTES), "sharp.pdf")
    applications.submit_application(exporter, application)
    review.start_review(inspector, application)
    with pytest.raises(NotFound):
        review.review_document(inspector, application, document.id, "accepted")
    newest = next(d for d in review.reviewable_documents(application)
                  if d.document_type_code == document.document_type_code)
    assert (newest.version, newest.review_status) == (2, "pending")
    review.review_document(inspector, application, newest.id, "accepted")
    assert newest.review_status == "accepted"


def test_a_registrar_cannot_decide_documents(world):
    _exporter, inspector, application = world
    review.start_review(inspector, application)
    document = review.reviewable_documents(application)[0]
    with pytest.raises(PermissionDenied):
        review.review_document(make_user("registrar"), application, document.id, "accepted")


def test_return_validates_everything_at_once(world):
    _exporter, inspector, application = world
    review.start_review(inspector, application)
    with pytest.raises(ValidationFailed) as error:
        review.return_for_corrections(inspector, application, " \n ", applications.local_today())
    assert set(error.value.errors) == {"deficiencies", "response_deadline"}
    with pytest.raises(ValidationFailed):
        review.return_for_corrections(inspector, application, "x", None)
    assert db.session.scalar(select(CorrectionRequest)) is None
    assert application.state == "under_review"


def test_a_response_deadline_on_a_day_off_is_refused_with_the_next_working_day(
        world, monkeypatch):
    """A deadline on Nauryz was taken as given: the exporter's last day to answer was a
    holiday. A term ends on a working day; the error names the first one after the day off."""
    _exporter, inspector, application = world
    review.start_review(inspector, application)
    monkeypatch.setattr(review, "local_today", lambda: date(2026, 3, 16))
    for day_off in (date(2026, 3, 22), date(2026, 3, 23)):  # a Sunday, then Nauryz
        with pytest.raises(ValidationFailed) as error:
            review.return_for_corrections(inspector, application, "Blurred scan", day_off)
        assert error.value.errors == {"response_deadline": [
            f"{day_off:%b} {day_off.day}, 2026 is a weekend day or a public holiday: a deadline "
            "falls on a working day. Choose Mar 26, 2026 or another working day."]}
    assert db.session.scalar(select(CorrectionRequest)) is None
    request = review.return_for_corrections(inspector, application, "Blurred scan",
                                            date(2026, 3, 26))
    assert request.response_deadline == application.stage_deadline == date(2026, 3, 26)


def test_resubmission_resolves_the_correction_request_in_the_same_step(world):
    exporter, inspector, application = world
    review.start_review(inspector, application)
    request = review.return_for_corrections(inspector, application, "One\nTwo", _in_days(12))
    assert application.stage_deadline == _in_days(12)
    assert db.session.scalars(select(Notification.kind).where(
        Notification.user_id == exporter.id)).all() == ["returned"]
    assert request.resolved_at is None
    deadline = applications.submit_application(exporter, application)
    db.session.refresh(request)
    assert request.resolved_at is not None
    assert application.stage_deadline == deadline
    assert _actions(application)[-3:] == ["start_review", "return_for_corrections",
                                          "resubmit"]


def test_reject_needs_a_reason(world):
    _exporter, inspector, application = world
    review.start_review(inspector, application)
    with pytest.raises(ValidationFailed):
        review.reject_application(inspector, application, "  ")
    # A single character was taken as the reason of a rejection, which is final.
    with pytest.raises(ValidationFailed) as raised:
        review.reject_application(inspector, application, "x")
    assert raised.value.errors == {"comment": [
        "Give the reason in a few words: at least 10 characters, or 4 Chinese characters."]}
    assert db.session.get(Application, application.id).state == "under_review"
    review.reject_application(inspector, application, "Out of scope")
    assert application.state == "rejected"
    note = db.session.scalars(select(Notification).where(
        Notification.kind == "conclusion")).one()  # the exporter is told why
    assert note.message == f"Application {application.reference} was rejected: Out of scope"
    with pytest.raises(IllegalTransition):
        review.start_review(inspector, application)


def test_the_default_response_deadline_is_ten_working_days_past_nauryz(ctx, monkeypatch):
    # Friday 20 March 2026; Nauryz and its moved days off run from the 21st to the 25th.
    monkeypatch.setattr(review, "local_today", lambda: date(2026, 3, 20))
    assert review.default_response_deadline() == date(2026, 4, 8)
