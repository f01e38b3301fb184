"""Schemathesis runs every operation of the OpenAPI document against the app (WSGI) with a
valid token of each role: no server error, no response outside its schema, no status code the
document does not list. Examples per operation are few, so that the run stays short in CI.

The schema is loaded when the module is collected, so this module has its own application on
a private in-memory SQLite database (schemathesis's lazy fixture loader does not run on
pytest 9).
"""

import atexit
import shutil
import sqlite3
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.pool import StaticPool

from certtrack import create_app
from certtrack.extensions import db
from certtrack.services.reference import load_reference

from api_world import build_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
CALLERS = ("exporter_a", "registrar", "laboratory", "inspector", "admin")


def _app():
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    uploads = tempfile.mkdtemp(prefix="certtrack-api-")
    atexit.register(shutil.rmtree, uploads, True)  # made at import: no tmp_path to clean it
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret-key", "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {"creator": lambda: connection, "poolclass": StaticPool},
        "UPLOAD_FOLDER": uploads,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "API_RATE_LIMIT_PER_TOKEN": "100000/minute",
        "API_RATE_LIMIT_PER_ADDRESS": "100000/minute"})
    with app.app_context():
        db.create_all()
        load_reference()
    return app


APP = _app()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# The coverage phase (hundreds of boundary cases per operation) is left to a longer run:
# `schemathesis run` against a server. Here: the examples phase and a few fuzzed cases.
schema.config.phases.coverage.enabled = False


@pytest.fixture(scope="module")
def tokens():
    with APP.test_request_context():
        world = build_world()
        return dict(world.tokens)


@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, tokens):
    for caller in CALLERS:  # each generated request is sent with a token of every role
        with APP.app_context():
            case.call_and_validate(headers={"Authorization": f"Bearer {tokens[caller]}"},
                                   checks=CHECKS)


@pytest.fixture(scope="module")
def draft():
    """An exporter with a registration in force, its token, and the header of a consignment."""
    from datetime import timedelta

    from certtrack.services.applications import local_today

    from api_world import token_for
    from consignment_factories import CONSIGNEE
    from factories import make_registration, make_user

    with APP.test_request_context():
        exporter, _application, registration = make_registration(
            make_user("registrar"), local_today() - timedelta(days=30))
        return token_for(exporter), {
            **CONSIGNEE, "registration_id": registration.id, "conveyance": "rail_wagon",
            "crossing_code": "dostyk_alashankou", "origin_region_code": "KZ-11"}


def _called(path: str, method: str, secret: str, status: int, **case):
    """The operation called with the given values, its answer checked against the document."""
    with APP.app_context():
        response = schema[path][method].Case(**case).call_and_validate(
            headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
    assert response.status_code == status, response.text
    return response.json()


def test_a_consignment_drafted_through_the_api_keeps_the_contract_of_each_answer(draft):
    """Fuzzed ids find no consignment: the answers of a draft made, filled and emptied are
    checked here (their bodies, headers and statuses as documented)."""
    from factories import PDF_BYTES

    secret, header = draft
    created = _called("/api/v1/consignments", "POST", secret, 201, body=header)
    ids = {"consignment_id": created["id"]}
    lots = "/api/v1/consignments/{consignment_id}/lots"
    lot = {"product_code": "wheat", "net_weight": "20", "gross_weight": "20.5",
           "weight_unit": "t", "packages_number": 400, "packages_kind": "bags"}
    added = _called(lots, "POST", secret, 201, path_parameters=ids, body=lot)
    upload = {"path_parameters": ids, "media_type": "multipart/form-data",
              "body": {"document_type": "invoice", "file": PDF_BYTES}}
    documents = "/api/v1/consignments/{consignment_id}/documents"
    first = _called(documents, "POST", secret, 201, **upload)
    assert _called(documents, "POST", secret, 200, **upload)["id"] == first["id"]
    _called(lots + "/{lot_id}", "DELETE", secret, 200,
            path_parameters={**ids, "lot_id": added["lots"][0]["id"]})
