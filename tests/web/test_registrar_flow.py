"""The registrar's queue and GACC decisions through HTTP: from a positive conclusion to a China
registration, with the China number checked, the regime set by the listing date, and only
registrars let in."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from flask import g
from sqlalchemy import event, select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    CorrectionRequest,
    GaccBatch,
    Notification,
    Registration,
    User,
)
from certtrack.services import applications, gacc, gacc_answers
from certtrack.services.inputs import ApplicationInput, BatchInput

from factories import (
    PDF_BYTES,
    make_exporter_with_application,
    make_submitted_application,
    make_user,
    move_to_state,
    recommended_on,
)
from forms import flashes, login, post

VALID_NUMBER = "CKAZ01234567890123"
RECOMMENDED = date(2026, 4, 1)  # the day the tests' recommendations are dated, before any batch

# The answer GACC asks for by (a deadline not yet past, whenever the suite runs).
GACC_DEADLINE = (date.today() + timedelta(days=60)).isoformat()


@pytest.fixture
def world(ctx):
    """An exporter with three applications at a positive conclusion, an inspector assigned to
    the first, and a registrar."""
    exporter, _enterprise, establishment, first = make_exporter_with_application()
    others = [applications.create_application(exporter, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": "edible_grains",
        "establishment_id": establishment.id})) for _ in range(2)]
    inspector = make_user("inspector", "inspector@example.kz")
    first.assignee_id = inspector.id
    for application in (first, *others):
        move_to_state(application, "conclusion_positive")
    registrar = make_user("registrar", "registrar@example.kz")
    return {"exporter": exporter, "inspector": inspector, "registrar": registrar,
            "ids": [first.id] + [a.id for a in others]}


def _state(application_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Application, application_id).state


def _send_batch(client, ids, reference="KZ-GACC-2026-014", submitted_on="2026-07-01"):
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids})
    recommended_on(RECOMMENDED, ids)
    return post(client, "/registrar/batches", {"confirm": "y",
        "application_id": ids, "reference": reference, "submitted_on": submitted_on})


def test_registrar_takes_applications_from_positive_conclusion_to_registration(world, client):
    ids = world["ids"]
    login(client, "registrar@example.kz")
    queue = client.get("/registrar/").get_data(as_text=True)
    assert "Positive conclusions to recommend (3)" in queue

    recommended = post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids[:2]})
    assert recommended.status_code == 302
    assert [_state(i) for i in ids] == ["recommended", "recommended", "conclusion_positive"]
    assert "Recommended, to send to GACC (2)" in client.get("/registrar/").get_data(as_text=True)

    recommended_on(RECOMMENDED, ids[:2])
    sent = post(client, "/registrar/batches", {"confirm": "y",
        "application_id": ids[:2], "reference": "KZ-GACC-2026-014", "submitted_on": "2026-07-01"})
    assert sent.status_code == 302
    batch = db.session.scalar(select(GaccBatch))
    assert (batch.reference, batch.submitted_on) == ("KZ-GACC-2026-014", date(2026, 7, 1))
    assert {a.id for a in batch.applications} == set(ids[:2])
    assert [_state(i) for i in ids[:2]] == ["submitted_to_gacc"] * 2
    assert "KZ-GACC-2026-014" in client.get(sent.location).get_data(as_text=True)

    form = client.get(f"/registrar/applications/{ids[0]}/registration")
    assert form.status_code == 200
    registered = post(client, f"/registrar/applications/{ids[0]}/registration", {"confirm": "y",
        "china_number": VALID_NUMBER.lower(), "listing_date": "2026-07-15",
        "valid_from": "", "route": "under_guarantee"})
    assert registered.status_code == 302
    assert _state(ids[0]) == "registered"
    registration = db.session.scalar(select(Registration))
    assert registration.china_number == VALID_NUMBER  # typed in lowercase, stored normalised
    assert (registration.valid_from, registration.valid_to) == (date(2026, 7, 15),
                                                                date(2031, 7, 14))
    assert (registration.regime, registration.status) == ("280", "active")
    page = client.get(registered.location).get_data(as_text=True)
    assert VALID_NUMBER in page and "Registered in China" in page
    assert "valid from Jul 15, 2026 to Jul 14, 2031" in page
    detail = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    assert "14 Jul 2031" in detail or "Jul 14, 2031" in detail
    notes = db.session.scalars(select(Notification).where(
        Notification.user_id == world["exporter"].id, Notification.kind == "registered")).all()
    assert len(notes) == 1 and VALID_NUMBER in notes[0].message
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.application_id == ids[0]).order_by(AuditEvent.seq)).all()
    assert actions[-4:] == ["recommend", "dossier_generated", "submit_to_gacc",
                            "record_registration"]


def test_a_start_before_the_batch_was_sent_is_refused_beside_the_field(world, client):
    login(client, "registrar@example.kz")
    _send_batch(client, world["ids"][:1], submitted_on="2026-07-01")
    response = post(client, f"/registrar/applications/{world['ids'][0]}/registration", {
        "confirm": "y", "china_number": VALID_NUMBER, "listing_date": "2026-07-15",
        "valid_from": "2026-06-20", "route": "under_guarantee"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="valid_from-error"' in page
    assert ("A registration cannot take effect before its application was sent to GACC: not "
            "before Jul 1, 2026, the day it was sent.") in page
    assert _state(world["ids"][0]) == "submitted_to_gacc"
    assert db.session.scalar(select(Registration)) is None


def test_registration_before_june_2026_follows_decree_248(world, client):
    login(client, "registrar@example.kz")
    _send_batch(client, world["ids"][:1], submitted_on="2026-05-04")
    response = post(client, f"/registrar/applications/{world['ids'][0]}/registration", {
        "confirm": "y",
        "china_number": VALID_NUMBER, "listing_date": "2026-05-31",
        "valid_from": "2026-06-10", "route": "after_gacc_inspection"})
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.regime == "248"
    assert registration.valid_to == date(2031, 6, 9)
    assert registration.route == "after_gacc_inspection"


@pytest.mark.parametrize(("number", "message"), [
    ("CKAZ0123456789012", "exactly 18 characters"),
    ("CIND18PP1802010539", "starts with CKAZ"),
    ("CKAZ01234567-90123", "only letters A-Z and digits 0-9"),
    ("", "This field is required."),
])
def test_invalid_china_numbers_are_refused_beside_the_field(world, client, number, message):
    login(client, "registrar@example.kz")
    _send_batch(client, world["ids"][:1])
    response = post(client, f"/registrar/applications/{world['ids'][0]}/registration", {
        "confirm": "y",
        "china_number": number, "listing_date": "2026-07-15", "route": "under_guarantee"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="china_number-error"' in page and message in page
    assert f'value="{number}"' in page  # what was typed is kept
    assert _state(world["ids"][0]) == "submitted_to_gacc"
    assert db.session.scalar(select(Registration)) is None


def test_a_listing_date_in_the_future_is_refused(world, client):
    login(client, "registrar@example.kz")
    _send_batch(client, world["ids"][:1])
    # Within the window every date field accepts (a year 2999 is refused before the rules).
    next_month = (date.today() + timedelta(days=30)).isoformat()
    response = post(client, f"/registrar/applications/{world['ids'][0]}/registration", {
        "confirm": "y",
        "china_number": VALID_NUMBER, "listing_date": next_month, "route": "under_guarantee"})
    assert response.status_code == 422
    assert "The listing date cannot be in the future." in response.get_data(as_text=True)
    assert _state(world["ids"][0]) == "submitted_to_gacc"


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_china_number_recorded_twice_is_refused(world, client, ctx):
    second, *_ = make_exporter_with_application("961141000023", "second@example.kz")
    other = db.session.scalar(select(Application).where(Application.enterprise_id ==
                                                        second.enterprise_id))
    move_to_state(other, "conclusion_positive")
    login(client, "registrar@example.kz")
    _send_batch(client, [world["ids"][0], other.id])
    data = {"china_number": VALID_NUMBER, "listing_date": "2026-07-15", "route": "under_guarantee",
            "confirm": "y"}
    assert post(client, f"/registrar/applications/{world['ids'][0]}/registration",
                data).status_code == 302
    again = post(client, f"/registrar/applications/{other.id}/registration", data)
    assert again.status_code == 422
    assert "already recorded for Steppe Grain LLP" in again.get_data(as_text=True)
    assert _state(other.id) == "submitted_to_gacc"
    # in the reader's language, as the enterprise is named everywhere else
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    chinese = post(client, f"/registrar/applications/{other.id}/registration", data)
    error = re.search(r'id="china_number-error">([^<]*)<', chinese.get_data(as_text=True))
    assert "草原粮食有限责任公司" in error.group(1) and "Steppe Grain" not in error.group(1)


def test_gacc_return_reaches_the_exporter_and_inspector_then_goes_back_to_gacc(world, client):
    first = world["ids"][0]
    login(client, "registrar@example.kz")
    _send_batch(client, [first])
    empty = post(client, f"/registrar/applications/{first}/gacc-return", {"requests": " "})
    assert empty.status_code == 422
    # Recording GACC's request cannot be undone: nothing happens until the box is ticked.
    unconfirmed = post(client, f"/registrar/applications/{first}/gacc-return", {
        "requests": "Floor plan of the drying unit", "response_deadline": GACC_DEADLINE})
    assert unconfirmed.status_code == 422
    page = unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm." in page and "Floor plan of the drying unit" in page
    assert _state(first) == "submitted_to_gacc"
    returned = post(client, f"/registrar/applications/{first}/gacc-return", {
        "requests": "Floor plan of the drying unit\nPest control records for 2025",
        "response_deadline": GACC_DEADLINE, "confirm": "y"})
    assert returned.status_code == 302
    assert _state(first) == "gacc_returned"
    correction = db.session.scalar(select(CorrectionRequest))
    assert correction.source == "gacc"
    assert correction.items == ["Floor plan of the drying unit", "Pest control records for 2025"]
    told = {n.user_id for n in db.session.scalars(select(Notification).where(
        Notification.kind == "gacc_returned"))}
    assert told == {world["exporter"].id, world["inspector"].id}
    assert "Pest control records for 2025" in client.get(
        f"/registrar/applications/{first}").get_data(as_text=True)

    page = client.get(f"/registrar/applications/{first}").get_data(as_text=True)
    assert "The exporter has not answered yet." in page
    # Said before the form, which is not offered: it was refused only once the box was ticked.
    barred = page.split('id="resubmit-barred">')[1].split("</p>")[0].replace("&#39;", "'")
    assert barred.startswith("The exporter has not answered GACC's requests yet")
    assert "GACC's open requests as answered" not in page.replace("&#39;", "'")
    # Sent back without the exporter's answer, the requests were marked answered.
    early = post(client, f"/registrar/applications/{first}/resubmit-to-gacc", {"confirm": "y"})
    assert early.status_code == 422
    assert ("The exporter has not answered GACC's requests yet: the application goes back to "
            "GACC with the exporter's answer.") in early.get_data(as_text=True).replace(
                "&#39;", "'")
    assert _state(first) == "gacc_returned"
    db.session.expire_all()
    assert db.session.get(CorrectionRequest, correction.id).resolved_at is None
    _answer(client.application.test_client(), world["exporter"], first,
            "Floor plan attached as version 2; pest control records for 2025 added.")
    page = client.get(f"/registrar/applications/{first}").get_data(as_text=True)
    assert "Floor plan attached as version 2; pest control records for 2025 added." in page
    assert "The exporter has not answered yet." not in page
    assert "GACC's open requests as answered" in page.replace("&#39;", "'")
    unconfirmed = post(client, f"/registrar/applications/{first}/resubmit-to-gacc", {})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert _state(first) == "gacc_returned"
    back = post(client, f"/registrar/applications/{first}/resubmit-to-gacc", {"confirm": "y"})
    assert back.status_code == 302
    assert _state(first) == "submitted_to_gacc"
    db.session.expire_all()
    assert db.session.get(CorrectionRequest, correction.id).resolved_at is not None


def test_the_exporter_attaches_a_document_gacc_asked_for(world, client):
    """GACC's requests often ask for a document; the page offered a text answer only, and the
    service refused any upload while GACC's return was open."""
    first = world["ids"][0]
    login(client, "registrar@example.kz")
    _send_batch(client, [first])
    assert post(client, f"/registrar/applications/{first}/gacc-return", {
        "requests": "Chinese translation of the HACCP plan", "response_deadline": GACC_DEADLINE,
        "confirm": "y"}).status_code == 302
    exporter = client.application.test_client()
    login(exporter, world["exporter"].email)
    url = f"/exporter/applications/{first}"
    assert f'action="{url}/documents"' in exporter.get(url).get_data(as_text=True)
    uploaded = post(exporter, f"{url}/documents", {
        "document_type": "haccp", "file": (io.BytesIO(PDF_BYTES + b"%zh"), "HACCP plan zh.pdf")})
    assert uploaded.status_code == 302
    assert "HACCP plan zh.pdf" in client.get(
        f"/registrar/applications/{first}").get_data(as_text=True)
    assert _state(first) == "gacc_returned"


def _answer(client, exporter, application_id: int, answer: str) -> None:
    """The exporter reads GACC's requests on the application's page and answers them."""
    login(client, exporter.email)
    url = f"/exporter/applications/{application_id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="gacc-requests"' in page and "Pest control records for 2025" in page
    blank = post(client, f"{url}/gacc-answer", {"response": " "})
    assert blank.status_code == 422 and 'id="response-error"' in blank.get_data(as_text=True)
    short = post(client, f"{url}/gacc-answer", {"response": "Done"})  # the whole answer
    assert short.status_code == 422
    assert "at least 10 characters" in short.get_data(as_text=True)
    saved = post(client, f"{url}/gacc-answer", {"response": answer})
    assert saved.status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert answer in page.split('id="gacc-answer"')[1].split("</p>")[0]
    # in the form again, to be amended rather than typed anew
    textarea = re.search(r'<textarea[^>]*name="response"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert textarea.strip() == answer


def test_gacc_refusal_needs_reasons_and_ends_the_application(world, client):
    first = world["ids"][0]
    login(client, "registrar@example.kz")
    _send_batch(client, [first])
    assert post(client, f"/registrar/applications/{first}/gacc-refusal",
                {"reasons": ""}).status_code == 422
    # "x" was recorded as GACC's reasons for a final refusal.
    short = post(client, f"/registrar/applications/{first}/gacc-refusal",
                 {"reasons": "x", "confirm": "y"})
    assert short.status_code == 422
    assert ('id="reasons-error">Give the reason in a few words: at least 10 characters, or 4 '
            'Chinese characters.' in short.get_data(as_text=True))
    assert _state(first) == "submitted_to_gacc"
    refused = post(client, f"/registrar/applications/{first}/gacc-refusal",
                   {"reasons": "Dwarf bunt found in an earlier consignment", "confirm": "y"})
    assert refused.status_code == 302
    assert _state(first) == "gacc_refused"
    event_row = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "record_gacc_refusal"))
    assert event_row.comment == "Dwarf bunt found in an earlier consignment"


def test_gacc_refuses_an_application_it_returned_and_was_never_answered(world, client):
    """GACC asked for corrections, the exporter went silent and GACC closed the file: the
    registrar could not record it, and the application awaited GACC for ever."""
    first = world["ids"][0]
    login(client, "registrar@example.kz")
    _send_batch(client, [first])
    assert post(client, f"/registrar/applications/{first}/gacc-return", {
        "requests": "Floor plan of the drying unit", "response_deadline": GACC_DEADLINE,
        "confirm": "y"}).status_code == 302
    page = client.get(f"/registrar/applications/{first}").get_data(as_text=True)
    assert f'href="/registrar/applications/{first}/gacc-refusal"' in page
    refused = post(client, f"/registrar/applications/{first}/gacc-refusal",
                   {"reasons": "No answer to GACC's request within its deadline",
                    "confirm": "y"})
    assert refused.status_code == 302 and _state(first) == "gacc_refused"
    assert db.session.get(Application, first).stage_deadline is None
    request = db.session.scalar(select(CorrectionRequest))  # closed with the file
    assert request.resolved_at is not None and gacc_answers.open_gacc_request(
        db.session.get(Application, first)) is None


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_duplicate_batch_reference_is_refused_and_nothing_moves(world, client):
    ids = world["ids"]
    login(client, "registrar@example.kz")
    assert _send_batch(client, ids[:1]).status_code == 302
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids[1:2]})
    recommended_on(RECOMMENDED, ids[1:2])
    again = post(client, "/registrar/batches", {"confirm": "y",
        "application_id": ids[1:2], "reference": "kz-gacc-2026-014",
        "submitted_on": "2026-07-02"})
    assert again.status_code == 422
    assert "A batch with this reference already exists." in again.get_data(as_text=True)
    assert _state(ids[1]) == "recommended"


def test_a_batch_cannot_be_dated_before_the_recommendation(world, client):
    """A request dated 4 December for applications recommended on 6 December was accepted,
    and the registration then began before the application had gone to GACC."""
    ids = world["ids"]
    login(client, "registrar@example.kz")
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids[:2]})
    recommended_on(date(2026, 7, 1), ids[:1])
    recommended_on(date(2026, 7, 3), ids[1:2])
    early = post(client, "/registrar/batches", {"confirm": "y", "application_id": ids[:2],
                                                "reference": "KZ-GACC-2026-031",
                                                "submitted_on": "2026-07-02"})
    page = early.get_data(as_text=True)
    assert early.status_code == 422
    reference = db.session.get(Application, ids[1]).reference
    assert (f"The request cannot have gone to GACC before {reference} was recommended, on "
            "Jul 3, 2026.") in page
    assert 'value="KZ-GACC-2026-031"' in page
    assert db.session.scalar(select(GaccBatch)) is None
    assert [_state(i) for i in ids[:2]] == ["recommended", "recommended"]
    same_day = post(client, "/registrar/batches", {"confirm": "y", "application_id": ids[:2],
                                                   "reference": "KZ-GACC-2026-031",
                                                   "submitted_on": "2026-07-03"})
    assert same_day.status_code == 302


def test_an_applications_own_recommend_form_comes_back_to_its_page(world, client):
    """Without the box ticked, the Recommend button of an application's page led to the whole
    queue, whose form speaks of "the ticked applications"."""
    ids = world["ids"]
    login(client, "registrar@example.kz")
    own_page = f"/registrar/applications/{ids[0]}"
    page = client.get(own_page).get_data(as_text=True)
    assert "This application is recommended to GACC for good" in page
    unticked = post(client, "/registrar/recommend", {"application_id": [str(ids[0])],
                                                     "next": own_page})
    page = unticked.get_data(as_text=True)
    assert unticked.status_code == 422
    assert "Tick the box to confirm." in page
    assert "This application is recommended to GACC for good" in page
    assert "Positive conclusions to recommend" not in page  # not the queue
    assert _state(ids[0]) == "conclusion_positive"
    done = post(client, "/registrar/recommend", {"application_id": [str(ids[0])],
                                                 "next": own_page, "confirm": "y"})
    assert done.status_code == 302 and done.location.startswith(own_page)
    assert _state(ids[0]) == "recommended"


def test_recommending_sending_and_recording_wait_for_the_confirmation(world, client):
    """Each of the three cannot be undone: without the box ticked nothing changes, and the
    page says what is missing, keeping what was typed and ticked."""
    ids = world["ids"]
    login(client, "registrar@example.kz")
    queue = client.get("/registrar/").get_data(as_text=True)
    assert "recommended to GACC for good" in queue
    detail = client.get(f"/registrar/applications/{ids[0]}")  # its own Recommend button
    assert detail.status_code == 200
    assert "recommended to GACC for good" in detail.get_data(as_text=True)
    unconfirmed = post(client, "/registrar/recommend", {"application_id": ids[:1]})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert _state(ids[0]) == "conclusion_positive"
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids[:1]})
    recommended_on(RECOMMENDED, ids[:1])
    unsent = post(client, "/registrar/batches", {
        "application_id": ids[:1], "reference": "KZ-GACC-2026-099", "submitted_on": "2026-07-01"})
    page = unsent.get_data(as_text=True)
    assert unsent.status_code == 422 and "Tick the box to confirm." in page
    assert 'value="KZ-GACC-2026-099"' in page
    assert _state(ids[0]) == "recommended" and db.session.scalar(select(GaccBatch)) is None
    _send_batch(client, ids[:1])
    form = client.get(f"/registrar/applications/{ids[0]}/registration").get_data(as_text=True)
    assert "enters the public register at once" in form
    unrecorded = post(client, f"/registrar/applications/{ids[0]}/registration", {
        "china_number": VALID_NUMBER, "listing_date": "2026-07-15", "route": "under_guarantee"})
    assert unrecorded.status_code == 422
    assert _state(ids[0]) == "submitted_to_gacc" and db.session.scalar(select(Registration)) is None


def test_nothing_ticked_is_a_field_error(world, client):
    login(client, "registrar@example.kz")
    response = post(client, "/registrar/recommend", {"confirm": "y"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Applications: Choose at least one application." in page
    assert "Application Id" not in page


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_stale_selection_changes_none_of_the_applications(world, client):
    ids = world["ids"]
    login(client, "registrar@example.kz")
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids[:1]})
    again = post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids})
    assert again.status_code == 302
    assert "no longer possible" in client.get(again.location).get_data(as_text=True)
    assert [_state(i) for i in ids] == ["recommended", "conclusion_positive",
                                        "conclusion_positive"]


def test_decision_page_for_an_application_not_with_gacc_sends_back(world, client):
    login(client, "registrar@example.kz")
    response = client.get(f"/registrar/applications/{world['ids'][0]}/registration")
    assert response.status_code == 302
    assert response.location == f"/registrar/applications/{world['ids'][0]}"


@pytest.mark.parametrize("who", ["exporter", "inspector"])
def test_only_registrars_reach_the_registrar_pages(world, client, who):
    login(client, world[who].email)
    first = world["ids"][0]
    assert client.get("/registrar/").status_code == 403
    assert client.get("/registrar/registrations").status_code == 403
    assert client.get(f"/registrar/applications/{first}/registration").status_code == 403
    assert post(client, "/registrar/recommend",
                {"confirm": "y", "application_id": [first]}).status_code == 403
    assert _state(first) == "conclusion_positive"


def _queries_for(client, url: str) -> int:
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    db.session.expire_all()  # as in a fresh request: nothing left in the identity map
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def _grow_to(total: int) -> None:
    """Add applications of new enterprises in several regions until there are `total`."""
    existing = db.session.scalar(select(db.func.count()).select_from(Application))
    states = ("conclusion_positive", "recommended", "submitted_to_gacc", "gacc_returned")
    regions = ("KZ-11", "KZ-39", "KZ-55", "KZ-59")
    for n in range(existing, total):
        _exporter, application = make_submitted_application(
            name=f"Enterprise {n}", region=regions[n % len(regions)], submit=False)
        move_to_state(application, states[n % len(states)])


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_queue_queries_do_not_grow_with_rows(world, client):
    login(client, "registrar@example.kz")
    client.get("/registrar/")  # warm the per-app caches (working calendar)
    with_three = _queries_for(client, "/registrar/")
    _grow_to(23)
    with_twenty_three = _queries_for(client, "/registrar/")
    assert with_three == with_twenty_three
    page = client.get("/registrar/?page=2").get_data(as_text=True)
    assert "23 in all" in page


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_long_queue_lists_its_oldest_and_says_how_many_wait(ctx, client, monkeypatch):
    from certtrack.services import registrar_queues

    monkeypatch.setattr(registrar_queues, "QUEUE_LIMIT", 2)
    registrar = make_user("registrar")
    made = []
    for n in range(3):
        exporter, application = make_submitted_application(name=f"Queue Grain {n}")
        made.append(move_to_state(application, "conclusion_positive"))
    login(client, registrar.email)
    page = client.get("/registrar/").get_data(as_text=True)
    section = page.split('id="to-recommend"')[1].split("</section>")[0]
    assert "(3)" in section
    listed = [a.reference for a in made if f">{a.reference}</a>" in section]
    assert len(listed) == 2
    assert "The 2 oldest of 3 are listed; the next ones follow as these move on." in section


def _states_listed(page: str) -> list[str]:
    every = page[page.index('<section id="all">'):]
    return re.findall(r'<span class="badge badge-([a-z_]+)">', every)


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_sort_by_state_follows_the_workflow_in_one_query(world, client):
    """Sorted by state, the list of every application goes draft → … → GACC → registered,
    not by the codes' alphabetical order, with no query more than the default order."""
    first, second, third = world["ids"]
    for application_id, state in ((first, "registered"), (second, "submitted_to_gacc"),
                                  (third, "recommended")):
        move_to_state(db.session.get(Application, application_id), state)
    _grow_to(7)  # and conclusion_positive, gacc_returned
    login(client, "registrar@example.kz")
    client.get("/registrar/")  # warm the per-app caches (working calendar)
    page = client.get("/registrar/?sort=state").get_data(as_text=True)
    assert _states_listed(page) == ["conclusion_positive", "recommended", "recommended",
                                    "submitted_to_gacc", "submitted_to_gacc", "gacc_returned",
                                    "registered"]
    assert _queries_for(client, "/registrar/?sort=state") == _queries_for(client, "/registrar/")


def _flashes(response) -> list[str]:
    return flashes(html.unescape(response.get_data(as_text=True)))


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_batch_sent_twice_leads_to_the_batch_recorded_the_first_time(world, client):
    """The second sending of the same batch form (a double click) read "A batch with this
    reference already exists", as if the registrar had typed a reference in use."""
    login(client, "registrar@example.kz")
    ids = world["ids"][:2]
    first = _send_batch(client, ids)
    again = post(client, "/registrar/batches", {"confirm": "y", "application_id": ids,
                                                "reference": "kz-gacc-2026-014",
                                                "submitted_on": "2026-07-01"})
    assert again.status_code == 303 and again.location == first.location
    [message] = _flashes(client.get(again.location))
    assert re.fullmatch(r"Batch KZ-GACC-2026-014 was already sent to GACC, at .{10,30}: the "
                        r"form was sent twice, and nothing was recorded again\.", message)
    assert db.session.scalar(select(db.func.count()).select_from(GaccBatch)) == 1
    # Another batch under a reference in use is still refused beside the field.
    other = post(client, "/registrar/batches", {"confirm": "y", "application_id": ids[:1],
                                                "reference": "KZ-GACC-2026-014",
                                                "submitted_on": "2026-07-01"})
    assert other.status_code == 422
    assert "A batch with this reference already exists." in other.get_data(as_text=True)


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
@pytest.mark.parametrize("raced", [False, True])
def test_a_registration_sent_twice_leads_to_the_application_registered(world, client,
                                                                       monkeypatch, raced):
    """Sent twice, the second form was refused: "no longer possible", or, when it set off
    before the first was recorded, a number "already recorded" or a conflict page."""
    application_id = world["ids"][0]
    login(client, "registrar@example.kz")
    _send_batch(client, [application_id])
    url = f"/registrar/applications/{application_id}/registration"
    data = {"confirm": "y", "china_number": VALID_NUMBER, "listing_date": "2026-07-15",
            "route": "under_guarantee",
            "version": str(db.session.get(Application, application_id).version)}
    first = post(client, url, data)
    assert first.status_code == 302
    if raced:  # the second request passed the page's check before the first was recorded
        monkeypatch.setattr("certtrack.web.actions.can_act", lambda *_args: True)
    again = post(client, url, data)
    assert again.status_code == 303 and again.location == first.location
    [message] = _flashes(client.get(again.location))
    assert re.fullmatch(rf"Registration {VALID_NUMBER} was already recorded, at .{{10,30}}: "
                        r"the form was sent twice, and nothing was recorded again\.", message)
    assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 1


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_batch_sent_by_a_colleague_names_them(world, client):
    ids = world["ids"][:1]
    login(client, "registrar@example.kz")
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids})
    recommended_on(RECOMMENDED, ids)
    colleague = make_user("registrar", "colleague@example.kz", full_name="Dana Colleague")
    gacc.submit_batch(colleague, BatchInput(reference="KZ-GACC-2026-020",
                                            submitted_on=date(2026, 7, 1), application_ids=ids))
    again = post(client, "/registrar/batches", {"confirm": "y", "application_id": ids,
                                                "reference": "KZ-GACC-2026-020",
                                                "submitted_on": "2026-07-01"})
    assert again.status_code == 303
    [message] = _flashes(client.get(again.location))
    assert message.startswith("Dana Colleague already sent batch KZ-GACC-2026-020 to GACC with "
                              "these applications, at ")


def test_kazakh_recommendation_calls_a_gacc_batch_a_package_as_the_batch_form_does(world,
                                                                                    client):
    """The warning read "келесі топтаманы күтеді" beside "пакет" for the same batch, and "кері
    қайтару" (to return), close to an authority's "кері қайтарып алу" (to revoke)."""
    login(client, "registrar@example.kz")
    registrar = db.session.scalar(select(User).where(User.email == "registrar@example.kz"))
    registrar.locale = "kk"
    db.session.commit()
    g.pop("_flask_babel", None)
    for url in ("/registrar/", f"/registrar/applications/{world['ids'][0]}"):
        page = client.get(url).get_data(as_text=True)
        assert "келесі пакетті күтеді, ал ұсынымды қайтып алу мүмкін емес." in page, url
        assert "топтама" not in page, url


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_batch_from_another_tab_names_the_applications_already_sent_and_keeps_the_form(
        world, client):
    """A second tab sent another batch with an application the first tab's batch carried: it
    read "This action is no longer possible", without saying which, where, or who."""
    ids = world["ids"]
    login(client, "registrar@example.kz")
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids})
    recommended_on(RECOMMENDED, ids)
    first_tab = post(client, "/registrar/batches", {
        "confirm": "y", "application_id": ids[:2], "reference": "KZ-GACC-2026-014",
        "submitted_on": "2026-07-01"})
    assert first_tab.status_code == 302
    sent = db.session.get(Application, ids[1])
    second_tab = post(client, "/registrar/batches", {
        "confirm": "y", "application_id": ids[1:], "reference": "KZ-GACC-2026-015",
        "submitted_on": "2026-07-02"})
    assert second_tab.status_code == 422
    page = html.unescape(second_tab.get_data(as_text=True))
    assert re.search(rf"Already sent to GACC: {sent.reference}, in batch KZ-GACC-2026-014, "
                     r"by you at [^<]+ \(in another window or tab\)\.", page)
    assert 'value="KZ-GACC-2026-015"' in page and 'value="2026-07-02"' in page
    assert _state(ids[2]) == "recommended"
    assert db.session.scalar(select(GaccBatch.reference).where(
        GaccBatch.reference == "KZ-GACC-2026-015")) is None

    make_user("registrar", "second.registrar@example.kz", full_name="Aigerim Registrar")
    login(client, "second.registrar@example.kz")
    other = post(client, "/registrar/batches", {
        "confirm": "y", "application_id": ids[:1], "reference": "KZ-GACC-2026-016",
        "submitted_on": "2026-07-02"})
    assert other.status_code == 422
    first = db.session.get(Application, ids[0])
    assert re.search(rf"Already sent to GACC: {first.reference}, in batch KZ-GACC-2026-014, "
                     r"by Test Registrar at [^<]+\.", html.unescape(other.get_data(as_text=True)))
    assert 'value="KZ-GACC-2026-016"' in other.get_data(as_text=True)


def test_an_overdue_stage_says_so_in_words_not_by_colour_alone(world, client):
    """The registrar's list showed an overdue deadline in red only: nothing a screen reader,
    a colour-blind registrar or a printout could tell from one still to come."""
    overdue, future = (db.session.get(Application, world["ids"][0]),
                       db.session.get(Application, world["ids"][1]))
    overdue.stage_deadline = applications.local_today() - timedelta(days=3)
    future.stage_deadline = applications.local_today() + timedelta(days=3)
    db.session.commit()
    login(client, world["registrar"].email)
    rows = client.get("/registrar/").get_data(as_text=True).split("<tr")
    late = [row for row in rows if f">{overdue.reference}</a>" in row]
    coming = [row for row in rows if f">{future.reference}</a>" in row]
    assert late and all(re.search(r'<span class="overdue">due [^<]+ — overdue</span>', row)
                        for row in late)
    assert coming and all("overdue</span>" not in row and '<span class="muted">due ' in row
                          for row in coming)


def test_the_overview_offers_no_draft_and_says_what_is_with_gacc(world, client):
    """"Draft" was offered among the states and always found nothing (staff never see one);
    an application GACC returned, waiting for the exporter's answer, sat under "Awaiting
    GACC"."""
    returned = world["ids"][0]
    move_to_state(db.session.get(Application, returned), "gacc_returned")
    login(client, "registrar@example.kz")
    page = html.unescape(client.get("/registrar/").get_data(as_text=True))
    states = re.search(r'<select id="f-state" name="state">(.*?)</select>', page, re.S).group(1)
    assert 'value="draft"' not in states and 'value="gacc_returned"' in states
    section = re.search(r'<section id="awaiting-gacc">(.*?)</section>', page, re.S).group(1)
    assert "<h2>With GACC (1)</h2>" in section
    assert "returned by GACC with requests for the exporter to answer" in section
    assert f'href="/registrar/applications/{returned}"' in section
