"""After the load: the queue drains, the audit chain verifies, and nothing is half-written:
every certificate has its stored PDF with the published SHA-256, numbers have no gap, every
application's state is the end of its audited transitions, every document's file is stored."""

import hashlib
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from huey.storage import RedisStorage
from sqlalchemy import create_engine, text

from bench.soak.servers import ROOT
from certtrack.config import database_url_from_env
from certtrack.domain.workflow import TRANSITIONS, Action, State
from certtrack.tasks import QUEUE_NAME

# States that follow a GACC batch, and those that follow a submission.
WORKFLOW_ACTIONS = frozenset({*Action.__members__, "application_created"})
AFTER_BATCH = frozenset({"submitted_to_gacc", "gacc_returned", "gacc_refused", "registered"})


def engine_for(url: str):
    return create_engine(database_url_from_env({"DATABASE_URL": url}))


def pending_work(redis_url: str, engine) -> dict:
    """Jobs waiting in the queue or scheduled for a retry, certificates of either kind still
    without a PDF (a job being run is in neither queue)."""
    storage = RedisStorage(QUEUE_NAME, url=redis_url)
    with engine.connect() as connection:
        unrendered = connection.scalar(text(
            "SELECT (SELECT count(*) FROM certificate WHERE pdf_id IS NULL) + "
            "(SELECT count(*) FROM consignment_certificate WHERE pdf_id IS NULL)"))
    return {"queued": storage.queue_size(), "scheduled": storage.schedule_size(),
            "certificates_without_pdf": unrendered}


def drain(redis_url: str, engine, timeout: float) -> dict:
    """Wait until nothing is pending (or `timeout` seconds); how long it took."""
    started = time.monotonic()
    while True:
        left = pending_work(redis_url, engine)
        seconds = round(time.monotonic() - started, 1)
        if not any(left.values()):
            return {"drained": True, "seconds": seconds, "left": left}
        if seconds > timeout:
            return {"drained": False, "seconds": seconds, "left": left}
        time.sleep(1)


def verify_audit(env: dict) -> dict:
    """`flask verify-audit`: its exit status and last line."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "certtrack", "verify-audit"],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return {"passed": done.returncode == 0, "status": done.returncode,
            "output": lines[-1] if lines else ""}


CERTIFICATES = (
    # (table, its counter, the kind column: certificates of export eligibility have one kind)
    ("certificate", "certificate_counter", "''"),
    ("consignment_certificate", "consignment_certificate_counter", "kind"),
)


def certificates(connection, upload_folder: Path) -> dict:
    """Every certificate's PDF (export eligibility, phytosanitary, veterinary) stored whole, in
    the storage (the upload folder) or, for older rows, the database: its bytes hash to the
    recorded SHA-256; the numbers of each kind and year gapless from 1 to the counter."""
    problems, count = [], 0
    for table, counter, kind in CERTIFICATES:
        serials = defaultdict(set)
        for number, code, year, serial, sha256, size, content, key in connection.execute(text(
                f"SELECT c.number, {kind.replace('kind', 'c.kind')}, c.year, c.serial, "  # noqa: S608 - fixed names
                f"p.sha256, p.size, p.content, p.storage_key FROM {table} c "
                "LEFT JOIN stored_pdf p ON p.id = c.pdf_id")):
            count += 1
            serials[(code, year)].add(serial)
            if content is None and key is not None and (upload_folder / key).is_file():
                content = (upload_folder / key).read_bytes()
            if content is None:
                problems.append(f"{number}: no PDF")
            elif hashlib.sha256(content).hexdigest() != sha256 or len(content) != size:
                problems.append(f"{number}: PDF bytes differ from the recorded hash or size")
        for code, year, last in connection.execute(text(
                f"SELECT {kind}, year, last_serial FROM {counter}")):  # noqa: S608 - fixed names
            issued, numbered = serials[(code, year)], set(range(1, last + 1))
            if issued != numbered:
                problems.append(f"{table} {code} {year}: serials {sorted(numbered - issued)[:5]} "
                                f"missing, {sorted(issued - numbered)[:5]} beyond the counter")
    return {"certificates": count, "problems": problems}


def _transitions(connection) -> dict[int, list[tuple]]:
    chains: dict[int, list[tuple]] = defaultdict(list)
    for application_id, action, from_state, to_state in connection.execute(text(
            "SELECT application_id, action, from_state, to_state FROM audit_event "
            "WHERE application_id IS NOT NULL AND to_state IS NOT NULL ORDER BY seq")):
        if action in WORKFLOW_ACTIONS:  # not a registration's or a consignment's
            chains[application_id].append((action, from_state, to_state))
    return chains


def applications(connection) -> dict:
    """Every application in a state of the workflow, reached by its audited transitions in
    order (each allowed by the workflow table), with the rows its state needs."""
    chains, problems, count = _transitions(connection), [], 0
    registered = {a for (a,) in connection.execute(text(
        "SELECT application_id FROM registration"))}
    for app_id, state, submitted_at, batch_id in connection.execute(text(
            "SELECT id, state, submitted_at, gacc_batch_id FROM application")):
        count += 1
        problems += _application_problems(app_id, state, chains.get(app_id, []),
                                          submitted_at, batch_id, app_id in registered)
    return {"applications": count, "problems": problems}


def _application_problems(app_id, state, chain, submitted_at, batch_id, has_registration):
    found = []
    if state not in State.__members__:
        found.append(f"application {app_id}: unknown state {state}")
    current = None
    for action, from_state, to_state in chain:
        allowed = (from_state is None and to_state == "draft") or (
            from_state == current and (State(from_state), action) in TRANSITIONS
            and TRANSITIONS[(State(from_state), action)].target == to_state)
        if not allowed:
            found.append(f"application {app_id}: {action} {from_state}->{to_state} after "
                         f"{current}")
        current = to_state
    if current != state:
        found.append(f"application {app_id}: state {state}, audited {current}")
    if state != "draft" and state != "withdrawn" and submitted_at is None:
        found.append(f"application {app_id}: {state} without a submission time")
    if state in AFTER_BATCH and batch_id is None:
        found.append(f"application {app_id}: {state} without a GACC batch")
    if (state == "registered") != has_registration:
        found.append(f"application {app_id}: {state}, registration row: {has_registration}")
    return found


def documents(connection, upload_folder: Path) -> dict:
    """Every document row's file stored under its SHA-256, whole."""
    problems, count, hashed = [], 0, {}
    for doc_id, sha256, size in connection.execute(text(
            "SELECT id, sha256, size FROM document")):
        count += 1
        path = upload_folder / sha256[:2] / sha256
        if sha256 not in hashed:
            hashed[sha256] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                              path.stat().st_size) if path.exists() else None
        if hashed[sha256] != (sha256, size):
            problems.append(f"document {doc_id}: file missing or not whole")
    return {"documents": count, "problems": problems}


def dossiers(connection, first: dict, fed: list[int]) -> dict:
    """A dossier for every application recommended and every batch sent during the soak (the
    demo's own are made on demand), and for each demo batch whose dossier was queued just
    before the restart (`fed`)."""
    problems = [f"application {a}: recommended without a dossier" for (a,) in connection.execute(
        text("SELECT DISTINCT e.application_id FROM audit_event e WHERE e.action = 'recommend' "
             "AND e.application_id >= :first AND NOT EXISTS (SELECT 1 FROM dossier d "
             "WHERE d.application_id = e.application_id)"), {"first": first["application"]})]
    problems += [f"batch {b}: no dossier" for (b,) in connection.execute(text(
        "SELECT b.id FROM gacc_batch b WHERE (b.id >= :first OR b.id = ANY(:fed)) AND NOT "
        "EXISTS (SELECT 1 FROM dossier d WHERE d.gacc_batch_id = b.id)"),
        {"first": first["batch"], "fed": list(fed)})]
    return {"problems": problems}


def first_ids(engine) -> dict:
    """The ids the soak's own applications and batches start from."""
    with engine.connect() as connection:
        return {name: connection.scalar(text(
            f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))  # noqa: S608 - two fixed names
            for name, table in (("application", "application"), ("batch", "gacc_batch"))}


def consistency(engine, upload_folder: Path, first: dict, fed: list[int]) -> dict:
    """Every check of half-written work, and the failed jobs kept for administrators."""
    with engine.connect() as connection:
        found = {"certificates": certificates(connection, upload_folder),
                 "applications": applications(connection),
                 "documents": documents(connection, upload_folder),
                 "dossiers": dossiers(connection, first, fed)}
        found["failed_jobs"] = [f"{task}: {error[:200]}" for task, error in connection.execute(
            text("SELECT task, error FROM job_failure ORDER BY id"))]
    return found
