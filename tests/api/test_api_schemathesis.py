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
