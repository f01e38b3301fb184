"""A draft's creation form sent twice (the browser's Back button and the form sent again, a
double click on a slow connection) creates one draft: the second sending leads to the first
one's draft and says so. It created a second, identical draft."""

import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certtrack.domain.calendar import add_years
from certtrack.extensions import db
from certtrack.models import Application, Consignment, ConsignmentLot, Establishment
from certtrack.services import applications
from certtrack.services.applications import local_today
from certtrack.services.errors import Conflict
from certtrack.services.inputs import ApplicationInput

from consignment_factories import make_consignment
from factories import (
    QUESTIONNAIRE,
    make_bin,
    make_exporter_with_application,
    make_registration,
    make_user,
)
from forms import flashes, login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

NEW_APPLICATION = "/exporter/applications/new"
NEW_CONSIGNMENT = "/exporter/consignments/new"
KEY_RE = re.compile(r'name="creation_key" type="text" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CREATED_TWICE = (r"{kind} {ref} was already created, at .{{10,30}}: the form was sent twice, "
                 r"and no second draft was made\. To (start|request) another, choose “New "
                 r"{noun}” on the list of {noun}s\.")


def _form(client, url: str) -> dict:
    """The hidden fields of the creation form as the browser got them: CSRF token and key."""
    page = client.get(url).get_data(as_text=True)
    key = KEY_RE.search(page)
    return {"csrf_token": CSRF_RE.search(page).group(1),
            "creation_key": key.group(1) if key else ""}


def _application_entries(establishment) -> dict:
    entries = {name: value for name, value in QUESTIONNAIRE.items() if value is not None}
    return {**entries, "establishment_id": establishment.id}


def _consignment_entries(registration) -> dict:
    return {"registration_id": str(registration.id), "consignee_name": "新疆粮食进口有限公司",
            "consignee_address": "乌鲁木齐市", "conveyance": "rail_wagon",
            "crossing_code": "altynkol_khorgos", "origin_region_code": "KZ-11",
            "place_of_origin": "Kokshetau"}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _messages(client, location: str) -> list[str]:
    return [html.unescape(m) for m in flashes(client.get(location).get_data(as_text=True))]


def _exporter(client, serial: int | None = None):
    bin_ = make_bin(serial) if serial else "940140000385"
    email = f"other{serial}@example.kz" if serial else None
    user, _enterprise, establishment, _draft = make_exporter_with_application(
        bin_=bin_, email=email, complete=False)
    login(client, user.email)
    return user, establishment


def test_an_application_form_sent_twice_creates_one_draft_and_leads_to_it(ctx, client):
    _user, establishment = _exporter(client)
    before = _count(Application)
    sent = {**_form(client, NEW_APPLICATION), **_application_entries(establishment)}
    assert sent["creation_key"]
    first = client.post(NEW_APPLICATION, data=sent)
    assert first.status_code == 302
    assert _messages(client, first.location) == [
        "Draft saved. Add products and documents, then submit."]
    again = client.post(NEW_APPLICATION, data=sent)  # Back, and the form sent again
    assert again.status_code == 303
    assert again.location == first.location
    assert _count(Application) == before + 1
    draft = db.session.scalar(select(Application).order_by(Application.id.desc()))
    assert first.location.endswith(f"/exporter/applications/{draft.id}")
    [message] = _messages(client, again.location)
    assert re.fullmatch(CREATED_TWICE.format(kind="Application", ref=draft.reference,
                                                noun="application"), message)


def test_a_consignment_form_sent_twice_creates_one_draft_and_leads_to_it(ctx, client):
    exporter, _inspector, registration, _other = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    before = _count(Consignment)
    sent = {**_form(client, NEW_CONSIGNMENT), **_consignment_entries(registration)}
    first = client.post(NEW_CONSIGNMENT, data=sent)
    assert first.status_code == 302
    client.get(first.location)
    again = client.post(NEW_CONSIGNMENT, data=sent)
    assert again.status_code == 303 and again.location == first.location
    assert _count(Consignment) == before + 1
    draft = db.session.scalar(select(Consignment).order_by(Consignment.id.desc()))
    [message] = _messages(client, again.location)
    assert re.fullmatch(CREATED_TWICE.format(kind="Consignment", ref=draft.reference,
                                                noun="consignment"), message)
    # The draft's page says it, and is the draft's own page, with its consignee.
    assert "新疆粮食进口有限公司" in client.get(again.location).get_data(as_text=True)


def test_a_form_without_a_key_still_creates_a_draft(ctx, client):
    """A page opened before the keys, or a client that sends no key: created as before."""
    _user, establishment = _exporter(client)
    before = _count(Application)
    sent = {**_form(client, NEW_APPLICATION), **_application_entries(establishment)}
    assert sent.pop("creation_key")  # the page's form has one; this sending has none
    response = client.post(NEW_APPLICATION, data=sent)
    assert response.status_code == 302
    assert _count(Application) == before + 1
    assert _messages(client, response.location) == [
        "Draft saved. Add products and documents, then submit."]


def test_two_forms_each_with_its_own_key_create_two_drafts(ctx, client):
    _user, establishment = _exporter(client)
    before = _count(Application)
    one, two = _form(client, NEW_APPLICATION), _form(client, NEW_APPLICATION)
    assert one["creation_key"] and two["creation_key"] != one["creation_key"]
    first = client.post(NEW_APPLICATION, data={**one, **_application_entries(establishment)})
    second = client.post(NEW_APPLICATION, data={**two, **_application_entries(establishment)})
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location != second.location
    assert _count(Application) == before + 2


def test_another_exporters_key_neither_leads_to_nor_reveals_their_draft(ctx, app, client):
    _user, establishment = _exporter(client)
    sent = {**_form(client, NEW_APPLICATION), **_application_entries(establishment)}
    theirs = client.post(NEW_APPLICATION, data=sent).location
    assert client.get(theirs).status_code == 200
    other = app.test_client()
    _other_user, other_establishment = _exporter(other, serial=7)
    before = _count(Application)
    copied = {**_form(other, NEW_APPLICATION), **_application_entries(other_establishment),
              "creation_key": sent["creation_key"]}
    mine = other.post(NEW_APPLICATION, data=copied)
    assert mine.status_code == 302 and mine.location != theirs
    assert _count(Application) == before + 1  # a draft of their own, under their enterprise
    draft = db.session.scalar(select(Application).order_by(Application.id.desc()))
    assert draft.establishment_id == other_establishment.id
    assert _messages(other, mine.location) == [
        "Draft saved. Add products and documents, then submit."]
    # Sent again, the key leads to their own draft, never to the first exporter's.
    again = other.post(NEW_APPLICATION, data=copied)
    assert again.status_code == 303 and again.location == mine.location
    assert _count(Application) == before + 1
    assert other.get(theirs).status_code == 404


def test_a_sending_racing_the_first_past_the_check_leads_to_the_first_draft(ctx, client,
                                                                         monkeypatch):
    """Two sendings at once both find no draft with the key; the database's constraint lets
    one insert it, and the other is led to that draft."""
    _user, establishment = _exporter(client)
    sent = {**_form(client, NEW_APPLICATION), **_application_entries(establishment)}
    first = client.post(NEW_APPLICATION, data=sent)
    client.get(first.location)
    before = _count(Application)
    looked_up = applications.creation_keys.created_with
    calls = []

    def missed_once(*args):  # the second sending's check ran before the first's insert
        calls.append(args)
        return None if len(calls) == 1 else looked_up(*args)

    monkeypatch.setattr("certtrack.services.creation_keys.created_with", missed_once)
    again = client.post(NEW_APPLICATION, data=sent)
    assert again.status_code == 303 and again.location == first.location
    assert _count(Application) == before
    [message] = _messages(client, again.location)
    assert "no second draft was made" in message


def test_the_service_refuses_a_second_draft_with_the_same_key(ctx):
    user, _enterprise, establishment, _draft = make_exporter_with_application(complete=False)
    entries = ApplicationInput.from_mapping({**QUESTIONNAIRE, "establishment_id": establishment.id})
    first = applications.create_application(user, entries, key="k" * 32)
    before = _count(Application)
    with pytest.raises(Conflict):
        applications.create_application(user, entries, key="k" * 32)
    assert _count(Application) == before
    assert applications.creation_keys.created_with("application", user, "k" * 32).id == first.id
    # Without a key, as the API and scripts create: as many drafts as asked for.
    applications.create_application(user, entries)
    applications.create_application(user, entries)
    assert _count(Application) == before + 2


RACERS = 6


def test_sendings_at_the_same_instant_create_one_draft(shared_app):
    """A double click on a slow connection, for real: the sendings race on the database."""
    with shared_app.test_request_context():
        user, _enterprise, establishment, _draft = make_exporter_with_application(
            complete=False)
        email, entries = user.email, _application_entries(establishment)
        before = _count(Application)
    clients = [shared_app.test_client() for _ in range(RACERS)]
    for client in clients:
        login(client, email)
    forms = [_form(client, NEW_APPLICATION) for client in clients]
    key = forms[0]["creation_key"]
    barrier = threading.Barrier(RACERS)

    def send(index: int):
        barrier.wait()
        response = clients[index].post(NEW_APPLICATION, data={
            **forms[index], **entries, "creation_key": key})
        return response.status_code, response.location

    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(send, range(RACERS)))
    statuses = sorted(status for status, _location in answers)
    assert statuses == [302] + [303] * (RACERS - 1), answers
    assert len({location for _status, location in answers}) == 1
    with shared_app.app_context():
        assert _count(Application) == before + 1


def test_an_establishment_form_sent_twice_adds_one_establishment(ctx, client):
    _user, _establishment = _exporter(client)
    url = "/exporter/establishments/new"
    before = _count(Establishment)
    sent = {**_form(client, url), "name": "Kostanay mill", "type": "flour_mill",
            "region_code": "KZ-39", "address": "Kostanay, Mill 5",
            "kz_registration_number": "KZ-39-0042"}
    first = client.post(url, data=sent)
    assert first.status_code == 302
    client.get(first.location)
    again = client.post(url, data=sent)
    assert again.status_code == 303 and again.location == first.location
    assert _count(Establishment) == before + 1
    [message] = _messages(client, again.location)
    assert re.fullmatch(r"Establishment “Kostanay mill” was already added, at .{10,30}: the "
                        r"form was sent twice, and nothing was added again\.", message)


def test_a_lot_form_sent_twice_adds_one_lot(ctx, client):
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    detail = f"/exporter/consignments/{consignment.id}"
    before = _count(ConsignmentLot)
    sent = {**_form(client, detail), "product_code": "wheat", "net_weight": "60",
            "gross_weight": "61", "weight_unit": "t", "packages_number": "1",
            "packages_kind": "bulk", "marks": "Wagon 12345678"}
    first = client.post(f"{detail}/lots", data=sent)
    assert first.status_code == 302
    client.get(first.location)
    again = client.post(f"{detail}/lots", data=sent)
    assert again.status_code == 303 and again.location.endswith(f"{detail}#add-lot")
    assert _count(ConsignmentLot) == before + 1
    [message] = _messages(client, again.location)
    assert re.fullmatch(r"A lot of Wheat was already added, at .{10,30}: the form was sent "
                        r"twice, and nothing was added again\.", message)
    # Another lot, typed afresh in the form the page shows now, is added.
    another = client.post(f"{detail}/lots", data={**sent, **_form(client, detail)})
    assert another.status_code == 302
    assert _count(ConsignmentLot) == before + 2


@pytest.mark.parametrize(("locale", "start"), [
    ("ru", "Заявка № {ref} уже создана, "), ("kk", "№ {ref} өтінім жасалып қойған, "),
    ("zh", "申请 {ref} 已于2")])
def test_the_second_sending_is_told_in_the_readers_language(app, client, locale, start):
    with app.test_request_context():  # each request then picks its reader's language
        _user, establishment = _exporter(client)
        entries = _application_entries(establishment)
    assert post(client, "/language", {"locale": locale}).status_code == 302
    sent = {**_form(client, NEW_APPLICATION), **entries}
    client.get(client.post(NEW_APPLICATION, data=sent).location)
    again = client.post(NEW_APPLICATION, data=sent)
    with app.app_context():
        draft = db.session.scalar(select(Application).order_by(Application.id.desc()))
        reference = draft.reference
    [message] = _messages(client, again.location)
    assert message.startswith(start.format(ref=reference))


def test_the_renewal_button_sent_twice_starts_one_renewal_and_leads_to_it(ctx, client):
    """It answered "a renewal is under way" on the registrations page, and two sendings at
    once could both pass that check."""
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(
        make_user("registrar"), valid_from, category="meat", product="beef_chilled")
    login(client, exporter.email)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/exporter/registrations/\d+/renew">(.*?)'
                     r'</form>', page, re.S).group(1)
    sent = {"csrf_token": CSRF_RE.search(form).group(1),
            "creation_key": KEY_RE.search(form).group(1)}
    url = f"/exporter/registrations/{registration.id}/renew"
    first = client.post(url, data=sent)
    assert first.status_code == 302
    client.get(first.location)
    again = client.post(url, data=sent)
    assert again.status_code == 303 and again.location == first.location
    drafts = list(db.session.scalars(select(Application).where(Application.kind == "renewal")))
    assert len(drafts) == 1
    [message] = _messages(client, again.location)
    assert re.fullmatch(rf"Renewal application {drafts[0].reference} was already started, at "
                        r".{10,30}: the form was sent twice, and no second draft was made\.",
                        message)
