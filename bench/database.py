"""The bench's own database: where it is, building it afresh, and reusing a matching one."""

import hashlib
import json
import os
import secrets
import time
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
from certtrack.services.reference import load_reference

DATA = Path(__file__).resolve().parent / "data"
SQLITE_FILE = DATA / "bench.sqlite3"


class UnsafeDatabase(RuntimeError):
    """DATABASE_URL names a database that holds tables the bench did not write."""


def database_url() -> str:
    """PostgreSQL when DATABASE_URL is set, else bench/data/bench.sqlite3."""
    return database_url_from_env() or f"sqlite:///{SQLITE_FILE}"


def bench_config(url: str, secret_key: str) -> dict:
    """The settings every bench process gets (in-process app, gunicorn workers, PDF runs)."""
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key,
            "UPLOAD_FOLDER": str(DATA / "uploads")}


def environment(url: str, secret_key: str) -> dict[str, str]:
    """The same settings as CERTTRACK_* variables, for gunicorn."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    for key, value in bench_config(url, secret_key).items():
        env[f"CERTTRACK_{key}"] = value
    return env


def bench_app(url: str, secret_key: str | None = None) -> Flask:
    """The certtrack application on the bench database."""
    return create_app(bench_config(url, secret_key or secrets.token_urlsafe(32)))


def _masked(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def marker_path(url: str) -> Path:
    """Where the description of the dataset in the database at `url` is kept."""
    return DATA / f"dataset-{hashlib.sha256(_masked(url).encode()).hexdigest()[:10]}.json"


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


def ensure_dataset(url: str, sizes: Sizes, seed: int, reuse: bool) -> dict:
    """Generate the dataset, or reuse the existing one when asked and it matches; its marker."""
    DATA.mkdir(parents=True, exist_ok=True)
    marker = _marker(url)
    same = marker.get("url") == _masked(url) and marker.get("sizes") == sizes.as_dict() \
        and marker.get("seed") == seed
    app = bench_app(url)
    if reuse and same:
        with app.app_context():
            upgrade()  # indexes added since the dataset was generated
            gather_statistics(db.engine)  # statistics for them too
            db.engine.dispose()
        return {**marker, "reused": True}
    marker_path(url).unlink(missing_ok=True)
    _wipe(app, url)
    app = bench_app(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        load_reference()
        counts = generate(db.engine, sizes, seed)
        db.engine.dispose()
    marker = {"url": _masked(url), "sizes": sizes.as_dict(), "seed": seed, "counts": counts,
              "seconds": round(time.perf_counter() - started, 1)}
    marker_path(url).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    return {**marker, "reused": False}
