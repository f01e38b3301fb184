"""The restart of PostgreSQL half-way, timed so that the task queue's worker is in the middle of
a job: the dossiers of the demo's GACC batches (which the demo leaves to be made on demand) are
queued just before, and the restart comes once the worker has taken one. The job then loses its
connection and must be retried."""

import time
from pathlib import Path

from huey.storage import RedisStorage
from sqlalchemy import text

from bench.soak.registrar import REGISTRAR
from certtrack.tasks import QUEUE_NAME, huey

FAILED_ATTEMPT = "Unhandled exception in task"


def queue_dossiers(redis_url: str, engine, first_batch: int, count: int = 4) -> list[int]:
    """Queue the first dossier of up to `count` of the demo's batches, the largest first;
    their ids."""
    from certtrack.tasks.jobs import generate_dossier

    with engine.connect() as connection:
        registrar = connection.scalar(text('SELECT id FROM "user" WHERE email = :email'),
                                      {"email": REGISTRAR})
        batches = list(connection.scalars(text(
            "SELECT b.id FROM gacc_batch b WHERE b.id < :first AND NOT EXISTS "
            "(SELECT 1 FROM dossier d WHERE d.gacc_batch_id = b.id) ORDER BY (SELECT count(*) "
            "FROM application a WHERE a.gacc_batch_id = b.id) DESC, b.id LIMIT :n"),
            {"first": first_batch, "n": count}))
    huey.storage = RedisStorage(QUEUE_NAME, url=redis_url)
    for batch in batches:
        generate_dossier(registrar, None, batch, 1)
    return batches


def wait_for_dossiers(engine, batches: list[int], timeout: float = 300) -> bool:
    """Until the worker has stored the dossier of each batch (or `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            done = connection.scalar(text(
                "SELECT count(DISTINCT gacc_batch_id) FROM dossier "
                "WHERE gacc_batch_id = ANY(:ids)"), {"ids": batches})
        if done == len(batches):
            return True
        time.sleep(2)
    return False


def wait_until_taken(redis_url: str, timeout: float = 30) -> tuple[bool, float]:
    """Until the worker has taken a job off the queue (it is running it), or `timeout`
    seconds (its two threads busy with other jobs); whether it took one, seconds waited."""
    storage = RedisStorage(QUEUE_NAME, url=redis_url)
    started, before = time.monotonic(), storage.queue_size()
    while time.monotonic() - started < timeout:
        if storage.queue_size() < before:
            time.sleep(0.5)  # well into the render
            return True, round(time.monotonic() - started, 1)
        time.sleep(0.1)
    return False, round(time.monotonic() - started, 1)


def failed_attempts(worker_log: Path) -> int:
    """Job attempts that raised, from the worker's log (each is retried, up to five times)."""
    try:
        return worker_log.read_text(encoding="utf-8", errors="replace").count(FAILED_ATTEMPT)
    except OSError:
        return 0


def server_errors(log: Path) -> list[str]:
    """The lines of gunicorn's log that report an error escaping a request: Flask's "Exception
    on /path [GET]" (a 500 page) and gunicorn's "Error handling request" (a 500 of its own)."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line[:300] for line in lines
            if "Exception on " in line or "Error handling request" in line]
