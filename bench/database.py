"""The bench's own databases: where they are, building them afresh, and reusing matching ones.

SQLite always (bench/data/bench.sqlite3); when DATABASE_URL names a PostgreSQL database, that
one too, so that one run measures both engines side by side.
"""

import hashlib
import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from bench.dataset import Sizes
from bench.dataset.generate import gather_statistics, generate
from certtrack import create_app
from certtrack.config import database_url_from_env
from certtrack.extensions import db
from certtrack.services import state_counts
from certtrack.services.reference import load_reference
from certtrack.services.seal import init_development_seal

DATA = Path(__file__).resolve().parent / "data"
SQLITE_FILE = DATA / "bench.sqlite3"
# Raised when the generator writes other rows for the same sizes and seed: a dataset of an
# older format is generated again rather than reused.
DATASET_FORMAT = 2


class UnsafeDatabase(RuntimeError):
    """DATABASE_URL names a database that holds tables the bench did not write."""


class UnusableDataset(RuntimeError):
    """The dataset cannot serve the run (too few applications or registrations to act on)."""


@dataclass(frozen=True)
class Engine:
    """One database the run measures: `key` in results.json, `label` in the tables."""

    key: str
    label: str
    url: str


SQLITE_URL = f"sqlite:///{SQLITE_FILE}"


def engines() -> list[Engine]:
    """SQLite, and PostgreSQL beside it when DATABASE_URL names one; another DATABASE_URL
    alone."""
    url = database_url_from_env()
    if not url:
        return [Engine("sqlite", "SQLite", SQLITE_URL)]
    if url.startswith("postgresql"):
        return [Engine("sqlite", "SQLite", SQLITE_URL), Engine("postgresql", "PostgreSQL", url)]
    name = url.split(":", 1)[0].split("+", 1)[0]
    return [Engine(name, name, url)]


def database_url() -> str:
    """The database the run measures first (SQLite unless DATABASE_URL names another)."""
    return engines()[0].url


def bench_config(url: str, secret_key: str) -> dict:
    """The settings every bench process gets (in-process app, gunicorn workers, the queue's
    worker, PDF runs): the bench's own uploads, seal and task queue (an SQLite file per
    database); never a Redis of the machine's."""
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key,
            "UPLOAD_FOLDER": str(DATA / "uploads"), "SEAL_FOLDER": str(DATA / "seal"),
            "TASK_QUEUE_FILE": str(queue_path(url)), "REDIS_URL": None}


def environment(url: str, secret_key: str) -> dict[str, str]:
    """The same settings as CERTTRACK_* variables, for gunicorn and `flask worker`."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL")}
    for key, value in bench_config(url, secret_key).items():
        if value is not None:
            env[f"CERTTRACK_{key}"] = value
    return env


def bench_app(url: str, secret_key: str | None = None) -> Flask:
    """The certtrack application on the bench database."""
    return create_app(bench_config(url, secret_key or secrets.token_urlsafe(32)))


def _masked(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _tag(url: str) -> str:
    return hashlib.sha256(_masked(url).encode()).hexdigest()[:10]


def marker_path(url: str) -> Path:
    """Where the description of the dataset in the database at `url` is kept."""
    return DATA / f"dataset-{_tag(url)}.json"


def queue_path(url: str) -> Path:
    """The task queue's SQLite file of the application on the database at `url`."""
    return DATA / f"tasks-{_tag(url)}.sqlite3"


def _marker(url: str) -> dict:
    try:
        return json.loads(marker_path(url).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _wipe(app: Flask, url: str) -> None:
    """Remove the previous bench database; refuse a PostgreSQL database the bench did not fill."""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        if tables and _marker(url).get("url") != _masked(url):
            raise UnsafeDatabase(
                f"{_masked(url)} holds {len(tables)} tables that the bench did not write; "
                "point DATABASE_URL at an empty database of its own.")
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()


def recount_tally() -> None:
    """What the daily run does to PostgreSQL's tally of applications by state
    (services/state_counts.py): the bulk load and earlier runs' actions left a row per
    statement and state."""
    state_counts.recount()
    db.session.commit()


def ensure_dataset(url: str, sizes: Sizes, seed: int, reuse: bool,
                   short_of: Callable[[], dict] | None = None) -> dict:
    """Generate the dataset, or reuse the existing one when asked and it matches; its marker.

    `short_of()`, in the dataset's application context, names what the run needs and the
    dataset no longer has (earlier runs' actions used it up): such a dataset is generated
    again rather than reused.
    """
    DATA.mkdir(parents=True, exist_ok=True)
    marker = _marker(url)
    same = marker.get("url") == _masked(url) and marker.get("sizes") == sizes.as_dict() \
        and marker.get("seed") == seed and marker.get("format") == DATASET_FORMAT
    app = bench_app(url)
    if reuse and same:
        with app.app_context():
            upgrade()  # indexes added since the dataset was generated
            missing = short_of() if short_of else {}
            if not missing:
                recount_tally()
                gather_statistics(db.engine)  # statistics for new indexes too
                init_development_seal()
            db.engine.dispose()
        if not missing:
            return {**marker, "reused": True}
        print(f"The dataset is short of {missing} (used by earlier runs): generating it again.",
              file=sys.stderr)
    marker_path(url).unlink(missing_ok=True)
    _wipe(app, url)
    app = bench_app(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        load_reference()
        counts = generate(db.engine, sizes, seed)
        recount_tally()
        init_development_seal()  # the seal the queue's worker seals the issued PDFs with
        missing = short_of() if short_of else {}
        db.engine.dispose()
    if missing:
        raise UnusableDataset(f"a dataset of {sizes.as_dict()} is too small for this run: "
                              f"short of {missing}")
    marker = {"url": _masked(url), "sizes": sizes.as_dict(), "seed": seed,
              "format": DATASET_FORMAT, "counts": counts,
              "seconds": round(time.perf_counter() - started, 1)}
    marker_path(url).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    return {**marker, "reused": False}
