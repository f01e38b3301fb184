"""Fixtures: an application on a fresh database, clients that sign in over HTTP, factories."""

import os
import sqlite3

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import StaticPool

from certtrack import create_app
from certtrack.extensions import db
from certtrack.pdf.seal_keys import create_development_seal
from certtrack.services.reference import load_reference

from catalogs import compile_stale_catalogs

compile_stale_catalogs()  # once per test process, before any test renders a translated string

POSTGRES_URL = os.environ.get("CERTTRACK_TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def development_seal(tmp_path_factory):
    """One development seal for the whole run (making keys is the slow part), which every app
    the tests create seals with: SEAL_FOLDER comes from the environment, as in production."""
    folder = tmp_path_factory.mktemp("seal")
    create_development_seal(folder)
    previous = os.environ.get("CERTTRACK_SEAL_FOLDER")
    os.environ["CERTTRACK_SEAL_FOLDER"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("CERTTRACK_SEAL_FOLDER", None)
    else:
        os.environ["CERTTRACK_SEAL_FOLDER"] = previous


def _reset_postgres(app) -> None:
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
        db.session.remove()
        db.engine.dispose()


def _worker_database(url: str) -> str:
    """The database of this pytest-xdist worker: `test` for a run without workers, `test_gw0`,
    `test_gw1`, ... beside it otherwise (created on first use), so workers never share rows."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                             {"name": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite in memory by default; the PostgreSQL of CERTTRACK_TEST_DATABASE_URL when set
    (one database per test worker), with its schema dropped and created anew once per run."""
    if not POSTGRES_URL:
        return "sqlite://"
    url = _worker_database(POSTGRES_URL)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI":
                      url, "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("up"))})
    _reset_postgres(app)
    return url


# Kept between tests. Not lab_limit: the loader keeps administrators' edits of limits, so an
# edit made by one test would outlive it.
REFERENCE_TABLES = frozenset({"gacc_category", "product", "region", "document_type",
                              "required_document", "holiday", "lab_parameter"})


_SEQUENCES: list[str] = []


def _truncate_all() -> None:
    """Empty every table but the reference tables, which the next test's load_reference()
    brings back in line with the files (a cheap no-op when no test changed them).

    DELETE with foreign-key triggers off, then sequences reset: on tables this small it is
    an order of magnitude faster than TRUNCATE, which creates new files for each table."""
    names = [t.name for t in reversed(db.metadata.sorted_tables)
             if t.name not in REFERENCE_TABLES]
    if not _SEQUENCES:
        _SEQUENCES.extend(db.session.scalars(text(
            "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_default LIKE 'nextval%' AND table_name = ANY(:names)"),
            {"names": names}))
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    for name in names:
        db.session.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - our table names
    for sequence in _SEQUENCES:
        db.session.execute(text("SELECT setval(:seq, 1, false)"), {"seq": sequence})
    # An administrator's edit of the renewal list is kept by the loader on purpose; a test's edit
    # must not outlive it, so the next load_reference() takes the file's value again.
    db.session.execute(text("UPDATE gacc_category SET renewal_list_edited_at = NULL "
                            "WHERE renewal_list_edited_at IS NOT NULL"))
    db.session.commit()


def _memory_database(source: sqlite3.Connection | None = None) -> dict:
    """Engine options for a private in-memory SQLite database, copied from `source` if given."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    if source is not None:
        source.backup(connection)
    return {"creator": lambda: connection, "poolclass": StaticPool}


def _test_config(database_url: str, upload_folder: str, engine_options: dict) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "UPLOAD_FOLDER": upload_folder,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One in-memory database with the schema and the reference data, built once per run;
    every test starts from a copy of it (sqlite3's backup API), which is much faster than
    creating the tables and loading the reference files again."""
    options = _memory_database()
    connection = options["creator"]()
    app = create_app(_test_config("sqlite://", str(tmp_path_factory.mktemp("up")), options))
    with app.app_context():
        db.create_all()
        load_reference()
        db.session.remove()
    return connection


@pytest.fixture
def app(database_url, tmp_path, request):
    """The application on a fresh database: a copy of the SQLite template, or PostgreSQL with
    every table emptied after the test."""
    sqlite = database_url.startswith("sqlite")
    options = _memory_database(request.getfixturevalue("sqlite_template")) if sqlite else \
        {"connect_args": {"options": "-c synchronous_commit=off"}}  # tests need no durability
    app = create_app(_test_config(database_url, str(tmp_path / "uploads"), options))
    if not sqlite:
        with app.app_context():
            load_reference()
    yield app
    with app.app_context():
        db.session.remove()
        if not sqlite:
            _truncate_all()
        db.engine.dispose()


@pytest.fixture
def shared_app(app, database_url, tmp_path):
    """The test app where threads race for real: PostgreSQL when configured, else an SQLite
    file (the in-memory copy is one connection shared by every thread)."""
    if database_url.startswith("postgresql"):
        yield app
        return
    file_app = create_app({**app.config, "SQLALCHEMY_ENGINE_OPTIONS": {},
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'race.sqlite3'}"})
    with file_app.app_context():
        db.create_all()
        load_reference()
    yield file_app
    with file_app.app_context():
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


TEST_BUCKET = "certtrack-test"


@pytest.fixture(params=["folder", "s3"])
def storage_backend(request, app):
    """The app's storage, each in turn: its uploads folder, and a bucket of moto's in-process
    S3 (objects under the prefix `objects/`). Yields the kind."""
    app.extensions.pop("certtrack.storage", None)
    if request.param == "folder":
        yield "folder"
        return
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.session.Session().client("s3").create_bucket(Bucket=TEST_BUCKET)
        app.config["STORAGE_URL"] = f"s3://{TEST_BUCKET}/objects"
        yield "s3"
    app.extensions.pop("certtrack.storage", None)
