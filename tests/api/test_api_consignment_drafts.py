"""A consignment request made through the API, as on the pages: a draft, its lots added and
removed, its documents uploaded, then submitted; each write with If-Match, each audit row
naming the token, only while it is a draft, never on another enterprise's."""

import hashlib
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from flask import g
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Consignment, ConsignmentDocument, ConsignmentLot
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts

from api_world import bearer, token_for
from consignment_factories import CONSIGNEE, WHEAT_LOT, listed_in_english, make_consignment
from factories import PDF_BYTES, make_registration, make_user

LOT = {"product_code": "wheat", "net_weight": "65.5", "gross_weight": "65.7",
       "weight_unit": "t", "packages_number": 1, "packages_kind": "bulk",
       "marks": "Wagon 95123451, seal KZ 778812"}


@pytest.fixture
def exporter(ctx):
    """An exporter with a registration in force (wheat, KZ-11) and a token: (user,
    registration, secret)."""
    user, _application, registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=30))
    listed_in_english(registration.establishment)
    return user, registration, token_for(user)


def _header(registration, **changes) -> dict:
    return {"registration_id": registration.id, **CONSIGNEE, "conveyance": "rail_wagon",
            "crossing_code": "dostyk_alashankou", "origin_region_code": "KZ-11",
            "place_of_origin": "Kokshetau district", **changes}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _via(action: str, consignment_id: int) -> dict:
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == consignment_id)
        .order_by(AuditEvent.id.desc()))
    return event.data["via"]


def _upload(client, url, secret, content=PDF_BYTES, kind="contract", **headers):
    return client.post(url + "/documents", headers={**bearer(secret), **headers},
                       content_type="multipart/form-data", data={
                           "document_type": kind, "file": (io.BytesIO(content), "contract.pdf")})


def test_an_erp_files_a_consignment_from_draft_to_submitted(client, exporter):
    user, registration, secret = exporter
    created = client.post("/api/v1/consignments", json=_header(registration),
                          headers=bearer(secret))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["state"], body["kind"], body["lots"], body["documents"]) == (
        "draft", "phyto", [], [])
    # what was sent is read back (the origin and the production days were not shown)
    assert (body["origin_region_code"], body["place_of_origin"], body["production_from"],
            body["storage_temperature"]) == ("KZ-11", "Kokshetau district", None, None)
    assert created.headers["Location"].endswith(f"/api/v1/consignments/{body['id']}")
    row = db.session.get(Consignment, body["id"])
    assert (row.enterprise_id, row.registration_id, row.crossing_code) == (
        user.enterprise_id, registration.id, "dostyk_alashankou")
    assert _via("consignment_created", row.id)["token_name"] == f"{user.email} system"
    url = f"/api/v1/consignments/{body['id']}"
    added = client.post(url + "/lots", json=LOT,
                        headers={**bearer(secret), "If-Match": created.headers["ETag"]})
    assert added.status_code == 201, added.get_json()
    assert added.headers["ETag"] != created.headers["ETag"]
    lot = db.session.scalars(select(ConsignmentLot).where(
        ConsignmentLot.consignment_id == row.id)).one()
    assert (lot.product_code, str(lot.net_weight), lot.packages_kind) == ("wheat", "65.500",
                                                                          "bulk")
    assert [x["id"] for x in added.get_json()["lots"]] == [lot.id]
    assert _via("consignment_lot_added", row.id)["token_name"] == f"{user.email} system"
    uploaded = _upload(client, url, secret, **{"If-Match": added.headers["ETag"]})
    assert uploaded.status_code == 201, uploaded.get_json()
    document = db.session.get(ConsignmentDocument, uploaded.get_json()["id"])
    assert (document.consignment_id, document.kind, document.sha256) == (
        row.id, "contract", hashlib.sha256(PDF_BYTES).hexdigest())
    assert _via("consignment_document_uploaded", row.id)["token_name"] == \
        f"{user.email} system"
    read = client.get(url, headers=bearer(secret))
    assert [d["document_type"] for d in read.get_json()["documents"]] == ["contract"]
    assert read.headers["ETag"] != added.headers["ETag"]  # the documents are shown
    submitted = client.post(url + "/submit",
                            headers={**bearer(secret), "If-Match": read.headers["ETag"]})
    assert submitted.status_code == 200, submitted.get_json()
    db.session.refresh(row)
    assert row.state == "submitted"


def test_a_registration_not_the_exporters_is_refused_in_the_readers_language(client, exporter):
    user, _registration, _secret = exporter
    _other, _application, theirs = make_registration(make_user("registrar"),
                                                     local_today() - timedelta(days=30))
    before = _count(Consignment)
    g.pop("_flask_babel", None)  # the locale the services above were called in
    answer = client.post("/api/v1/consignments", json=_header(theirs, consignee_name="Қостанай"),
                         headers={**bearer(token_for(user)), "Accept-Language": "ru"})
    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    with force_locale("ru"):
        registration = gettext("Choose one of your China registrations.")
        script = str(drafts.CONSIGNEE_SCRIPT)
    assert registration != "Choose one of your China registrations."
    assert answer.get_json()["errors"] == {"registration_id": [registration],
                                           "consignee_name": [script]}
    assert _count(Consignment) == before


def test_an_account_without_an_enterprise_is_told_to_register_it(client, exporter):
    _user, registration, _secret = exporter
    answer = client.post("/api/v1/consignments", json=_header(registration),
                         headers=bearer(token_for(make_user("exporter"))))
    assert answer.status_code == 403
    assert answer.get_json()["detail"] == "Register your enterprise first."


def test_one_idempotency_key_makes_one_draft_of_two_requests(client, exporter):
    _user, registration, secret = exporter
    before = _count(Consignment)
    headers = {**bearer(secret), "Idempotency-Key": "erp-shipment-7"}
    first = client.post("/api/v1/consignments", json=_header(registration), headers=headers)
    again = client.post("/api/v1/consignments", json=_header(registration), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert _count(Consignment) == before + 1


@pytest.fixture
def draft(client, exporter):
    user, registration, secret = exporter
    consignment = drafts.create_consignment(user, drafts.ConsignmentInput(
        **_header(registration)))
    return user, consignment, secret, f"/api/v1/consignments/{consignment.id}"


def test_a_lot_takes_the_pages_rules_and_a_stale_etag_adds_nothing(client, draft):
    user, consignment, secret, url = draft
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    refused = client.post(url + "/lots", headers=bearer(secret), json={
        **LOT, "gross_weight": "60", "net_weight": "65.0001", "product_code": "beef_frozen"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {
        "product_code": ["Choose a product the registration covers."],
        "net_weight": [str(drafts.WEIGHT_PLACES)]}
    drafts.add_lot(user, consignment,
                   replace(WHEAT_LOT, marks="Wagon 1"))
    stale = client.post(url + "/lots", json=LOT, headers={**bearer(secret), "If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["ETag"] == client.get(url, headers=bearer(secret)).headers["ETag"]
    assert [lot.marks for lot in consignment.lots] == ["Wagon 1"]


def test_a_lot_removed_is_audited_and_a_second_removal_is_404(client, draft):
    user, consignment, secret, url = draft
    lot = drafts.add_lot(user, consignment, WHEAT_LOT)
    etag = client.get(url, headers=bearer(secret)).headers["ETag"]
    removed = client.delete(f"{url}/lots/{lot.id}", headers={**bearer(secret),
                                                              "If-Match": etag})
    assert removed.status_code == 200, removed.get_json()
    assert removed.get_json()["lots"] == [] and removed.headers["ETag"] != etag
    assert db.session.get(ConsignmentLot, lot.id) is None
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consignment_lot_removed"))
    assert (event.object_id, event.data["product"], event.data["via"]["token_name"]) == (
        consignment.id, "wheat", f"{user.email} system")
    again = client.delete(f"{url}/lots/{lot.id}", headers=bearer(secret))
    assert again.status_code == 404
    assert "no longer on the draft" in again.get_json()["detail"]


def test_a_document_sent_twice_is_kept_once(client, draft):
    _user, consignment, secret, url = draft
    first = _upload(client, url, secret)
    again = _upload(client, url, secret)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    newer = _upload(client, url, secret, content=PDF_BYTES + b"%v2")
    assert newer.status_code == 201 and newer.get_json()["id"] != first.get_json()["id"]
    assert [first.get_json()["version"], newer.get_json()["version"]] == [1, 2]
    assert [d.sha256 for d in consignment.documents] == [
        hashlib.sha256(PDF_BYTES).hexdigest(), hashlib.sha256(PDF_BYTES + b"%v2").hexdigest()]
    not_a_pdf = _upload(client, url, secret, content=b"MZ\x90\x00 not a document")
    assert not_a_pdf.status_code == 422 and list(not_a_pdf.get_json()["errors"]) == ["file"]
    unknown = _upload(client, url, secret, kind="passport")
    assert unknown.status_code == 422 and list(unknown.get_json()["errors"]) == ["document_type"]
    assert _count(ConsignmentDocument) == 2


def test_a_submitted_consignment_is_no_longer_changed(client, ctx):
    exporter, _inspector, _registration, consignment = make_consignment()
    secret = token_for(exporter)
    url = f"/api/v1/consignments/{consignment.id}"
    lot = consignment.lots[0]
    for answer in (client.post(url + "/lots", json=LOT, headers=bearer(secret)),
                   client.delete(f"{url}/lots/{lot.id}", headers=bearer(secret)),
                   _upload(client, url, secret)):
        assert answer.status_code == 409, answer.get_json()
        assert "submitted" in answer.get_json()["detail"]
    assert [x.id for x in consignment.lots] == [lot.id]
    assert consignment.documents == []


def test_another_enterprises_draft_is_404_and_untouched(client, draft):
    user, consignment, _secret, url = draft
    lot = drafts.add_lot(user, consignment, WHEAT_LOT)
    stranger = token_for(make_registration(make_user("registrar"),
                                           local_today() - timedelta(days=30))[0])
    for answer in (client.post(url + "/lots", json=LOT, headers=bearer(stranger)),
                   client.delete(f"{url}/lots/{lot.id}", headers=bearer(stranger)),
                   _upload(client, url, stranger)):
        assert answer.status_code == 404
        assert answer.get_json()["detail"] == "No such consignment."
    assert [x.id for x in consignment.lots] == [lot.id] and consignment.documents == []


def test_a_read_only_token_may_not_create(client, exporter):
    user, registration, _secret = exporter
    reader = token_for(user, scopes=("read",))
    answer = client.post("/api/v1/consignments", json=_header(registration),
                         headers=bearer(reader))
    assert answer.status_code == 403
    assert _count(Consignment) == 0


def test_only_the_new_consignment_answers_with_a_location(client, draft):
    """A lot's 201 carried the consignment's Location, which its document does not list (the
    lot is no resource of its own: it is in the consignment's lots)."""
    _user, _consignment, secret, url = draft
    added = client.post(url + "/lots", json=LOT, headers=bearer(secret))
    assert added.status_code == 201 and "Location" not in added.headers
    spec = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "Location" in spec["/api/v1/consignments"]["post"]["responses"]["201"]["headers"]
    assert "Location" not in spec["/api/v1/consignments/{consignment_id}/lots"]["post"][
        "responses"]["201"]["headers"]
