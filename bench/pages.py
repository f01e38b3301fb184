"""The pages measured, as their real users see them, and the in-process measurement."""

import random
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, url_for
from sqlalchemy import event, select
from werkzeug.routing import BuildError

from bench.dataset.actors import LOGINS, PASSWORD, sign_in_code
from bench.server import CSRF_RE
from certtrack.extensions import db
from certtrack.models import Certificate, Registration

QUEUE_FILTER = {"category": "edible_grains", "sort": "deadline"}
REGISTER_SEARCH = "Grain"
LONG_TIMELINE_APPLICATION = 1


@dataclass(frozen=True)
class Page:
    """A page as one kind of user opens it; `budgeted`: a list or search page of the budget."""

    name: str
    user: str | None  # the bench account's role; None for the public
    endpoint: str
    values: dict = field(default_factory=dict)
    budgeted: bool = False
    random_client: bool = False  # another client address per request (per-address throttle)


def _valid_certificate() -> dict:
    row = db.session.execute(
        select(Certificate.number, Certificate.verification_code)
        .join(Registration, Registration.id == Certificate.registration_id)
        .where(Registration.status == "active", Certificate.revoked_at.is_(None))
        .order_by(Certificate.id).limit(1)).first()
    return {"number": row.number, "code": row.verification_code} if row else {}


def page_list(app: Flask) -> list[Page]:
    """Every page of the budget, in the order of the table."""
    with app.app_context():
        certificate = _valid_certificate()
    return [
        Page("inspector queue, page 1", "inspector", "inspector.queue", QUEUE_FILTER, True),
        Page("inspector queue, page 50", "inspector", "inspector.queue",
             {**QUEUE_FILTER, "page": 50}, True),
        Page("exporter applications", "exporter", "exporter.home", {}, True),
        Page("registrar overview", "registrar", "registrar.overview", {}, True),
        Page("registrar dashboard", "registrar", "dashboard.index"),
        Page("application detail, long timeline", "inspector", "inspector.application",
             {"application_id": LONG_TIMELINE_APPLICATION}),
        Page("public register, first page", None, "register.index", {}, True),
        Page("public register search", None, "register.index", {"q": REGISTER_SEARCH}, True),
        Page("verification page", None, "verify.certificate", certificate, False, True),
    ]


def page_path(app: Flask, page: Page) -> str | None:
    """The page's path, or None when its endpoint is not built yet."""
    with app.test_request_context("/"):
        try:
            return url_for(page.endpoint, **page.values)
        except BuildError:
            return None


def logged_in_client(app: Flask, role: str | None):
    """A test client signed in as the bench account of `role` (anonymous for None)."""
    client = app.test_client()
    if role is None:
        return client
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": LOGINS[role], "password": PASSWORD,
                                           "code": sign_in_code(), "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"the bench {role} could not sign in ({response.status_code})")
    return client


@contextmanager
def counting_queries(app: Flask):
    """Collect the SQL statements sent while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _get(client, path: str, random_client: bool):
    if random_client:  # every request from another address, as many visitors would come
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        return client.get(path, environ_base={"REMOTE_ADDR": address})
    return client.get(path)


def measure_in_process(app: Flask, client, path: str, seconds: float,
                       random_client: bool = False) -> dict:
    """Warm up, count one request's queries, then time requests for about `seconds` (at least
    five)."""
    status = _get(client, path, random_client).status_code
    if status != 200:
        return {"status": status}
    with counting_queries(app) as statements:
        _get(client, path, random_client)
    timings: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(timings) < 5:
        started = time.perf_counter()
        _get(client, path, random_client)
        timings.append(time.perf_counter() - started)
    return {"status": status, "queries": len(statements), "requests": len(timings),
            "rps": round(len(timings) / sum(timings), 1),
            "p50_ms": round(statistics.median(timings) * 1000, 2),
            "p95_ms": round(statistics.quantiles(timings, n=20)[-1] * 1000, 2)}
