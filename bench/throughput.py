"""The queue's throughput: certificates issued back to back by the registrar are all rendered,
sealed and stored by the task queue's worker (`flask worker`, as `make run` starts it), against
rendering and sealing the same certificates one after another in one process.

1. The bench's queue is emptied and `flask worker --no-periodic` started on the bench database
   (its own SQLite queue file); on start it queues every certificate still without a PDF (those
   of the timed issues), and the bench waits until none is left.
2. Two certificates are issued and stored first (the worker's fonts and seal are loaded, as in
   a worker that has been running).
3. The clock starts, `count` certificates are issued back to back through the test client as
   the registrar, and the clock stops when the database holds the PDF of every one of them
   (polled every POLL seconds).
4. A process of its own renders and seals the same certificates from their stored data one
   after another (after one warm-up render), without storing them.
"""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from bench.actions import WARM_UP, awaiting_certificate, csrf_token
from bench.server import ROOT, stop
from certtrack import tasks
from certtrack.extensions import db
from certtrack.models import Certificate

POLL = 0.05
WORKER_RATIO = 2.0
DRAIN_TIMEOUT = 900.0


class QueueStuck(RuntimeError):
    """The worker did not store the PDFs in time."""


def _pending(app: Flask, ids: list[int] | None = None) -> int:
    """Certificates without a stored PDF (of `ids`, or all)."""
    with app.app_context():
        query = select(func.count()).select_from(Certificate).where(Certificate.pdf_id.is_(None))
        if ids is not None:
            query = query.where(Certificate.id.in_(ids))
        found = db.session.scalar(query)
        db.session.remove()
    return found


def _wait_stored(app: Flask, worker: subprocess.Popen, ids: list[int] | None,
                 timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while _pending(app, ids):
        if worker.poll() is not None:
            raise QueueStuck(f"the worker exited with status {worker.returncode}")
        if time.perf_counter() > deadline:
            raise QueueStuck(f"PDFs still missing after {timeout:.0f} s")
        time.sleep(POLL)


def _issue(app: Flask, client, count: int) -> list[int]:
    """Issue certificates for the next `count` registrations awaiting one, back to back;
    return the new certificates' ids."""
    with app.app_context():
        registration_ids = list(db.session.scalars(awaiting_certificate(count)))
        db.session.remove()
    if len(registration_ids) < count:
        raise RuntimeError(f"only {len(registration_ids)} registrations await a certificate")
    token = csrf_token(client, "/registrar/")
    for registration_id in registration_ids:
        response = client.post(f"/registrar/registrations/{registration_id}/certificates",
                               data={"csrf_token": token, "confirm": "y"})
        if response.status_code != 302:
            raise RuntimeError(f"issuing for registration {registration_id} answered "
                               f"{response.status_code}")
    with app.app_context():
        ids = list(db.session.scalars(select(Certificate.id).where(
            Certificate.registration_id.in_(registration_ids))))
        db.session.remove()
    if len(ids) != count:
        raise RuntimeError(f"{len(ids)} certificates issued of {count}")
    return ids


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "flask", "--app", "certtrack", "worker", "--no-periodic"]
    with open(log, "ab") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)


def _stop_worker(worker: subprocess.Popen) -> None:
    """Ctrl+C: running jobs finish, then the worker exits."""
    if worker.poll() is None:
        stop(worker, signal.SIGINT, timeout=60)


def serial_seconds(env: dict, ids: list[int]) -> dict:
    """Render and seal the certificates `ids` one after another in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "bench.throughput", *map(str, ids)], env=env,
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_queue(app: Flask, client, env: dict, count: int, log: Path) -> dict:
    """The worker's time for `count` certificates issued back to back, and the serial time."""
    tasks.init_app(app)  # the queue is one per process: point it at this database's file
    tasks.huey.storage.flush_all()  # the timed actions' jobs (dossiers, certificates)
    worker = _start_worker(env, log)
    try:
        _wait_stored(app, worker, None, DRAIN_TIMEOUT)  # the timed issues' certificates
        _wait_stored(app, worker, _issue(app, client, WARM_UP), DRAIN_TIMEOUT)
        started = time.perf_counter()
        ids = _issue(app, client, count)
        issued = time.perf_counter() - started
        _wait_stored(app, worker, ids, DRAIN_TIMEOUT)
        stored = time.perf_counter() - started
    finally:
        _stop_worker(worker)
    serial = serial_seconds(env, ids)
    return {"certificates": count, "threads": 2, "issue_seconds": round(issued, 2),
            "worker_seconds": round(stored, 2), "serial_seconds": serial["seconds"],
            "serial_per_certificate": round(serial["seconds"] / count, 3),
            "ratio": round(stored / serial["seconds"], 2)}


def verdict(label: str, queue: dict | None, note: str | None = None) -> dict:
    """The budget line of the queue's throughput on one database."""
    line = (f"{label}: {queue['certificates'] if queue else 100} certificates issued back to "
            f"back stored by the worker within {WORKER_RATIO:.0f}x rendering them serially")
    if not queue:
        return {"line": line, "met": False, "figure": note or "not measured"}
    return {"line": line, "met": queue["ratio"] <= WORKER_RATIO,
            "figure": f"{queue['ratio']:.2f}x (worker {queue['worker_seconds']:.1f} s from the "
                      f"first issue, issuing took {queue['issue_seconds']:.1f} s; serial "
                      f"{queue['serial_seconds']:.1f} s, {queue['serial_per_certificate']:.3f} "
                      "s each)"}


def _serial_main(ids: list[int]) -> None:
    """In a process of its own: render and seal the certificates from their stored data."""
    from certtrack import create_app
    from certtrack.pdf import render_certificate
    from certtrack.services.certificate_pdf import context_from_data
    from certtrack.services.seal import issue_sealed

    app = create_app()  # the settings come from the CERTTRACK_* environment, as the worker's
    with app.app_context():
        contexts = [context_from_data(data) for data in db.session.scalars(
            select(Certificate.data).where(Certificate.id.in_(ids)).order_by(Certificate.id))]
        db.session.remove()
        issue_sealed(render_certificate, contexts[0])  # warm-up: fonts, stylesheets, seal
        started = time.perf_counter()
        for context in contexts:
            issue_sealed(render_certificate, context)
        seconds = time.perf_counter() - started
    json.dump({"seconds": round(seconds, 2), "renders": len(contexts)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    _serial_main([int(x) for x in sys.argv[1:]])
