"""The exporter's consignments through the API: read with lots and certificates, submitted with
If-Match, withdrawn, the certificate's PDF as stored; another enterprise's consignment is 404."""

import hashlib
from dataclasses import replace

import pytest

from certtrack.services.consignments import drafts, issue, status

from api_world import bearer, token_for
from consignment_factories import WHEAT_LOT, inspect_ready, make_consignment
from factories import make_user


@pytest.fixture
def draft(ctx):
    exporter, inspector, registration, consignment = make_consignment(submit=False)
    return exporter, inspector, consignment, token_for(exporter)


def test_the_exporter_reads_and_submits_a_draft_with_if_match(client, draft):
    _exporter, _inspector, consignment, secret = draft
    url = f"/api/v1/consignments/{consignment.id}"
    read = client.get(url, headers=bearer(secret))
    body = read.get_json()
    assert read.status_code == 200
    assert (body["state"], body["kind"], body["reference"]) == ("draft", "phyto",
                                                                consignment.reference)
    assert [lot["product_code"] for lot in body["lots"]] == ["wheat"]
    assert body["lots"][0]["net_weight"] == "65.500"
    assert "submit" in body["allowed_actions"]
    stale = client.post(url + "/submit", headers={**bearer(secret), "If-Match": '"consignment-'
                                                  f'{consignment.id}-v0"'})
    assert stale.status_code == 412
    assert client.get(url, headers=bearer(secret)).get_json()["state"] == "draft"
    submitted = client.post(url + "/submit",
                            headers={**bearer(secret), "If-Match": read.headers["ETag"]})
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["consignment"]["state"] == "submitted"
    assert submitted.get_json()["certificate_due"]
    listed = client.get("/api/v1/consignments?state=submitted", headers=bearer(secret))
    assert [c["id"] for c in listed.get_json()["items"]] == [consignment.id]


def test_a_lot_added_on_the_page_changes_the_etag(client, draft):
    """A lot added on the consignment's page left its ETag as it was: a submit with the If-Match
    read before it went through, for goods the client had not seen."""
    exporter, _inspector, consignment, secret = draft
    url = f"/api/v1/consignments/{consignment.id}"
    before = client.get(url, headers=bearer(secret)).headers["ETag"]
    drafts.add_lot(exporter, consignment, replace(WHEAT_LOT, marks="Wagon 95123469, seal 2"))
    after = client.get(url, headers=bearer(secret))
    assert len(after.get_json()["lots"]) == 2 and after.headers["ETag"] != before
    stale = client.post(url + "/submit", headers={**bearer(secret), "If-Match": before})
    assert stale.status_code == 412
    assert client.get(url, headers=bearer(secret)).get_json()["state"] == "draft"


def test_withdrawing_a_submitted_consignment_needs_a_reason(client, ctx):
    exporter, _inspector, _registration, consignment = make_consignment()
    secret = token_for(exporter)
    url = f"/api/v1/consignments/{consignment.id}/withdraw"
    refused = client.post(url, headers=bearer(secret), json={"reason": ""})
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    done = client.post(url, headers=bearer(secret), json={"reason": "Buyer cancelled"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["state"] == "withdrawn"


def test_a_withdrawn_consignment_says_why(client, ctx):
    """The consignment's page showed the exporter's reason; the API said "withdrawn" only."""
    exporter, _inspector, _registration, consignment = make_consignment()
    secret = token_for(exporter)
    url = f"/api/v1/consignments/{consignment.id}"
    assert client.get(url, headers=bearer(secret)).get_json()["withdrawal_reason"] is None
    client.post(url + "/withdraw", headers=bearer(secret), json={"reason": "Buyer cancelled"})
    assert client.get(url, headers=bearer(secret)).get_json()["withdrawal_reason"] == \
        "Buyer cancelled"
    listed = client.get("/api/v1/consignments", headers=bearer(secret)).get_json()["items"]
    assert [row["withdrawal_reason"] for row in listed] == ["Buyer cancelled"]
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["components"]["schemas"]["Consignment"]["properties"][
        "withdrawal_reason"]["readOnly"] is True


def test_the_issued_certificate_is_listed_and_its_pdf_is_the_stored_one(client, ctx):
    exporter, inspector, _registration, consignment = make_consignment()
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    secret = token_for(exporter)
    body = client.get(f"/api/v1/consignments/{consignment.id}", headers=bearer(secret)).get_json()
    assert body["state"] == "issued"
    assert [(c["number"], c["status"]) for c in body["certificates"]] == [
        (certificate.number, "valid")]
    listed = client.get("/api/v1/consignments", headers=bearer(secret)).get_json()["items"]
    assert listed[0]["certificates"][0]["number"] == certificate.number
    pdf = client.get(f"/api/v1/consignment-certificates/{certificate.id}/pdf",
                     headers=bearer(secret))
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == status.stored_pdf(certificate).sha256


def test_another_enterprise_never_learns_the_consignment_exists(client, draft):
    _exporter, _inspector, consignment, _secret = draft
    stranger = make_user("exporter")
    secret = token_for(stranger)
    assert client.get(f"/api/v1/consignments/{consignment.id}",
                      headers=bearer(secret)).status_code == 404
    assert client.post(f"/api/v1/consignments/{consignment.id}/withdraw", headers=bearer(secret),
                       json={"reason": "x"}).status_code == 404
    assert client.get("/api/v1/consignments", headers=bearer(secret)).get_json()["items"] == []


def test_a_short_withdrawal_reason_is_answered_beside_the_reason_field(client, ctx):
    """The service's message came under "comment", a field the API does not have."""
    exporter, _inspector, _registration, consignment = make_consignment()
    secret = token_for(exporter)
    url = f"/api/v1/consignments/{consignment.id}/withdraw"
    refused = client.post(url, headers=bearer(secret), json={"reason": "cancelled"})
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]
    assert list(errors) == ["reason"] and "10 characters" in errors["reason"][0]
    assert client.get(f"/api/v1/consignments/{consignment.id}",
                      headers=bearer(secret)).get_json()["state"] == "submitted"


def test_the_openapi_document_gives_the_withdrawal_reason_its_minimum(client):
    """It said minLength 1, where anything under 10 characters is refused."""
    spec = client.get("/api/v1/openapi.json").get_json()
    for name, field in (("Withdraw", "comment"), ("ConsignmentWithdraw", "reason")):
        prop = spec["components"]["schemas"][name]["properties"][field]
        assert prop.get("minLength") != 1 and "at least 10 characters" in prop["description"]
