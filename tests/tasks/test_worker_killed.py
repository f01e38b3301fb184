"""A worker process killed (SIGKILL) in the middle of a certificate's render loses nothing: on
restart the job completes and the certificate has exactly one stored PDF."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.storage import SqliteStorage
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Certificate, StoredPdf
from certtrack.services import issued_files
from certtrack.services.audit import verify_chain
from certtrack.tasks import huey

from factories import make_certificate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue_file(shared_app, tmp_path):
    """The queue on an SQLite file that this process and the worker processes share."""
    path = tmp_path / "tasks.sqlite3"
    huey.immediate = False
    huey.storage = SqliteStorage("certtrack", filename=str(path))
    yield path
    huey.storage.close()
    huey.immediate = True


def _worker(app, queue_file: Path, *args: str, **env: str) -> subprocess.Popen:
    """A `flask worker` process of the test app's database, queue, seal and uploads."""
    environ = {**os.environ, **env,
               "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests"),
                                              os.environ.get("PYTHONPATH", "")]),
               "CERTTRACK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
               "CERTTRACK_SECRET_KEY": app.config["SECRET_KEY"],
               "CERTTRACK_UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
               "CERTTRACK_PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
               "CERTTRACK_TASK_QUEUE_FILE": str(queue_file),
               "CERTTRACK_TASK_QUEUE_IMMEDIATE": "false"}
    environ.pop("REDIS_URL", None)
    environ.pop("DATABASE_URL", None)
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def _wait(condition, seconds: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the worker exited ({process.returncode}): {process.stdout.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out; the worker said: {process.communicate()[0]}")
        time.sleep(0.2)


def _pdf_id(app, certificate_id: int) -> int | None:
    with app.app_context():
        return db.session.get(Certificate, certificate_id).pdf_id


def test_a_worker_killed_during_a_render_loses_nothing(shared_app, queue_file, tmp_path):
    with shared_app.test_request_context():
        _registrar, _exporter, _registration, certificate = make_certificate()
        certificate_id, number = certificate.id, certificate.number
    assert _pdf_id(shared_app, certificate_id) is None  # queued, not rendered

    marker = tmp_path / "render-started"
    hanging = _worker(shared_app, queue_file, str(ROOT / "tests/tasks/hanging_worker.py"),
                      RENDER_STARTED_MARKER=str(marker))
    try:
        _wait(marker.exists, 120, hanging)
        assert marker.read_text() == number  # the render of this certificate is under way
    finally:
        os.killpg(hanging.pid, signal.SIGKILL)
        hanging.communicate(timeout=30)
    assert hanging.returncode == -signal.SIGKILL
    assert _pdf_id(shared_app, certificate_id) is None  # killed before anything was stored

    worker = _worker(shared_app, queue_file, "-m", "flask", "--app", "certtrack", "worker",
                     "--workers", "1", "--no-periodic")
    try:
        _wait(lambda: _pdf_id(shared_app, certificate_id) is not None, 180, worker)
    finally:
        worker.send_signal(signal.SIGINT)  # Ctrl+C: the running jobs finish, then it stops
        output = worker.communicate(timeout=60)[0]
    assert "certificates queued again on start: 1" in output

    with shared_app.app_context():
        stored = db.session.scalars(select(StoredPdf).where(StoredPdf.kind == "certificate")).all()
        assert [pdf.id for pdf in stored] == [_pdf_id(shared_app, certificate_id)]
        with issued_files.open_pdf(stored[0]) as pdf:
            assert pdf.read(5) == b"%PDF-"
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "certificate_pdf_stored")) == 1
        assert verify_chain().broken_seq is None
