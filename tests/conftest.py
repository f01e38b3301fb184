"""Fixtures: an application on a fresh database, clients that sign in over HTTP, factories."""

import functools
import hashlib
import os
import sqlite3

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from jinja2.bccache import BytecodeCache
from sqlalchemy import create_engine, literal, make_url, select, text
from sqlalchemy.pool import StaticPool
from werkzeug.routing.rules import Rule
from zxcvbn import zxcvbn

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models.postgresql import STATE_COUNT_TABLE
from certtrack.pdf import engine
from certtrack.pdf.seal_keys import create_development_seal
from certtrack.services import passwords
from certtrack.services.audit import ensure_audit_head
from certtrack.services.reference import load_reference

from catalogs import compile_stale_catalogs

compile_stale_catalogs()  # once per test process, before any test renders a translated string


def _build_on_first_use(compile_builder):
    """Werkzeug compiles two URL builders (generated Python code) for each of the app's ~140
    rules when the rule is added: 60 % of create_app(), which every test calls. A test builds a
    handful of URLs, so here each builder is compiled by its first use instead; the code
    compiled and the URLs built are the same."""
    def lazy(self, append_unknown=True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = compile_builder(rule, append_unknown)
            return compiled(rule, *args, **kwargs)
        return build
    return lazy


Rule._compile_builder = _build_on_first_use(Rule._compile_builder)
_COMPILED_RULES: dict[tuple, tuple] = {}
_compile_rule = Rule.compile


def _compile_once_per_process(self):
    """Parsing the ~160 rules is the other half of create_app(): each test's app has the same
    rules with the same converters, so a rule's parsed parts, trace and converter objects are
    made by its first app in the process and given to the same rule of every later app. They
    depend only on the rule's string, its domain, its slash setting and the map's converter
    classes (the key), and werkzeug's converters keep no state of their map."""
    key = (self.rule, self.subdomain, self.host, self.merge_slashes, self.map.host_matching,
           tuple(self.map.converters.items()))
    if key not in _COMPILED_RULES:
        _compile_rule(self)
        _COMPILED_RULES[key] = (self._parts, self._trace, self._converters)
        return
    parts, trace, converters = _COMPILED_RULES[key]
    self._parts, self._trace, self._converters = list(parts), list(trace), dict(converters)
    self.arguments.update(converters)
    self._build = self._compile_builder(False).__get__(self, None)
    self._build_unknown = self._compile_builder(True).__get__(self, None)


Rule.compile = _compile_once_per_process


@functools.lru_cache(maxsize=4096)
def _estimate(password: str, user_inputs: tuple) -> dict:
    return zxcvbn(password, user_inputs=list(user_inputs))


def _zxcvbn_once_per_process(password, user_inputs=None):
    """zxcvbn's estimate of a password, made once per test process for each password and
    account words: the factories give hundreds of accounts the same few passwords, and each
    estimate takes 10 ms. The estimate is a pure function of both; callers only read it."""
    return _estimate(password, tuple(user_inputs or ()))


passwords.zxcvbn = _zxcvbn_once_per_process


class _SharedBytecode(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the whole test process. Every test
    creates its own app, whose Jinja environment would parse and compile each template it
    renders again: 40 % of a web test's time. The apps are all made by create_app with the same
    environment options, and a template whose source changed is compiled again (Jinja checks
    the source's checksum), so the code loaded is the code that would have been compiled."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()
_create_jinja_environment = Flask.create_jinja_environment


def _environment_sharing_bytecode(self):
    environment = _create_jinja_environment(self)
    environment.bytecode_cache = _BYTECODE
    return environment


Flask.create_jinja_environment = _environment_sharing_bytecode

POSTGRES_URL = os.environ.get("CERTTRACK_TEST_DATABASE_URL")


STAND_IN = """<html lang="en">
<p style="font-family: 'DejaVu Sans'">certtrack test document ({sheets})</p>
<p style="font-family: 'DejaVu Sans Mono'">{digest}</p>"""


def _stand_in_render(html, stylesheets, attachments, fetcher):
    """One small page naming the SHA-256 of the HTML the real render would lay out, with the
    same attachments, PDF/A variant and tags, sealed and stored like the real document."""
    options = {"pdf_variant": engine.PDF_VARIANT, "pdf_tags": True,
               "attachments": [engine._weasy_attachment(item) for item in attachments]}
    page = STAND_IN.format(sheets=", ".join(stylesheets),
                           digest=hashlib.sha256(html.encode()).hexdigest())
    document = engine.HTML(string=page).render(font_config=engine.font_config(), **options)
    families = {font.family for font in document.fonts.values()}
    return engine._write(document, options), len(document.pages), families


TESTS = os.path.dirname(os.path.abspath(__file__))
# Tests under these folders are marked real_pdf: the documents themselves, and the browser
# journeys, which download and scan what they issue.
REAL_PDF_FOLDERS = ("pdf", "e2e")
# Modules whose module-scoped fixtures (the demo data) render real documents: tests/pdf reads
# the demo's PDFs. Elsewhere the demo is seeded with stand-ins.
REAL_PDF_MODULE_FOLDERS = ("pdf",)
_REAL_RENDER = engine._render


def _folder(path) -> str:
    return os.path.relpath(path, TESTS).split(os.sep)[0]


def pytest_collection_modifyitems(items):
    for item in items:
        if _folder(item.path) in REAL_PDF_FOLDERS:
            item.add_marker(pytest.mark.real_pdf)
        if _folder(item.path) == "web":  # CI runs on PostgreSQL the `engine` ones (.ci/run)
            item.add_marker(pytest.mark.web)


@pytest.fixture(scope="module", autouse=True)
def pdf_layout_of_module(request):
    """The documents that module-scoped fixtures render: real in REAL_PDF_MODULE_FOLDERS."""
    real = _folder(request.module.__file__) in REAL_PDF_MODULE_FOLDERS
    engine._render = _REAL_RENDER if real else _stand_in_render
    yield
    engine._render = _REAL_RENDER


@pytest.fixture(autouse=True)
def pdf_layout(request, pdf_layout_of_module):
    """Laying out the documents is a third of the suite's time, and most tests only need a PDF
    to exist: they get a one-page stand-in of the same HTML (through the same write_pdf, seal
    and storage). Tests that read what a PDF shows or how it is laid out are marked real_pdf,
    as is everything under tests/pdf and tests/e2e: they render with WeasyPrint's layout."""
    if request.node.get_closest_marker("real_pdf") is None:
        yield
        return
    previous, engine._render = engine._render, _REAL_RENDER
    yield
    engine._render = previous


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
    """A new schema with the reference data, and a trigger on each reference table that notes
    any change to it (the reset after a test reloads them only then)."""
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
        load_reference()
        db.session.execute(text(
            "CREATE TABLE test_reference_changed (at timestamptz DEFAULT now());"
            "CREATE FUNCTION test_reference_changed() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO test_reference_changed DEFAULT VALUES; RETURN NULL; END $$"))
        _REFERENCE[:] = _reference_tables()
        for name in _REFERENCE:
            db.session.execute(text(
                f'CREATE TRIGGER test_reference_changed AFTER INSERT OR UPDATE OR DELETE OR '
                f'TRUNCATE ON "{name}" FOR EACH STATEMENT '
                f'EXECUTE FUNCTION test_reference_changed()'))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _reference_tables() -> list[str]:
    """The tables load_reference() fills (but the audit chain's tip, which every test moves)."""
    return [t.name for t in db.metadata.sorted_tables if t.name != "audit_head"
            and db.session.scalar(select(literal(1)).select_from(t).limit(1))]


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


_REFERENCE: list[str] = []  # the reference tables, as filled at the start of the run
_RESET: dict[str, str] = {}


def _reset_statement(tables: list[str]) -> str:
    """One statement (a round trip, not one per table) that empties `tables` with foreign-key
    triggers off and restarts their sequences: on tables this small, an order of magnitude
    faster than TRUNCATE, which creates new files for each table."""
    sequences = db.session.scalars(text(
        "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) "
        "FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_default LIKE 'nextval%' AND table_name = ANY(:names)"), {"names": tables})
    body = "".join(f'DELETE FROM "{name}"; ' for name in tables) + "".join(  # noqa: S608
        f"PERFORM setval('{sequence}', 1, false); " for sequence in sequences)
    return ("DO $$ BEGIN PERFORM set_config('session_replication_role', 'replica', true); "
            f"{body}END $$")


def _statements() -> dict[str, str]:
    if not _RESET:
        reference = set(_REFERENCE)
        # The application tally's triggers are off with the foreign keys': it is emptied too.
        _RESET["rows"] = _reset_statement([t.name for t in reversed(db.metadata.sorted_tables)
                                           if t.name not in reference] + [STATE_COUNT_TABLE])
        _RESET["reference"] = _reset_statement(
            [t.name for t in reversed(db.metadata.sorted_tables) if t.name in reference]
            + ["test_reference_changed"])
    return _RESET


def _reload_reference_if_changed() -> None:
    """Empty and load the reference tables again if anything changed them since the last time
    (a test, or a fixture that truncated every table); the audit chain's tip row is put back."""
    if db.session.scalar(text("SELECT EXISTS (SELECT 1 FROM test_reference_changed)")):
        db.session.execute(text(_statements()["reference"]))
        db.session.commit()
        load_reference()  # commits, and notes its own writes: forgotten below
        db.session.execute(text("DELETE FROM test_reference_changed"))
    ensure_audit_head()
    db.session.commit()


def _truncate_all() -> None:
    """Empty every table but the reference tables; those are emptied and loaded again only
    when a test changed them (their triggers noted it)."""
    db.session.execute(text(_statements()["rows"]))
    _reload_reference_if_changed()


def _memory_database(source: sqlite3.Connection | None = None) -> dict:
    """Engine options for a private in-memory SQLite database, copied from `source` if given."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    if source is not None:
        source.backup(connection)
    return {"creator": lambda: connection, "poolclass": StaticPool}


def _test_database() -> sqlite3.Connection:
    """The in-memory database of the running test (the creator of the shared SQLite engine)."""
    return _TEST_DATABASE[0]


_TEST_DATABASE: list[sqlite3.Connection] = []
_POSTGRES_CONNECT = {"options": "-c synchronous_commit=off"}  # tests need no durability
_ENGINES: dict = {}
_make_engine = SQLAlchemy._make_engine


def _engine_shared_by_tests(self, bind_key, options, app):
    """One engine per test process for the `app` fixture's database: on SQLite its pool made
    anew after each test (for the next test's in-memory copy), on PostgreSQL its connections
    kept for the next test. SQLAlchemy
    caches each statement's compiled SQL per engine: with an engine per test, every test
    compiled each statement it ran again, a fifth of a web test's time. Other apps (an SQLite
    file, the browser tests' server) get engines of their own."""
    if options.get("creator") is _test_database:
        key = "sqlite"
    elif options.get("connect_args") is _POSTGRES_CONNECT:
        key = str(options["url"])
    else:
        return _make_engine(self, bind_key, options, app)
    if key not in _ENGINES:
        _ENGINES[key] = _make_engine(self, bind_key, options, app)
    return _ENGINES[key]  # the app fixture disposes of SQLite's pool after each test


SQLAlchemy._make_engine = _engine_shared_by_tests


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
    every table emptied after the test (the reference tables only when the test changed them)."""
    sqlite = database_url.startswith("sqlite")
    if sqlite:
        _TEST_DATABASE[:] = [_memory_database(request.getfixturevalue("sqlite_template"))
                             ["creator"]()]
        options = {"creator": _test_database, "poolclass": StaticPool}
    else:
        options = {"connect_args": _POSTGRES_CONNECT}
    app = create_app(_test_config(database_url, str(tmp_path / "uploads"), options))
    if not sqlite:
        with app.app_context():
            _reload_reference_if_changed()  # after a module fixture that truncated everything
    yield app
    with app.app_context():
        db.session.remove()
        if sqlite:
            db.engine.dispose()  # the next test's copy of the template is another connection
        else:
            _truncate_all()  # the connections stay open for the next test: connecting each
            # time took a third of the reset


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
