"""The operations anyone may call: verification of every kind of certificate, the register."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import g

from certtrack.domain.verification import group_code
from certtrack.extensions import db
from certtrack.services import status_changes
from certtrack.services.applications import local_today
from certtrack.services.consignments import correction, issue
from certtrack.services.inputs import StatusChangeInput

from api_world import bearer, token_for
from consignment_factories import inspect_ready, make_consignment
from factories import make_certificate, make_user


def _verify(client, number, code, **headers):
    return client.get("/api/v1/public/verify", query_string={"number": number, "code": code},
                      headers=headers)


@pytest.mark.parametrize("kind", ["phyto", "vet"])
def test_a_consignment_certificate_verifies_as_on_its_page(ctx, client, kind):
    """KZ-PC and KZ-VC numbers answered 404 where the page said "valid"."""
    _exporter, inspector, registration, consignment = make_consignment(kind)
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    response = _verify(client, certificate.number, group_code(certificate.verification_code))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["kind"] == kind and body["number"] == certificate.number
    assert body["status"] == "valid" and body["registration_status"] == "active"
    assert body["china_number"] == registration.china_number
    assert body["enterprise"] == registration.enterprise.name_en
    assert (body["cancelled_on"], body["cancellation_ground"]) == (None, None)
    assert _verify(client, certificate.number, "WRONG-CODE").status_code == 404


def test_a_cancelled_consignment_certificate_answers_its_day_and_ground(ctx, client):
    """A customs system read "cancelled" without the day or why; the page said both."""
    _exporter, inspector, _registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    correction.cancel(inspector, consignment, "The buyer cancelled the contract",
                      "issued_in_error")
    body = _verify(client, certificate.number, certificate.verification_code).get_json()
    assert (body["status"], body["cancelled_on"], body["cancellation_ground"]) == (
        "cancelled", local_today().isoformat(), "issued_in_error")
    assert "The buyer" not in str(body)  # the inspector's words are the exporter's


def test_a_registration_certificate_says_its_kind(ctx, client):
    _registrar, _exporter, registration, certificate = make_certificate()
    body = _verify(client, certificate.number, certificate.verification_code).get_json()
    assert body["kind"] == "registration" and body["china_number"] == registration.china_number
    assert "registration_status" not in body


def test_a_certificate_answers_its_day_of_issue_authority_and_products(ctx, client):
    """The answer gave a UTC moment alone, no authority and no products: a certificate issued
    at 00:15 in Astana on 1 January read "2026-12-31T19:15:00+00:00", the PDF 1 January."""
    _registrar, _exporter, _registration, certificate = make_certificate()
    certificate.issued_at = datetime(2026, 12, 31, 19, 15, tzinfo=UTC)
    db.session.commit()
    body = _verify(client, certificate.number, certificate.verification_code).get_json()
    assert (body["issued_at"], body["issued_on"]) == ("2026-12-31T19:15:00+00:00", "2027-01-01")
    assert body["products"] == [{"hs_code": "1001", "name": "Wheat", "covered": True}]
    assert body["authority"] == certificate.data["authority"]["name"]["en"]
    g.pop("_flask_babel", None)  # the locale the requests above were answered in
    chinese = _verify(client, certificate.number, certificate.verification_code,
                      **{"Accept-Language": "zh"}).get_json()
    assert chinese["products"] == [{"hs_code": "1001", "name": "小麦", "covered": True}]
    assert chinese["authority"] == certificate.data["authority"]["name"]["zh"]


def test_a_consignment_certificate_answers_its_goods_as_issued(ctx, client):
    _exporter, inspector, _registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    body = _verify(client, certificate.number, certificate.verification_code).get_json()
    assert body["issued_on"] == certificate.issued_on.isoformat()
    assert body["products"] == [{"hs_code": "1001", "name": "Wheat"}]
    assert body["registration_status_at_issue"] == "active"  # the page says it too
    assert body["authority"] == certificate.context["authority"]["name"]["en"]


def test_the_register_answers_products_and_filters_by_product(ctx, client):
    """The page and the CSV named each registration's products and took a product filter;
    the API did neither, nor said until when a suspension runs."""
    registrar = make_user("registrar")
    _registrar, _exporter, registration, _certificate = make_certificate(registrar)
    until = local_today() + timedelta(days=30)
    status_changes.change_status(registrar, registration, "suspend",
                                 StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "suspended_until": until,
        "reason": "GACC notice on residues"}))
    [row] = client.get("/api/v1/public/register", query_string={"product": "1001"}
                       ).get_json()["items"]
    assert row["products"] == [{"hs_code": "1001", "name": "Wheat"}]
    assert (row["status"], row["suspended_until"], row["products_produced_from"]) == (
        "suspended", until.isoformat(), None)
    assert client.get("/api/v1/public/register", query_string={"product": "barley"}
                      ).get_json()["items"] == []


def test_the_register_names_the_establishment_and_takes_a_page_size(ctx, client):
    """The establishment came out as "Names(en='…', kk='…', …)", and `limit` was ignored."""
    registrar = make_user("registrar")
    listed = {}
    for _ in range(3):
        _registrar, _exporter, registration, _certificate = make_certificate(registrar)
        listed[registration.china_number] = registration.establishment.name_in("en")
    response = client.get("/api/v1/public/register", query_string={"limit": 2})
    assert response.status_code == 200
    first = response.get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get("/api/v1/public/register",
                      query_string={"limit": 2, "cursor": first["next_cursor"]}).get_json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    rows = first["items"] + rest["items"]
    assert {row["china_number"]: row["establishment"] for row in rows} == listed


@pytest.mark.parametrize(("query", "field"), [
    ({"category": "bogus"}, "category"), ({"region": "KZ-99"}, "region")])
def test_an_unknown_category_or_region_is_refused(ctx, client, query, field):
    g.pop("_flask_babel", None)
    response = client.get("/api/v1/public/register", query_string=query)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    known = client.get("/api/v1/public/register",
                       query_string={"category": "edible_grains", "region": "KZ-11"})
    assert known.status_code == 200


def test_a_tokens_rate_limit_counts_across_the_whole_api(app, ctx, client):
    """Each operation counted its own 600 a minute: a token past the limit on one answered
    200 on the next."""
    app.config["API_RATE_LIMIT_PER_TOKEN"] = "3/minute"
    exporter = make_consignment("phyto", submit=False)[0]
    secret = token_for(exporter)
    paths = ["/api/v1/enterprise", "/api/v1/applications", "/api/v1/registrations"]
    remaining = [client.get(path, headers=bearer(secret)).headers["RateLimit-Remaining"]
                 for path in paths]
    assert remaining == ["2", "1", "0"]
    refused = client.get("/api/v1/consignments", headers=bearer(secret))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    other = token_for(exporter)  # another token of the same account has its own count
    assert client.get("/api/v1/consignments", headers=bearer(other)).status_code == 200


def test_retry_after_comes_with_a_429_only_and_says_the_seconds_of_its_text(app, ctx, client):
    """Retry-After was on every 200 and 201 of the API, and the 429 said "Too many attempts",
    the sign-in form's words."""
    app.config["API_RATE_LIMIT_PER_TOKEN"] = "2/minute"
    exporter = make_consignment("phyto", submit=False)[0]
    secret = token_for(exporter)
    answered = client.get("/api/v1/enterprise", headers=bearer(secret))
    assert answered.status_code == 200 and "RateLimit-Remaining" in answered.headers
    assert "Retry-After" not in answered.headers
    assert "Retry-After" not in client.get("/api/v1/public/register").headers
    client.get("/api/v1/applications", headers=bearer(secret))
    g.pop("_flask_babel", None)
    refused = client.get("/api/v1/applications", headers={**bearer(secret),
                                                          "Accept-Language": "ru"})
    problem = refused.get_json()
    seconds = int(refused.headers["Retry-After"])
    assert refused.status_code == 429 and 0 < seconds <= 60
    assert problem["title"] == "Слишком много запросов"
    assert problem["detail"] == f"Слишком много запросов: повторите через {seconds} с."
