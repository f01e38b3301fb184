"""Bodies Python cannot read, or whose text no column can hold, answered 500: a JSON document
nested past the recursion limit (before any sign-in, on any address), an integer of more than
4,300 digits, a lone surrogate ("\\ud800"), and an upload's file sent as a text field."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentDocument
from certtrack.services.applications import local_today

from api_world import bearer, token_for
from consignment_factories import CONSIGNEE, listed_in_english
from factories import make_registration, make_user


@pytest.fixture
def exporter(ctx):
    user, _application, registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=30))
    listed_in_english(registration.establishment)
    return user, registration, token_for(user)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("path", ["/login", "/api/v1/public/register", "/api/v1/consignments"])
def test_json_nested_past_the_recursion_limit_is_refused_anywhere(client, ctx, path):
    body = "[" * 100_000 + "]" * 100_000
    answer = client.post(path, data=body, content_type="application/json")
    assert answer.status_code == 400


def test_an_integer_too_long_to_read_is_refused(client, exporter):
    _user, _registration, secret = exporter
    body = '{"registration_id": 1' + "0" * 5000 + "}"
    answer = client.post("/api/v1/consignments", data=body, content_type="application/json",
                         headers=bearer(secret))
    assert answer.status_code == 400
    assert answer.get_json()["detail"] == "The request could not be read."
    assert _count(Consignment) == 0


def test_a_lone_surrogate_is_refused_and_nothing_is_stored(client, exporter):
    _user, registration, secret = exporter
    body = (f'{{"registration_id": {registration.id}, "consignee_name": "\\ud800", '
            '"consignee_address": "U", "conveyance": "rail_wagon", '
            '"crossing_code": "dostyk_alashankou", "origin_region_code": "KZ-11"}')
    answer = client.post("/api/v1/consignments", data=body, content_type="application/json",
                         headers=bearer(secret))
    assert answer.status_code == 400
    assert _count(Consignment) == 0


def test_an_uploads_file_sent_as_a_text_field_is_named_in_a_422(client, exporter):
    user, registration, secret = exporter
    created = client.post("/api/v1/consignments", headers=bearer(secret), json={
        "registration_id": registration.id, **CONSIGNEE, "conveyance": "rail_wagon",
        "crossing_code": "dostyk_alashankou", "origin_region_code": "KZ-11"})
    assert created.status_code == 201
    url = f"/api/v1/consignments/{created.get_json()['id']}/documents"
    for text in ("notafile", ""):
        answer = client.post(url, headers=bearer(secret), content_type="multipart/form-data",
                             data={"document_type": "invoice", "file": text})
        assert answer.status_code == 422, text
        assert "file" in answer.get_json()["errors"]
    assert _count(ConsignmentDocument) == 0
