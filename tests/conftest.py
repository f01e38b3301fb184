"""Fixtures: an application on a fresh database, clients that sign in over HTTP, factories."""

import os

import pytest
from sqlalchemy import text

from certtrack import create_app
from certtrack.extensions import db
from certtrack.services.reference import load_reference

POSTGRES_URL = os.environ.get("CERTTRACK_TEST_DATABASE_URL")


def _reset_postgres(app) -> None:
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite in memory by default; the PostgreSQL of CERTTRACK_TEST_DATABASE_URL when set,
    with its schema dropped and created anew once per run."""
    if not POSTGRES_URL:
        return "sqlite://"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI":
                      POSTGRES_URL, "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("up"))})
    _reset_postgres(app)
    return POSTGRES_URL


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.app_context():
        if database_url.startswith("sqlite"):
            db.create_all()
        load_reference()
    yield app
    with app.app_context():
        db.session.remove()
        if database_url.startswith("postgresql"):
            _truncate_all()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.test_request_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
