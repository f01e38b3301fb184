"""Renaming a registered enterprise or establishment waits for the registrar: the register and
the certificates keep the registered name until the new one is approved (issue 14, point 6)."""

import html
import re
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    Enterprise,
    Establishment,
    NameChangeRequest,
    Notification,
)
from certtrack.services import enterprises, name_changes, print_context
from certtrack.services.applications import local_today
from certtrack.services.enterprises import EnterpriseInput, EstablishmentInput
from certtrack.services.errors import NotFound, PermissionDenied, ValidationFailed

from factories import (
    ENTERPRISE,
    ESTABLISHMENT,
    make_exporter_with_application,
    make_registration,
    make_user,
    move_to_state,
)
from forms import flashes, login, post

NEW_NAME = "Golden Steppe Holdings LLP"


@pytest.fixture
def registered(ctx):
    """A registrar and an exporter whose enterprise holds a registration in force."""
    registrar = make_user("registrar")
    exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30))
    return registrar, exporter, registration


def _profile(enterprise: Enterprise, **changes) -> dict:
    data = {field: getattr(enterprise, field) for field in ENTERPRISE if field != "bin"}
    return {**data, "version": str(enterprise.version), **changes}


def _register_page(client) -> str:
    return client.get("/register").get_data(as_text=True)


def test_a_rename_waits_and_the_register_shows_the_registered_name(registered, client):
    registrar, exporter, registration = registered
    enterprise = registration.enterprise
    registered_name = enterprise.name_en
    login(client, exporter.email)
    response = post(client, "/exporter/enterprise/edit",
                    _profile(enterprise, name_en=NEW_NAME, phone="+7 7162 000 111"))
    assert response.status_code == 302
    db.session.expire_all()
    assert enterprise.name_en == registered_name
    assert enterprise.phone == "+7 7162 000 111"  # what needs no review changes at once
    page = client.get("/exporter/enterprise").get_data(as_text=True)
    assert "waits for the registrar" in page and NEW_NAME in page
    # the notice names what changes, and only that (it ran every name together)
    assert (f"A change of {registered_name} waits for the registrar's approval (Legal name "
            f"in English: {NEW_NAME}).") in page
    assert ("The enterprise profile was saved. The new name or address waits for the "
            "registrar&#39;s approval") in page  # the flash says so, not only "saved"
    again = post(client, "/exporter/enterprise/edit", _profile(db.session.get(
        Enterprise, enterprise.id), name_en=registered_name, phone="+7 7162 000 222"))
    assert again.status_code == 302
    page = client.get("/exporter/enterprise").get_data(as_text=True)
    assert "The enterprise profile was saved.</p>" in page
    anonymous = client.application.test_client()
    assert registered_name in _register_page(anonymous)
    assert NEW_NAME not in _register_page(anonymous)
    context = print_context.certificate_context(
        registration, number="X", verification_url="https://x", issued_on=local_today(),
        officer="R")
    assert context["enterprise"]["name"]["en"] == registered_name
    notes = db.session.scalars(select(Notification).where(
        Notification.user_id == registrar.id)).all()
    assert [note.kind for note in notes] == ["name_change_requested"]


def test_the_registrar_approves_and_the_new_name_shows_everywhere(registered, client):
    registrar, exporter, registration = registered
    enterprises.update_enterprise(exporter, registration.enterprise, EnterpriseInput.from_mapping(
        _profile(registration.enterprise, name_en=NEW_NAME)))
    request = db.session.scalar(select(NameChangeRequest))
    login(client, registrar.email)
    listing = client.get("/registrar/name-changes").get_data(as_text=True)
    assert NEW_NAME in listing and registration.enterprise.bin in listing
    assert listing.count('<tr class="changed">') == 1  # the English name; the others as they were
    assert f"<strong>{NEW_NAME}</strong>" in listing and "(unchanged)" in listing
    unticked = post(client, f"/registrar/name-changes/{request.id}/approve",
                    {"version": str(request.version)})
    assert unticked.status_code == 422
    assert "Tick the box to confirm." in unticked.get_data(as_text=True)
    db.session.expire_all()
    assert request.status == "pending" and NEW_NAME not in _register_page(
        client.application.test_client())
    response = post(client, f"/registrar/name-changes/{request.id}/approve",
                    {"version": str(request.version), "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert registration.enterprise.name_en == NEW_NAME
    assert request.status == "approved" and request.decided_by_id == registrar.id
    assert NEW_NAME in _register_page(client.application.test_client())
    assert "name_change_decided" in db.session.scalars(select(Notification.kind).where(
        Notification.user_id == exporter.id)).all()
    assert "name_change_approved" in db.session.scalars(select(AuditEvent.action)).all()


def test_a_refusal_needs_a_reason_and_a_ticked_box_and_keeps_the_registered_name(registered,
                                                                                 client):
    registrar, exporter, registration = registered
    establishment = registration.establishment
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, "name": "Renamed elevator", "version": str(establishment.version)}))
    request = db.session.scalar(select(NameChangeRequest))
    assert request.establishment_id == establishment.id
    login(client, registrar.email)
    listing = client.get("/registrar/name-changes").get_data(as_text=True)
    assert "Name in Kazakh" in listing and "<code>name</code>" not in listing
    assert 'type="checkbox"' in listing.split('id="request-')[1]  # the refusal's box
    url, version = f"/registrar/name-changes/{request.id}/refuse", str(request.version)
    response = post(client, url, {"version": version,
                                  "reason": "GACC has not been told of the new name"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="confirm-error"' in page and 'id="reason-error"' not in page
    assert "Tick the box to confirm." in page.split('id="confirm-error"')[1][:80]
    assert "GACC has not been told of the new name</textarea>" in page  # kept as typed
    response = post(client, url, {"version": version, "confirm": "y"})
    assert response.status_code == 422
    assert "Please give a reason." in response.get_data(as_text=True).split(
        'id="reason-error"')[1][:80]
    # a reason too short is said with the unticked box, not once the box is ticked
    response = post(client, url, {"version": version, "reason": "No"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Tick the box to confirm." in page.split('id="confirm-error"')[1][:80]
    assert "Give the reason in a few words" in page.split('id="reason-error"')[1][:80]
    db.session.expire_all()
    assert request.status == "pending"
    response = post(client, url, {"version": version, "confirm": "y",
                                  "reason": "GACC has not been told of the new name"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Establishment, establishment.id).name == ESTABLISHMENT["name"]
    assert request.status == "refused" and request.reason.startswith("GACC")
    with pytest.raises(NotFound):
        name_changes.decide(registrar, request.id, True)


def test_without_a_registration_a_rename_applies_at_once(ctx):
    exporter, enterprise, _establishment, _application = make_exporter_with_application()
    enterprises.update_enterprise(exporter, enterprise, EnterpriseInput.from_mapping(
        _profile(enterprise, name_en=NEW_NAME)))
    db.session.expire_all()
    assert db.session.get(Enterprise, enterprise.id).name_en == NEW_NAME
    assert db.session.scalars(select(NameChangeRequest)).all() == []


def test_only_a_registrar_decides(registered):
    registrar, exporter, registration = registered
    enterprises.update_enterprise(exporter, registration.enterprise, EnterpriseInput.from_mapping(
        _profile(registration.enterprise, name_en=NEW_NAME)))
    request = db.session.scalar(select(NameChangeRequest))
    for actor in (exporter, make_user("inspector"), make_user("admin")):
        with pytest.raises(PermissionDenied):
            name_changes.decide(actor, request.id, True)
    with pytest.raises(ValidationFailed):
        name_changes.decide(registrar, request.id, False, "  ")
    assert db.session.get(NameChangeRequest, request.id).status == "pending"


@pytest.mark.parametrize("field", ["name_zh", "name_ru", "name_en"])
def test_an_establishments_name_in_any_language_waits_too(registered, client, field):
    """Only the Kazakh name waited: the Chinese one changed at once in the register."""
    registrar, exporter, registration = registered
    establishment = registration.establishment
    before = getattr(establishment, field)
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, field: "科斯塔奈新粮库" if field == "name_zh" else "New elevator",
         "version": str(establishment.version)}))
    db.session.expire_all()
    assert getattr(db.session.get(Establishment, establishment.id), field) == before
    request = db.session.scalar(select(NameChangeRequest))
    assert request.establishment_id == establishment.id and field in request.proposed
    login(client, registrar.email)
    listing = client.get("/registrar/name-changes").get_data(as_text=True)
    label = {"name_zh": "Name in Chinese", "name_ru": "Name in Russian",
             "name_en": "Name in English"}[field]
    assert label in listing and "Legal name in" not in listing


def test_a_registered_address_waits_for_the_registrar_too(registered, client):
    """A new address went at once onto the certificate beside the registered one: its Kazakh
    line said one street, its English line another."""
    registrar, exporter, registration = registered
    establishment, enterprise = registration.establishment, registration.enterprise
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, "address_en": "45 New Industrial Avenue, Kokshetau",
         "version": str(establishment.version)}))
    enterprises.update_enterprise(exporter, enterprise, EnterpriseInput.from_mapping(
        _profile(enterprise, address="Kokshetau, Abai Street 200", phone="+7 7162 000 111")))
    db.session.expire_all()
    assert db.session.get(Establishment, establishment.id).address_en == ""
    assert enterprise.address == ENTERPRISE["address"] and enterprise.phone == "+7 7162 000 111"
    context = print_context.certificate_context(
        registration, number="X", verification_url="https://x", issued_on=local_today(),
        officer="R")
    assert "45 New Industrial Avenue" not in str(context)
    assert "Abai Street 200" not in str(context)
    login(client, registrar.email)
    listing = client.get("/registrar/name-changes").get_data(as_text=True)
    assert "Address in English" in listing and "Legal address" in listing
    assert "<strong>45 New Industrial Avenue, Kokshetau</strong>" in listing
    request = db.session.scalar(select(NameChangeRequest).where(
        NameChangeRequest.establishment_id == establishment.id))
    response = post(client, f"/registrar/name-changes/{request.id}/approve",
                    {"version": str(request.version), "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Establishment, establishment.id)
    assert moved.address_en == "45 New Industrial Avenue, Kokshetau"
    assert db.session.get(Enterprise, enterprise.id).address == ENTERPRISE["address"]  # waits
    login(client, exporter.email)
    notes = client.get("/notifications").get_data(as_text=True)
    assert (f"The new name or address of {ESTABLISHMENT['name']} was approved" in notes)


def test_a_second_edit_starts_from_the_change_waiting(registered, client):
    """The form showed the registered values again: a new name saved from it replaced the
    waiting request, and the address change in it was lost without a word."""
    _registrar, exporter, registration = registered
    establishment = registration.establishment
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    first = post(client, url, {**ESTABLISHMENT, "address_en": "32 Industrial Street",
                               "version": str(establishment.version)})
    assert first.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'id="waiting-change"' in page and "32 Industrial Street</textarea>" in page
    db.session.expire_all()
    second = post(client, url, {**ESTABLISHMENT, "address_en": "32 Industrial Street",
                                "name_en": "Kokshetau grain elevator",
                                "version": str(db.session.get(Establishment,
                                                              establishment.id).version)})
    assert second.status_code == 302
    request = db.session.scalar(select(NameChangeRequest))
    assert request.changes == {"address_en": "32 Industrial Street",
                               "name_en": "Kokshetau grain elevator"}


def test_an_address_changed_in_one_language_only_is_flagged_to_the_registrar(registered,
                                                                            client):
    """Approved, an English-only address change left the Kazakh and Russian lines as
    registered: the certificate printed two street numbers, with no warning."""
    registrar, exporter, registration = registered
    establishment = registration.establishment
    establishment.address_ru = "г. Кокшетау, Элеватор 2"
    db.session.commit()
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, "address_ru": "г. Кокшетау, Элеватор 2",
         "address_en": "Kokshetau, Elevator 32", "version": str(establishment.version)}))
    login(client, registrar.email)
    page = client.get("/registrar/name-changes").get_data(as_text=True)
    assert "The address changes in some languages only" in page
    request = db.session.scalar(select(NameChangeRequest))
    name_changes.decide(registrar, request.id, False, "Change every language")
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, "name_en": "Kokshetau grain elevator",
         "address_ru": "г. Кокшетау, Элеватор 2", "version": str(establishment.version)}))
    page = client.get("/registrar/name-changes").get_data(as_text=True)
    assert "Kokshetau grain elevator" in page
    assert "The address changes in some languages only" not in page  # a name alone


def test_an_address_changed_in_one_language_asks_the_exporter_first(registered, client):
    """The exporter's form took a new street in Russian only: the certificate would have
    printed it beside the registered Kazakh one."""
    _registrar, exporter, registration = registered
    establishment = registration.establishment
    establishment.address_ru = "г. Кокшетау, Элеватор 2"
    db.session.commit()
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    typed = {**ESTABLISHMENT, "address_ru": "г. Кокшетау, Элеватор 32",
             "name_en": "Kokshetau grain elevator", "version": str(establishment.version)}
    refused = post(client, url, typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "The address changed in some languages only" in page
    assert 'name="address_in_part"' in page  # the box appears with the message
    assert "г. Кокшетау, Элеватор 32</textarea>" in page  # nothing typed is lost
    assert 'value="Kokshetau grain elevator"' in page
    assert db.session.scalar(select(NameChangeRequest)) is None
    assert 'name="address_in_part"' not in client.get(url).get_data(as_text=True)
    confirmed = post(client, url, {**typed, "address_in_part": "y"})
    assert confirmed.status_code == 302
    assert db.session.scalar(select(NameChangeRequest)).changes == {
        "address_ru": "г. Кокшетау, Элеватор 32", "name_en": "Kokshetau grain elevator"}


def test_a_move_in_every_language_or_a_new_translation_needs_no_box(registered, client):
    _registrar, exporter, registration = registered
    establishment = registration.establishment
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    added = post(client, url, {**ESTABLISHMENT, "address_zh": "科克舍套市电梯街2号",
                               "version": str(establishment.version)})
    assert added.status_code == 302  # a line where there was none is a translation
    db.session.expire_all()
    moved = post(client, url, {**ESTABLISHMENT, "address": "Көкшетау қ., Абай к-сі 200",
                               "address_zh": "科克舍套市阿拜街200号",
                               "version": str(establishment.version)})
    assert moved.status_code == 302
    assert db.session.scalar(select(NameChangeRequest)).changes == {
        "address": "Көкшетау қ., Абай к-сі 200", "address_zh": "科克舍套市阿拜街200号"}


def test_a_registered_establishments_type_region_and_number_stay_as_registered(registered,
                                                                             client):
    """They changed at once: the register listed the elevator as a cold store in Almaty, under
    a Kazakh number China never saw."""
    _registrar, exporter, registration = registered
    establishment = registration.establishment
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="registered-note"' in page and 'id="registered-as"' in page
    assert 'name="region_code" value="KZ-11"' in page  # shown as a fact, not a choice
    moved = post(client, url, {**ESTABLISHMENT, "type": "cold_store", "region_code": "KZ-75",
                               "kz_registration_number": "KZ-75-0009",
                               "version": str(establishment.version)})
    page = moved.get_data(as_text=True)
    assert moved.status_code == 422
    # beside each field, and in the summary above the form
    assert page.count("The establishment is registered in China with this value") == 6
    db.session.expire_all()
    row = db.session.get(Establishment, establishment.id)
    assert (row.type, row.region_code, row.kz_registration_number) == (
        "elevator", "KZ-11", "KZ-11-0001")
    renamed = post(client, url, {**ESTABLISHMENT, "name_en": "Kokshetau grain elevator",
                                 "version": str(row.version)})
    assert renamed.status_code == 302  # the rest of the form still saves


def test_an_establishment_not_yet_registered_may_still_move(ctx, client):
    exporter, _enterprise, establishment, _application = make_exporter_with_application()
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    assert 'id="registered-note"' not in client.get(url).get_data(as_text=True)
    moved = post(client, url, {**ESTABLISHMENT, "type": "cold_store",
                               "version": str(establishment.version)})
    assert moved.status_code == 302
    assert db.session.get(Establishment, establishment.id).type == "cold_store"


def test_an_establishment_whose_application_is_under_way_keeps_type_region_and_number(ctx,
                                                                                     client):
    """It moved to another region, under another number, while GACC had its application: the
    registration was recorded and the certificate printed for a site nobody inspected."""
    exporter, _enterprise, establishment, application = make_exporter_with_application()
    move_to_state(application, "submitted_to_gacc")
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    moved = post(client, url, {**ESTABLISHMENT, "type": "cold_store", "region_code": "KZ-39",
                               "kz_registration_number": "KZ-39-9999",
                               "version": str(establishment.version)})
    assert moved.status_code == 422
    assert html.unescape(moved.get_data(as_text=True)).count(
        f"Application {application.reference} is under way with this value: its check") == 6
    db.session.expire_all()
    row = db.session.get(Establishment, establishment.id)
    assert (row.type, row.region_code) == ("elevator", "KZ-11")
    move_to_state(db.session.get(Application, application.id), "withdrawn")
    again = post(client, url, {**ESTABLISHMENT, "region_code": "KZ-39",
                               "version": str(row.version)})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Establishment, establishment.id).region_code == "KZ-39"


def test_a_registered_establishment_keeps_its_name_and_address_in_english(registered, client):
    """Emptied, they went to the registrar as a change ("Name in English: ", nothing after),
    which approved would have stopped every consignment of the establishment."""
    _registrar, exporter, registration = registered
    establishment = registration.establishment
    establishment.name_en, establishment.address_en = "Kokshetau elevator", "Kokshetau, Elevator 2"
    db.session.commit()
    login(client, exporter.email)
    url = f"/exporter/establishments/{establishment.id}"
    emptied = post(client, url, {**ESTABLISHMENT, "name_en": "", "address_en": "",
                                 "name_ru": "Кокшетауский элеватор",
                                 "version": str(establishment.version)})
    assert emptied.status_code == 422
    page = emptied.get_data(as_text=True)
    assert page.count("The certificates of this establishment’s consignments print this in "
                      "English: correct it rather than remove it.") == 4  # fields and summary
    assert 'value="Кокшетауский элеватор"' in page  # what was typed is kept
    db.session.expire_all()
    assert db.session.scalar(select(NameChangeRequest)) is None
    assert db.session.get(Establishment, establishment.id).name_en == "Kokshetau elevator"
    corrected = post(client, url, {**ESTABLISHMENT, "name_en": "Kokshetau grain elevator",
                                   "address_en": "Kokshetau, Elevator 2",
                                   "version": str(establishment.version)})
    assert corrected.status_code == 302  # a correction still goes to the registrar


def test_a_decision_sent_from_a_stale_page_says_who_decided_and_keeps_the_reason(registered,
                                                                                 client):
    """Approved in one tab, refused from another: the second answered 404 "Page not found",
    named nobody, and lost the reason typed."""
    registrar, exporter, registration = registered
    enterprises.update_enterprise(exporter, registration.enterprise, EnterpriseInput.from_mapping(
        _profile(registration.enterprise, name_en=NEW_NAME)))
    request = db.session.scalar(select(NameChangeRequest))
    version = str(request.version)
    other = make_user("registrar", full_name="Aigul Registrar")
    login(client, other.email)
    assert post(client, f"/registrar/name-changes/{request.id}/approve",
                {"version": version, "confirm": "y"}).status_code == 302
    login(client, registrar.email)
    reason = "The charter with the new name is not attached"
    response = post(client, f"/registrar/name-changes/{request.id}/refuse",
                    {"version": version, "confirm": "y", "reason": reason},
                    follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/registrar/name-changes"
    said = " ".join(flashes(response.get_data(as_text=True)))
    assert "Aigul Registrar already approved this change, at " in said
    assert f"What you typed: {reason}" in said
    db.session.expire_all()
    assert request.status == "approved" and request.decided_by_id == other.id
    login(client, other.email)
    again = post(client, f"/registrar/name-changes/{request.id}/approve",
                 {"version": version, "confirm": "y"}, follow_redirects=True)
    assert "You already approved this change, at " in " ".join(
        flashes(again.get_data(as_text=True)))
    assert post(client, "/registrar/name-changes/999/approve",
                {"version": "1", "confirm": "y"}).status_code == 404


def test_a_name_removed_in_one_language_reads_removed_to_the_registrar(registered, client):
    """The "Requested" cell of an emptied name was an empty bold cell."""
    registrar, exporter, registration = registered
    establishment = registration.establishment
    establishment.name_ru = "Кокшетауский элеватор"
    db.session.commit()
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, "name_ru": "", "version": str(establishment.version)}))
    login(client, registrar.email)
    listing = client.get("/registrar/name-changes").get_data(as_text=True)
    row = re.search(r"<tr class=\"changed\">(.*?)</tr>", listing, re.S).group(1)
    assert "Name in Russian" in row and "Кокшетауский элеватор" in row
    assert "<strong>removed</strong>" in row


def test_a_new_legal_representative_is_not_saved_while_a_registration_is_in_force(
        registered, client):
    """It was saved at once and the registration stayed active: a change of legal
    representative voids the China number (docs/domain.md §4), as a move of an establishment
    does, which the exporter cannot make alone either."""
    _registrar, exporter, registration = registered
    enterprise = registration.enterprise
    before = enterprise.legal_representative
    login(client, exporter.email)
    response = post(client, "/exporter/enterprise/edit", _profile(
        enterprise, legal_representative="Serik Nurlanov", phone="+7 7162 000 333"))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert ("The enterprise is registered in China with this legal representative: a new one "
            "voids the China registration, and a new application is needed. Ask the "
            "registrar.") in page
    assert 'value="Serik Nurlanov"' in page  # what was typed is kept
    db.session.expire_all()
    assert (enterprise.legal_representative, enterprise.phone) == (before, ENTERPRISE["phone"])
    registration.status = "invalidated"  # the registrar invalidated it: the exporter may now
    db.session.commit()
    assert post(client, "/exporter/enterprise/edit", _profile(
        db.session.get(Enterprise, enterprise.id), legal_representative="Serik Nurlanov")
    ).status_code == 302
    db.session.expire_all()
    assert enterprise.legal_representative == "Serik Nurlanov"


def test_the_russian_notice_does_not_quote_a_name_that_carries_its_own_quotes(registered,
                                                                             client):
    """«Изменение «ТОО «Степное зерно»» ожидает…»: the translation quoted a name that has its
    own quotes."""
    _registrar, exporter, registration = registered
    enterprise = registration.enterprise
    exporter.locale = "ru"
    enterprise.name_ru = "ТОО «Степное зерно»"  # as registered, before this change
    db.session.commit()
    login(client, exporter.email)
    assert post(client, "/exporter/enterprise/edit",
                _profile(enterprise, name_en=NEW_NAME)).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = html.unescape(client.get("/exporter/enterprise").get_data(as_text=True))
    assert f"Изменение {enterprise.name_ru} ожидает одобрения регистратора" in page
    assert "»»" not in page and "««" not in page
