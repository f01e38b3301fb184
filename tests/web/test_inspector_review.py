"""The completeness check through the browser: start, document decisions, return, resubmission,
rejection, assignment and claiming — and who may do none of it."""

import html
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, CorrectionRequest, Document, Notification
from certtrack.services import applications
from certtrack.services.reference import working_calendar

from factories import PDF_BYTES, make_exporter_with_application, make_user
from forms import login, post

NO_LONGER_POSSIBLE = "This action is no longer possible"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _fresh(application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def _events(application, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.application_id == application.id, AuditEvent.action == action)
        .order_by(AuditEvent.seq)))


def _url(application, suffix: str = "") -> str:
    return f"/inspector/applications/{application.id}{suffix}"


@pytest.fixture
def submitted(ctx):
    """A submitted wheat application in KZ-11, its exporter, and a phytosanitary KZ-11 inspector."""
    exporter, _enterprise, _establishment, application = make_exporter_with_application()
    applications.submit_application(exporter, application)
    inspector = make_user("inspector", full_name="Aigerim Inspector")
    return exporter, inspector, application


@pytest.fixture
def under_review(submitted, client):
    exporter, inspector, application = submitted
    login(client, inspector.email)
    assert post(client, _url(application, "/start_review")).status_code == 302
    return exporter, inspector, application


def _documents(application) -> list[Document]:
    return sorted(_fresh(application).documents, key=lambda d: d.document_type_code)


def test_starting_the_review_keeps_the_completeness_deadline_and_assigns_the_inspector(
        submitted, client):
    exporter, inspector, application = submitted
    deadline = _fresh(application).stage_deadline
    login(client, inspector.email)
    response = post(client, _url(application, "/start_review"))
    assert response.status_code == 302
    # Back to the section acted in, not to the top of the page.
    assert response.location == _url(application) + "#action-start_review"
    stored = _fresh(application)
    assert (stored.state, stored.stage_deadline, stored.assignee_id) == (
        "under_review", deadline, inspector.id)
    [event] = _events(application, "start_review")
    assert (event.actor_id, event.from_state, event.to_state) == (
        inspector.id, "submitted", "under_review")
    page = _page(client.get(_url(application)))
    assert "Completeness check" in page and "Return for corrections" in page
    assert "Aigerim Inspector" in page


def test_a_double_clicked_start_is_flashed_and_applied_once(under_review, client):
    _exporter, _inspector, application = under_review
    response = post(client, _url(application, "/start_review"), follow_redirects=True)
    assert response.status_code == 200
    assert NO_LONGER_POSSIBLE in _page(response)
    assert len(_events(application, "start_review")) == 1


def test_each_document_is_accepted_or_rejected_with_an_audited_decision(under_review, client):
    _exporter, inspector, application = under_review
    first, second, *_rest = _documents(application)
    assert post(client, _url(application, f"/documents/{first.id}/review"),
                {"decision": "accepted", "comment": ""}).status_code == 302
    response = post(client, _url(application, f"/documents/{second.id}/review"),
                    {"decision": "rejected", "comment": "The stamp is missing"})
    assert response.status_code == 302
    first, second, *_rest = _documents(application)
    assert (first.review_status, first.reviewed_by_id) == ("accepted", inspector.id)
    assert (second.review_status, second.review_comment) == ("rejected", "The stamp is missing")
    assert second.reviewed_at is not None
    [accepted] = _events(application, "document_accepted")
    [rejected] = _events(application, "document_rejected")
    assert (accepted.object_id, rejected.object_id) == (first.id, second.id)
    assert rejected.comment == "The stamp is missing"


def test_accept_all_remaining_accepts_the_undecided_documents_only(under_review, client):
    _exporter, inspector, application = under_review
    first, second, *rest = _documents(application)
    assert "Accept all remaining" in _page(client.get(_url(application)))
    post(client, _url(application, f"/documents/{first.id}/review"),
         {"decision": "rejected", "comment": "The stamp is missing"})
    response = post(client, _url(application, "/accept_remaining"))
    assert response.status_code == 302
    assert response.location == _url(application) + "#completeness"
    page = _page(client.get(response.location))
    assert f"{len(rest) + 1} documents were accepted." in page
    assert "Accept all remaining" not in page
    first, second, *rest = _documents(application)
    assert first.review_status == "rejected"
    assert {d.review_status for d in (second, *rest)} == {"accepted"}
    assert {e.object_id for e in _events(application, "document_accepted")} == {
        d.id for d in (second, *rest)}
    again = post(client, _url(application, "/accept_remaining"), follow_redirects=True)
    assert again.status_code == 422
    assert "Every document already has a decision." in _page(again)


def test_a_rejection_without_a_comment_is_refused_beside_the_document(under_review, client):
    _exporter, _inspector, application = under_review
    document = _documents(application)[0]
    response = post(client, _url(application, f"/documents/{document.id}/review"),
                    {"decision": "rejected", "comment": "  "})
    assert response.status_code == 422
    assert re.search(rf'id="doc-{document.id}-error">Say what is wrong', _page(response))
    assert _documents(application)[0].review_status == "pending"
    assert _events(application, "document_rejected") == []


def test_the_comment_box_says_when_it_is_needed_in_words_that_stay(under_review, client):
    """The hint was the box's placeholder: cut off in Kazakh in a narrow cell, and gone as soon
    as the inspector typed. It is now the box's label, above it."""
    _exporter, _inspector, application = under_review
    document = _documents(application)[0]
    page = _page(client.get(_url(application)))
    label = re.search(rf'<label for="doc-{document.id}-comment"[^>]*>([^<]*)</label>', page)
    assert label and label.group(1) == "Comment (required to reject)"
    assert "visually-hidden" not in label.group(0) and "placeholder=" not in page


def test_the_return_form_proposes_ten_working_days_to_respond(under_review, client, ctx):
    _exporter, _inspector, application = under_review
    expected = working_calendar().add_working_days(applications.local_today(), 10)
    page = _page(client.get(_url(application)))
    assert re.search(rf'<input[^>]*name="response_deadline"[^>]*value="{expected.isoformat()}"',
                     page)


def test_return_form_errors_are_shown_beside_the_fields_and_keep_the_input(under_review,
                                                                          client):
    _exporter, _inspector, application = under_review
    yesterday = applications.local_today() - timedelta(days=1)
    response = post(client, _url(application, "/return"),
                    {"deficiencies": "   ", "response_deadline": yesterday.isoformat()})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="deficiencies-error">This field is required.' in page
    response = post(client, _url(application, "/return"),
                    {"deficiencies": "Floor plan unreadable",
                     "response_deadline": yesterday.isoformat(), "confirm": "y"})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="response_deadline-error">Choose a response deadline after today.' in page
    assert "Floor plan unreadable</textarea>" in page
    assert _fresh(application).state == "under_review"


def test_a_return_deadline_on_a_sunday_is_refused_beside_its_field(under_review, client):
    _exporter, _inspector, application = under_review
    today = applications.local_today()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    response = post(client, _url(application, "/return"),
                    {"deficiencies": "Floor plan unreadable",
                     "response_deadline": sunday.isoformat(), "confirm": "y"})
    assert response.status_code == 422
    page = _page(response)
    assert re.search(r'id="response_deadline-error">[^<]*is a weekend day or a public holiday: '
                     r"a deadline falls on a working day\. Choose [^<]+ or another working day",
                     page)
    assert "Floor plan unreadable</textarea>" in page
    assert _fresh(application).state == "under_review"


def test_returning_for_corrections_needs_the_ticked_box(under_review, client):
    _exporter, _inspector, application = under_review
    deadline = _deadline()
    assert "it comes back to you only when the exporter resubmits it" in _page(
        client.get(_url(application)))
    response = post(client, _url(application, "/return"),
                    {"deficiencies": "Floor plan unreadable",
                     "response_deadline": deadline.isoformat()})
    assert response.status_code == 422
    page = _page(response)
    assert "Tick the box to confirm." in page and "Floor plan unreadable</textarea>" in page
    assert _fresh(application).state == "under_review"


def _deadline(days: int = 14):
    """The first working day from `days` days ahead: a deadline falls on a working day."""
    return working_calendar().add_working_days(applications.local_today() + timedelta(days), 0)


def _return(client, application, deficiencies: str, days: int = 14):
    deadline = _deadline(days)
    response = post(client, _url(application, "/return"),
                    {"deficiencies": deficiencies, "response_deadline": deadline.isoformat(),
                     "confirm": "y"})
    assert response.status_code == 302, _page(response)[:3000]
    return deadline


def test_a_returned_application_comes_back_with_the_exporters_corrections(under_review, client):
    exporter, inspector, application = under_review
    plans = next(d for d in _documents(application) if d.document_type_code == "floor_plans")
    post(client, _url(application, f"/documents/{plans.id}/review"),
         {"decision": "rejected", "comment": "Cold store missing from the plan"})
    deadline = _return(client, application, "Floor plans incomplete\n\nHACCP plan outdated")

    stored = _fresh(application)
    assert (stored.state, stored.stage_deadline) == ("returned", deadline)
    [request] = db.session.scalars(select(CorrectionRequest)).all()
    assert request.items == ["Floor plans incomplete", "HACCP plan outdated"]
    assert (request.response_deadline, request.created_by_id, request.resolved_at) == (
        deadline, inspector.id, None)
    [event] = _events(application, "return_for_corrections")
    assert event.comment == "Floor plans incomplete\nHACCP plan outdated"
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "returned")) is not None

    exporter_client = client.application.test_client()
    login(exporter_client, exporter.email)
    page = _page(exporter_client.get(f"/exporter/applications/{application.id}"))
    assert "Returned for corrections" in page
    assert "Floor plans incomplete" in page and "HACCP plan outdated" in page
    assert "Cold store missing from the plan" in page
    assert "Resubmit application" in page
    assert "Your answer to the remarks" in page
    assert '<dt id="deadline-label">Your deadline</dt>' in page  # the answer is the exporter's

    response = post(exporter_client, f"/exporter/applications/{application.id}/documents",
                    {"document_type": "floor_plans",
                     "file": (io.BytesIO(PDF_BYTES), "plans-v2.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    answer = "Cold store added to the plan. The HACCP plan stays: it was revised in May."
    response = post(exporter_client, f"/exporter/applications/{application.id}/submit",
                    {"confirm": "y", "version": "", "comment": answer})
    assert response.status_code == 302

    stored = _fresh(application)
    assert stored.state == "submitted"
    versions = sorted((d.version, d.original_name, d.review_status) for d in stored.documents
                      if d.document_type_code == "floor_plans")
    assert versions == [(1, "floor_plans.pdf", "rejected"), (2, "plans-v2.pdf", "pending")]
    assert db.session.get(CorrectionRequest, request.id).resolved_at is not None
    assert db.session.get(CorrectionRequest, request.id).response == answer
    assert [(e.action, e.comment) for e in _events(application, "resubmit")] == [
        ("resubmit", answer)]

    page = _page(client.get(_url(application)))
    assert "plans-v2.pdf" in page
    assert "answered" in page
    assert f"The exporter’s answer: {answer}" in re.sub(r"<[^>]+>", "", page)


def test_reject_needs_a_reason_and_ends_the_application(under_review, client):
    exporter, inspector, application = under_review
    reject_form = f'action="/inspector/applications/{application.id}/reject"'
    assert reject_form in _page(client.get(_url(application)))
    response = post(client, _url(application, "/reject"), {"reason": ""})
    assert response.status_code == 422
    assert 'id="reason-error">Please give a reason.' in _page(response)
    assert _fresh(application).state == "under_review"

    unconfirmed = post(client, _url(application, "/reject"),
                       {"reason": "No protocol for this product"})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in _page(unconfirmed)
    assert _fresh(application).state == "under_review"
    response = post(client, _url(application, "/reject"),
                    {"reason": "No protocol for this product", "confirm": "y"})
    assert response.status_code == 302
    assert response.location == _url(application) + "#action-reject"
    stored = _fresh(application)
    assert (stored.state, stored.stage_deadline) == ("rejected", None)
    [event] = _events(application, "reject")
    assert event.comment == "No protocol for this product"
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "conclusion")) is not None
    page = _page(client.get(_url(application)))
    assert reject_form not in page
    # the reason stands beside the state, for the inspector and the exporter: it was only the
    # last line of a long history
    closing = re.compile(r'<dd id="closing-reason">No protocol for this product\s*'
                         r'<span class="muted"> \(([^)]+)\)</span></dd>')
    assert closing.search(page).group(1) == inspector.full_name
    login(client, exporter.email)
    assert closing.search(_page(client.get(f"/exporter/applications/{application.id}")))


def test_a_rejection_the_state_no_longer_allows_gives_back_the_reason_typed(under_review,
                                                                            client):
    """A second tab's rejection, after the first returned the application, said only "no
    longer possible": the reason written in it was gone."""
    _exporter, _inspector, application = under_review
    assert post(client, _url(application, "/reject"), {
        "reason": "First tab of two", "confirm": "y"}).status_code == 302
    late = post(client, _url(application, "/reject"), {
        "reason": "No protocol for this product, see letter 12", "confirm": "y"},
        follow_redirects=True)
    page = _page(late)
    assert NO_LONGER_POSSIBLE in page
    assert "What you typed: No protocol for this product, see letter 12" in page
    assert [event.comment for event in _events(application, "reject")] == ["First tab of two"]


def test_a_return_the_state_no_longer_allows_gives_back_the_deficiencies_typed(under_review,
                                                                              client):
    """A second tab's return for corrections, after the first rejected the application, said
    only "no longer possible": the deficiencies listed in it were gone."""
    _exporter, _inspector, application = under_review
    assert post(client, _url(application, "/reject"), {
        "reason": "No protocol for this product", "confirm": "y"}).status_code == 302
    deadline = _deadline()
    late = post(client, _url(application, "/return"), {
        "deficiencies": "HACCP plan missing\nFloor plan unreadable",
        "response_deadline": deadline.isoformat(), "confirm": "y"}, follow_redirects=True)
    page = _page(late)
    assert NO_LONGER_POSSIBLE in page
    assert "What you typed: HACCP plan missing\nFloor plan unreadable" in page
    assert _fresh(application).state == "rejected"
    # who moved it on, and when: here the reader, in another tab
    assert "It is now “Rejected”: you changed it last, at " in page
    assert "(in another window or tab)" in page


def test_a_stale_pages_step_says_the_state_before_asking_for_its_box(under_review, client):
    """A second tab's rejection, its box not yet ticked, after the first returned the
    application: it asked to tick the box, only to say then that the step was no longer
    possible."""
    _exporter, _inspector, application = under_review
    deadline = _deadline()
    assert post(client, _url(application, "/return"), {
        "deficiencies": "HACCP plan missing", "response_deadline": deadline.isoformat(),
        "confirm": "y"}).status_code == 302
    late = post(client, _url(application, "/reject"), {"reason": "No protocol, see letter 12"})
    assert late.status_code == 302 and late.location == _url(application)
    page = _page(client.get(late.location))
    assert NO_LONGER_POSSIBLE in page and "It is now “Returned for corrections”" in page
    assert "What you typed: No protocol, see letter 12" in page
    assert "Tick the box to confirm." not in page
    assert _fresh(application).state == "returned" and _events(application, "reject") == []


def test_a_step_another_person_overtook_names_them_and_the_state_now(under_review, client):
    """It said only "no longer possible", where a registration's page says who acted."""
    _exporter, inspector, application = under_review
    colleague = make_user("inspector", regions=["KZ-11"])
    login(client, colleague.email)
    assert post(client, _url(application, "/reject"), {
        "reason": "No protocol for this product", "confirm": "y"}).status_code == 302
    client.post("/logout")
    login(client, inspector.email)
    late = post(client, _url(application, "/return"), {
        "deficiencies": "HACCP plan missing", "confirm": "y",
        "response_deadline": _deadline().isoformat()},
        follow_redirects=True)
    assert f"It is now “Rejected”: {colleague.full_name} changed it last, at " in _page(late)


INSPECTOR_POSTS = [
    ("/claim", {}),
    ("/start_review", {}),
    ("/verify_corrective_actions", {}),
    ("/documents/{document}/review", {"decision": "accepted"}),
    ("/return", {"deficiencies": "x", "response_deadline": "2099-01-01"}),
    ("/reject", {"reason": "x", "confirm": "y"}),
    ("/schedule", {"mode": "on_site", "scheduled_for": "2099-01-01", "inspector_ids": "1"}),
    ("/findings", {"requirement": "x", "observation": "y", "severity": "minor"}),
    ("/inspection", {"performed_on": "2020-01-01"}),
    ("/corrective-actions", {}),
    ("/findings/1/verify", {"decision": "close"}),
]


@pytest.mark.parametrize("who", ["other_region", "veterinary"])
def test_inspectors_outside_the_scope_get_404_everywhere_and_change_nothing(submitted, client,
                                                                          who):
    _exporter, _inspector, application = submitted
    outsider = make_user("inspector", regions=["KZ-39"]) if who == "other_region" else \
        make_user("inspector", committee="veterinary")
    login(client, outsider.email)
    document = _documents(application)[0]
    before = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    assert client.get(_url(application)).status_code == 404
    for suffix, body in INSPECTOR_POSTS:
        response = post(client, _url(application, suffix.format(document=document.id)), body)
        assert response.status_code == 404, suffix
    assert _fresh(application).state == "submitted"
    assert db.session.scalar(
        select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) == before


def test_registrars_and_exporters_cannot_use_the_inspector_actions(submitted, client):
    exporter, _inspector, application = submitted
    for user in (make_user("registrar"), exporter):
        login(client, user.email)
        assert post(client, _url(application, "/start_review")).status_code == 403
    assert _fresh(application).state == "submitted"


def test_a_registrar_assigns_an_inspector_of_the_right_committee(submitted, client):
    _exporter, inspector, application = submitted
    registrar = make_user("registrar")
    faraway = make_user("inspector", regions=["KZ-39"], full_name="Far Away")
    vet = make_user("inspector", committee="veterinary", full_name="Vet Person")
    login(client, registrar.email)
    page = _page(client.get(f"/registrar/applications/{application.id}"))
    options = re.search(r'<select[^>]*id="inspector_id"[^>]*>(.*?)</select>', page, re.S)[1]
    assert "Far Away (Kostanay Region)" in options  # regions named, not coded
    assert "Aigerim Inspector (Akmola Region)" in options
    assert "Vet Person" not in options

    url = f"/registrar/applications/{application.id}/assign"
    response = post(client, url, {"inspector_id": str(vet.id)})
    assert response.status_code == 422
    assert 'id="inspector_id-error">Choose an active inspector of the committee' in _page(
        response)
    assert _fresh(application).assignee_id is None

    response = post(client, url, {"inspector_id": str(faraway.id)})
    assert response.status_code == 302
    assert response.location == f"/registrar/applications/{application.id}#review"
    assert _fresh(application).assignee_id == faraway.id
    [event] = _events(application, "inspector_assigned")
    assert (event.actor_id, event.data["assignee_id"]) == (registrar.id, faraway.id)
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == faraway.id, Notification.kind == "assigned")) is not None
    # the same inspector again: said beside the choice, neither audited nor told twice
    again = post(client, url, {"inspector_id": str(faraway.id)})
    assert again.status_code == 422
    assert ('id="inspector_id-error">Far Away is already assigned to this application: choose '
            'another inspector to reassign it.') in _page(again)
    assert len(_events(application, "inspector_assigned")) == 1
    assert len(db.session.scalars(select(Notification).where(
        Notification.user_id == faraway.id, Notification.kind == "assigned")).all()) == 1

    # Assigned, the inspector of another region now sees the application and acts on it.
    login(client, faraway.email)
    page = _page(client.get(_url(application)))
    assert "Far Away" in page
    assert post(client, _url(application, "/start_review")).status_code == 302
    assert _fresh(application).state == "under_review"
    assert inspector.id != faraway.id


@pytest.mark.parametrize("state", ["conclusion_positive", "recommended", "submitted_to_gacc",
                                   "gacc_returned"])
def test_from_its_conclusion_on_an_application_is_neither_assigned_nor_taken(
        submitted, client, state):
    """The registrar's page offered to reassign the inspector of an application with GACC,
    and an inspector could take one that was unassigned."""
    _exporter, inspector, application = submitted
    application.state = state
    db.session.commit()
    login(client, make_user("registrar").email)
    assert 'id="inspector_id"' not in _page(client.get(f"/registrar/applications/{application.id}"))
    response = post(client, f"/registrar/applications/{application.id}/assign",
                    {"inspector_id": str(inspector.id)}, follow_redirects=True)
    assert NO_LONGER_POSSIBLE in _page(response)

    login(client, inspector.email)
    assert "Take this application" not in _page(client.get(_url(application)))
    response = post(client, _url(application, "/claim"), follow_redirects=True)
    assert NO_LONGER_POSSIBLE in _page(response)
    assert _fresh(application).assignee_id is None
    assert not _events(application, "inspector_assigned")
    assert not _events(application, "application_claimed")


def test_an_inspector_claims_unassigned_work_once(submitted, client):
    _exporter, inspector, application = submitted
    login(client, inspector.email)
    assert "Take this application" in _page(client.get(_url(application)))
    assert post(client, _url(application, "/claim")).status_code == 302
    assert _fresh(application).assignee_id == inspector.id
    [event] = _events(application, "application_claimed")
    assert event.actor_id == inspector.id

    colleague = make_user("inspector", full_name="Second Colleague")
    login(client, colleague.email)
    assert "Take this application" not in _page(client.get(_url(application)))
    response = post(client, _url(application, "/claim"), follow_redirects=True)
    assert "already assigned to Aigerim Inspector" in _page(response)
    assert _fresh(application).assignee_id == inspector.id
    assert len(_events(application, "application_claimed")) == 1



def _chosen_inspector(response) -> list[str]:
    options = re.search(r'<select[^>]*id="inspector_id"[^>]*>(.*?)</select>',
                        _page(response), re.S)[1]
    return re.findall(r'<option[^>]*selected[^>]*>([^<]*)</option>', options)


def test_the_choice_shows_the_inspector_assigned_even_once_disabled(submitted, client):
    """The select came back on "—" beside "Assigned to" once the inspector assigned was
    disabled or moved: it shows who is assigned now, and assigning them again is refused."""
    _exporter, inspector, application = submitted
    login(client, make_user("registrar").email)
    url = f"/registrar/applications/{application.id}"
    response = post(client, f"{url}/assign", {"inspector_id": str(inspector.id)},
                    follow_redirects=True)
    assert _chosen_inspector(response) == ["Aigerim Inspector (Akmola Region)"]
    inspector.is_active = False
    db.session.commit()
    assert _chosen_inspector(client.get(url)) == [
        "Aigerim Inspector (no longer an active inspector of this committee)"]
    response = post(client, f"{url}/assign", {"inspector_id": str(inspector.id)})
    assert response.status_code == 422
    assert "Choose an active inspector of the committee" in _page(response)


def test_resubmit_is_reachable_before_the_corrections_and_refused_with_what_is_missing(
        under_review, client):
    """The Resubmit button was `disabled` until the rejected document was replaced: a keyboard
    or a screen reader could not reach it, nor learn why it did nothing."""
    exporter, _inspector, application = under_review
    plans = next(d for d in _documents(application) if d.document_type_code == "floor_plans")
    post(client, _url(application, f"/documents/{plans.id}/review"),
         {"decision": "rejected", "comment": "Cold store missing from the plan"})
    _return(client, application, "Floor plans incomplete")
    exporter_client = client.application.test_client()
    login(exporter_client, exporter.email)
    page = _page(exporter_client.get(f"/exporter/applications/{application.id}"))
    card = page[page.index('id="submit"'):]
    card = card[:card.index("</section>")]
    assert re.search(r'<button type="submit" class="btn" aria-disabled="true" '
                     r'aria-describedby="submit-missing">Resubmit application</button>', card)
    assert " disabled" not in card
    missing = re.search(r'<ul class="missing" id="submit-missing">(.*?)</ul>', card, re.S)
    assert "Document: " in missing.group(1)

    answer = "The plan now shows the cold store."
    refused = post(exporter_client, f"/exporter/applications/{application.id}/submit",
                   {"version": str(application.version), "comment": answer})  # no box shown
    assert refused.status_code == 422
    page = _page(refused)
    card = page[page.index('id="submit"'):]
    assert "The application is not complete yet." in card[:card.index("</section>")]
    assert "Tick the box to confirm." not in page
    assert answer in page  # the answer typed is kept
    assert _fresh(application).state == "returned"
    assert _events(application, "resubmit") == []


def test_a_return_says_no_deficiency_and_a_past_deadline_together(under_review, client):
    """The deficiencies left out were said first, the deadline in the past only on the next
    try."""
    _exporter, _inspector, application = under_review
    yesterday = applications.local_today() - timedelta(days=1)
    response = post(client, _url(application, "/return"), {
        "deficiencies": "", "response_deadline": yesterday.isoformat(), "confirm": "y"})
    assert response.status_code == 422
    page = _page(response)
    assert 'id="deficiencies-error"' in page
    assert re.search(r'id="response_deadline-error">\s*Choose a response deadline after today',
                     page)
    assert f'value="{yesterday.isoformat()}"' in page
    assert _fresh(application).state == "under_review"
    assert db.session.scalar(select(CorrectionRequest)) is None
