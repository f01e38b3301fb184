"""A real worker: huey's consumer in a thread, on an SQLite queue file, renders what the web
queued; and the command that starts it, which keeps no transaction open while it waits."""

import threading

import pytest
from huey import signals
from huey.storage import SqliteStorage
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Certificate, ConsignmentCertificate, StoredPdf
from certtrack.services.consignments import issue
from certtrack.services.issued_files import pdf_bytes
from certtrack.tasks import huey, worker
from certtrack.tasks.worker import make_consumer

from consignment_factories import inspect_ready, make_consignment
from factories import make_certificate


@pytest.fixture
def sqlite_queue(shared_app, tmp_path):
    """The queue on an SQLite file, as `make run` has it; back to immediate mode after."""
    huey.immediate = False
    huey.storage = SqliteStorage("certtrack-test", filename=str(tmp_path / "tasks.sqlite3"))
    yield huey
    huey.storage.close()
    huey.immediate = True


def test_a_consumer_thread_renders_the_certificates_the_web_queued(shared_app, sqlite_queue):
    with shared_app.test_request_context():
        _registrar, _exporter, _registration, certificate = make_certificate()
        certificate_id = certificate.id
        assert db.session.get(Certificate, certificate_id).pdf_id is None  # queued, not run
    assert sqlite_queue.pending_count() == 1

    done = threading.Event()

    def finished(signal, task, *args):
        if task.name == "render_certificate":
            done.set()

    sqlite_queue.signal(signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR)(finished)
    consumer = make_consumer(workers=1, periodic=False)
    consumer._set_signal_handlers = lambda: None  # the test runner keeps its own handlers
    consumer.start()
    try:
        assert done.wait(timeout=120)
    finally:
        consumer.stop(graceful=True)
        sqlite_queue.disconnect_signal(finished)

    assert sqlite_queue.pending_count() == 0
    with shared_app.app_context():
        pdf_id = db.session.get(Certificate, certificate_id).pdf_id
        assert pdf_id is not None
        assert pdf_bytes(db.session.get(StoredPdf, pdf_id)).startswith(b"%PDF-")
        assert db.session.scalar(select(func.count()).select_from(StoredPdf)) == 1


def test_a_consignment_certificate_is_queued_not_rendered_in_the_request(shared_app, sqlite_queue):
    with shared_app.test_request_context():
        _exporter, inspector, _registration, consignment = make_consignment("phyto")
        inspect_ready(inspector, consignment)
        certificate = issue.issue_consignment_certificate(inspector, consignment)
        assert db.session.get(ConsignmentCertificate, certificate.id).pdf_id is None
        assert db.session.scalar(select(func.count()).select_from(StoredPdf)) == 0
    assert sqlite_queue.pending_count() == 1


def test_the_worker_command_refuses_to_run_when_jobs_run_in_the_web_process(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code != 0 and "TASK_QUEUE_IMMEDIATE is on" in result.output


def test_the_worker_keeps_no_transaction_open_while_it_waits_for_jobs(app, runner, tmp_path,
                                                                      monkeypatch):
    seen = []

    class Consumer:
        def run(self):
            seen.append(db.session().in_transaction())

    monkeypatch.setattr(worker, "make_consumer", lambda workers, periodic: Consumer())
    huey.immediate = False
    huey.storage = SqliteStorage("certtrack-test", filename=str(tmp_path / "tasks.sqlite3"))
    try:
        with app.app_context():
            make_certificate()  # its render queued, as a worker killed mid-render leaves it
        result = runner.invoke(args=["worker"])
    finally:
        huey.storage.close()
        huey.immediate = True
    assert result.exit_code == 0, result.output
    assert "certificates queued again on start: 1" in result.output
    assert seen == [False]
