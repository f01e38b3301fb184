"""The registrar's actions that hand their long work to the task queue, timed in-process as the
registrar does them: Recommend, Send batch (to GACC) and Issue certificate, each a POST through
the test client with the form's CSRF token, answered by a redirect. The issue's write
transaction is timed from outside the code, through SQLAlchemy's events.

Each action changes the dataset (the applications move on, certificates are issued): the run
takes applications and registrations that nothing else measures, and a reused dataset that has
too few left is generated again (database.ensure_dataset).
"""

import statistics
import time
from datetime import date
from functools import partial

from flask import Flask
from sqlalchemy import event, exists, func, select
from sqlalchemy.orm import Session

from bench.server import CSRF_RE
from certtrack.extensions import db
from certtrack.models import Application, Certificate, Registration

# Applications ticked per POST: a registrar recommends a few at a time and sends a batch of
# several.
RECOMMEND_TICKED = 2
BATCH_TICKED = 4
WARM_UP = 2  # POSTs of each action before the timed ones (not counted)
ACTION_P95_MS = 150.0
WRITE_TRANSACTION_MS = 50.0
WRITES = ("INSERT", "UPDATE", "DELETE")


def needs(posts: int, certificates: int) -> dict[str, int]:
    """What a run of `posts` timed POSTs per action and `certificates` issued for the queue's
    throughput takes from the dataset."""
    runs = posts + WARM_UP
    return {"conclusion_positive": runs * RECOMMEND_TICKED, "recommended": runs * BATCH_TICKED,
            "awaiting_certificate": runs + certificates + WARM_UP}


def awaiting_certificate(limit: int | None = None):
    """Active registrations in force without a certificate, oldest first."""
    query = (select(Registration.id)
             .where(Registration.status == "active", Registration.valid_to >= date.today(),
                    ~exists().where(Certificate.registration_id == Registration.id))
             .order_by(Registration.id))
    return query.limit(limit) if limit else query


def _in_state(state: str, limit: int | None = None):
    query = select(Application.id).where(Application.state == state).order_by(Application.id)
    return query.limit(limit) if limit else query


def available() -> dict[str, int]:
    """What the dataset holds to act on now (in an application context)."""
    def count(query):
        return db.session.scalar(select(func.count()).select_from(query.subquery()))
    return {"conclusion_positive": count(_in_state("conclusion_positive")),
            "recommended": count(_in_state("recommended")),
            "awaiting_certificate": count(awaiting_certificate())}


def short_of(posts: int, certificates: int) -> dict[str, int]:
    """What the run needs and the dataset lacks: {what: how many more} (empty when enough)."""
    have = available()
    return {key: need - have[key] for key, need in needs(posts, certificates).items()
            if have[key] < need}


def short_of_for(posts: int, certificates: int):
    """short_of with the run's figures, picklable for the dataset's own process."""
    return partial(short_of, posts, certificates)


class WriteTransactions:
    """Times every write transaction on the application's engine while it is entered: from
    its first INSERT, UPDATE or DELETE (where SQLite takes its write lock and PostgreSQL its
    first row lock) to the end of its COMMIT. `done` holds (milliseconds, statements)."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.done: list[tuple[float, list[str]]] = []
        self._started: float | None = None
        self._statements: list[str] = []

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        if self._started is None and statement.lstrip().upper().startswith(WRITES):
            self._started = time.perf_counter()
        if self._started is not None:
            self._statements.append(statement)

    def _committed(self, session):
        if self._started is not None:
            self.done.append(((time.perf_counter() - self._started) * 1000, self._statements))
        self._reset(session)

    def _reset(self, _session=None):
        self._started, self._statements = None, []

    def __enter__(self) -> "WriteTransactions":
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(Session, "after_commit", self._committed)
        event.listen(Session, "after_rollback", self._reset)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(Session, "after_commit", self._committed)
        event.remove(Session, "after_rollback", self._reset)

    def writing(self, table: str) -> list[float]:
        """The durations (ms) of the transactions that inserted into `table`."""
        marker = f"INSERT INTO {table} "
        return [ms for ms, statements in self.done
                if any(s.lstrip().startswith(marker) for s in statements)]


def csrf_token(client, path: str) -> str:
    """The CSRF token of the forms on the page at `path` (one per session)."""
    found = CSRF_RE.search(client.get(path).get_data(as_text=True))
    if found is None:
        raise RuntimeError(f"no form on {path}")
    return found.group(1)


def _figures(timings: list[float]) -> dict:
    ms = sorted(t * 1000 for t in timings)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[-1] if len(ms) > 1 else ms[0]
    return {"posts": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ms[-1], 1)}


def _post_all(client, forms: list[tuple[str, dict]]) -> tuple[list[float], list[int]]:
    """POST each (path, data); the seconds of the timed ones (after WARM_UP) and every
    status."""
    timings, statuses = [], []
    for number, (path, data) in enumerate(forms):
        started = time.perf_counter()
        response = client.post(path, data=data)
        elapsed = time.perf_counter() - started
        statuses.append(response.status_code)
        if number >= WARM_UP:
            timings.append(elapsed)
    return timings, statuses


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[n:n + size] for n in range(0, len(ids), size)]


def _result(timings, statuses, moved: int, expected: int) -> dict:
    row = _figures(timings)
    refused = [s for s in statuses if s != 302]
    if refused or moved != expected:
        row["note"] = f"{len(refused)} POSTs not redirected {sorted(set(refused))}, " \
                      f"{moved} of {expected} done"
    return row


def measure_actions(app: Flask, client, posts: int, run_tag: str) -> dict:
    """Time `posts` POSTs of each action (after WARM_UP more) as the signed-in registrar
    `client`; the issue's write transactions too. Their jobs wait in the queue."""
    with app.app_context():
        batch_ids = list(db.session.scalars(_in_state("recommended",
                                                      (posts + WARM_UP) * BATCH_TICKED)))
        recommend_ids = list(db.session.scalars(_in_state(
            "conclusion_positive", (posts + WARM_UP) * RECOMMEND_TICKED)))
        registration_ids = list(db.session.scalars(awaiting_certificate(posts + WARM_UP)))
        db.session.remove()
    token = csrf_token(client, "/registrar/")
    today = date.today().isoformat()
    results = {}
    timings, statuses = _post_all(client, [
        ("/registrar/batches", {"csrf_token": token, "application_id": ids, "submitted_on": today,
                                "reference": f"BENCH-{run_tag}-{number}", "confirm": "y"})
        for number, ids in enumerate(_chunks(batch_ids, BATCH_TICKED))])
    results["send batch"] = _result(timings, statuses, _count_in(app, batch_ids,
                                                                 "submitted_to_gacc"),
                                    len(batch_ids))
    results["send batch"]["ticked"] = BATCH_TICKED
    timings, statuses = _post_all(client, [
        ("/registrar/recommend", {"csrf_token": token, "application_id": ids, "confirm": "y"})
        for ids in _chunks(recommend_ids, RECOMMEND_TICKED)])
    results["recommend"] = _result(timings, statuses, _count_in(app, recommend_ids,
                                                                "recommended"),
                                   len(recommend_ids))
    results["recommend"]["ticked"] = RECOMMEND_TICKED
    with WriteTransactions(app) as writes:
        timings, statuses = _post_all(client, [
            (f"/registrar/registrations/{registration_id}/certificates",
             {"csrf_token": token, "confirm": "y"}) for registration_id in registration_ids])
    results["issue certificate"] = _result(timings, statuses,
                                           _issued(app, registration_ids), len(registration_ids))
    transactions = writes.writing("certificate")[WARM_UP:]
    results["issue certificate"]["write_transaction"] = (
        _figures([ms / 1000 for ms in transactions]) if transactions else None)
    return results


def _count_in(app: Flask, ids: list[int], state: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(Application).where(
            Application.id.in_(ids), Application.state == state))
        db.session.remove()
    return found


def _issued(app: Flask, registration_ids: list[int]) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count(func.distinct(Certificate.registration_id)))
                                  .where(Certificate.registration_id.in_(registration_ids)))
        db.session.remove()
    return found


def verdicts(label: str, actions: dict) -> list[dict]:
    """The budget lines of the actions on one database."""
    lines = []
    for name in ("recommend", "send batch", "issue certificate"):
        row = actions.get(name)
        line = f"{label}: {name} answers in <= {ACTION_P95_MS:.0f} ms p95 (in-process)"
        if not row or row.get("note"):
            lines.append({"line": line, "met": False,
                          "figure": (row or {}).get("note", "not measured")})
            continue
        lines.append({"line": line, "met": row["p95_ms"] <= ACTION_P95_MS,
                      "figure": f"p95 {row['p95_ms']:.1f} ms (p50 {row['p50_ms']:.1f}, max "
                                f"{row['max_ms']:.1f}; {row['posts']} POSTs)"})
    issue = actions.get("issue certificate") or {}
    write = issue.get("write_transaction")
    line = f"{label}: the issue's write transaction <= {WRITE_TRANSACTION_MS:.0f} ms"
    if write is None or issue.get("note"):
        lines.append({"line": line, "met": False, "figure": "not measured"})
    else:
        lines.append({"line": line, "met": write["p95_ms"] <= WRITE_TRANSACTION_MS,
                      "figure": f"p95 {write['p95_ms']:.1f} ms (p50 {write['p50_ms']:.1f}, max "
                                f"{write['max_ms']:.1f}; {write['posts']} issues)"})
    return lines
