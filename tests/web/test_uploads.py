"""Uploads (docs/security.md item 15): parallel versions, names that follow the type, no
PDF/HTML polyglots, a quota per user and the ClamAV scan when configured."""

import io
import re
import socket
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from certtrack.extensions import db
from certtrack.models import Document
from certtrack.services import documents, uploads
from certtrack.services.errors import ValidationFailed

from factories import PDF_BYTES, make_exporter_with_application
from forms import CSRF_RE, PASSWORD, login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

PARALLEL = 20
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n" + PDF_BYTES[9:]


@pytest.fixture
def served(shared_app):
    """The shared app behind a real threaded HTTP server on the loopback: its base URL."""
    server = make_server("127.0.0.1", 0, shared_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _browser(base: str, email: str) -> tuple[requests.Session, str]:
    """A signed-in HTTP session and a CSRF token of it."""
    browser = requests.Session()
    token = CSRF_RE.search(browser.get(f"{base}/login").text).group(1)
    response = browser.post(f"{base}/login", data={"email": email, "password": PASSWORD,
                                                   "csrf_token": token},
                            allow_redirects=False)
    assert response.status_code == 302
    token = CSRF_RE.search(browser.get(f"{base}/account").text).group(1)
    return browser, token


def test_twenty_parallel_uploads_of_one_type_get_versions_1_to_20(shared_app, served):
    with shared_app.test_request_context():
        user, _e, _s, application = make_exporter_with_application(complete=False)
        app_id, email = application.id, user.email
    browsers = [_browser(served, email) for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)

    def upload(index: int) -> int:
        browser, token = browsers[index]
        barrier.wait()
        return browser.post(
            f"{served}/exporter/applications/{app_id}/documents",
            data={"document_type": "haccp", "csrf_token": token},
            files={"file": (f"plan-{index}.pdf", PDF_BYTES + str(index).encode())},
            allow_redirects=False).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(upload, range(PARALLEL)))

    assert [status for status in statuses if status >= 500] == []
    assert statuses.count(302) == PARALLEL, statuses
    with shared_app.app_context():
        versions = sorted(db.session.scalars(select(Document.version).where(
            Document.application_id == app_id, Document.document_type_code == "haccp")))
    assert versions == list(range(1, PARALLEL + 1))


@pytest.fixture
def draft(ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    return user, application


def _upload(client, application, content: bytes, name: str = "plan.pdf"):
    return post(client, f"/exporter/applications/{application.id}/documents", {
        "document_type": "haccp", "file": (io.BytesIO(content), name)})


def _stored_files(app) -> list[Path]:
    return [path for path in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if path.is_file()]


@pytest.mark.parametrize(("given", "content", "kept"), [
    ("scan.html", PDF_BYTES, "scan.pdf"),
    ("scan.PDF", PDF_BYTES, "scan.PDF"),
    ("report", PDF_BYTES, "report.pdf"),
    ("photo.pdf.exe", PDF_BYTES, "photo.pdf.pdf"),
])
def test_the_stored_name_takes_the_extension_of_the_detected_type(draft, client, given,
                                                                  content, kept):
    _user, application = draft
    assert _upload(client, application, content, given).status_code == 302
    document = db.session.scalar(select(Document))
    assert document.original_name == kept
    download = client.get(f"/documents/{document.id}")
    download.close()
    assert download.headers["Content-Type"] == "application/pdf"
    assert kept in download.headers["Content-Disposition"]


@pytest.mark.parametrize("marker", [b"<html>", b"<SCRIPT>", b"<!DOCTYPE html>", b"<svg onload=x>"])
def test_a_pdf_that_is_also_a_web_page_is_refused(app, draft, client, marker):
    _user, application = draft
    content = b"%PDF-1.4\n" + marker + b"\n" + PDF_BYTES[9:]
    response = _upload(client, application, content, "invoice.pdf")
    assert response.status_code == 422
    assert "also readable as a web page" in response.get_data(as_text=True)
    assert db.session.scalars(select(Document)).all() == []
    assert _stored_files(app) == []


def test_the_quota_per_user_refuses_the_upload_that_exceeds_it(app, draft, client):
    user, application = draft
    app.config["UPLOAD_QUOTA_BYTES"] = 2 * (len(PDF_BYTES) + 1)
    assert _upload(client, application, PDF_BYTES + b"1").status_code == 302
    assert _upload(client, application, PDF_BYTES + b"2").status_code == 302
    response = _upload(client, application, PDF_BYTES + b"3")
    assert response.status_code == 422
    assert "reached the storage limit" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Document)).all()) == 2
    assert uploads.used_storage(user) == 2 * (len(PDF_BYTES) + 1)


class FakeClamd:
    """A clamd stand-in on a Unix socket speaking INSTREAM: FOUND for the EICAR string."""

    def __init__(self, path: Path):
        self.path, self.received = path, []
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection, size: int) -> bytes:
        data = b""
        while len(data) < size:
            data += connection.recv(size - len(data))
        return data

    def _serve(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            with connection:
                assert self._read(connection, 10) == b"zINSTREAM\0"
                body = b""
                while (size := struct.unpack("!L", self._read(connection, 4))[0]) != 0:
                    body += self._read(connection, size)
                self.received.append(body)
                verdict = b"Eicar-Test-Signature FOUND" if EICAR in body else b"OK"
                connection.sendall(b"stream: " + verdict + b"\0")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def clamd(app, tmp_path):
    server = FakeClamd(tmp_path / "clamd.sock")
    app.config["CLAMD_SOCKET"] = str(server.path)
    yield server
    server.close()


def test_with_clamd_configured_a_clean_file_is_scanned_and_stored(draft, client, clamd):
    _user, application = draft
    assert _upload(client, application, PDF_BYTES).status_code == 302
    assert clamd.received == [PDF_BYTES]
    assert len(db.session.scalars(select(Document)).all()) == 1


def test_with_clamd_configured_an_infected_file_is_refused(app, draft, client, clamd):
    _user, application = draft
    response = _upload(client, application, PDF_BYTES + EICAR)
    assert response.status_code == 422
    assert "found malware in this file" in response.get_data(as_text=True)
    assert db.session.scalars(select(Document)).all() == []
    assert _stored_files(app) == []


def test_an_unreachable_clamd_refuses_uploads_until_it_answers(app, draft, client, tmp_path):
    _user, application = draft
    app.config["CLAMD_SOCKET"] = str(tmp_path / "nobody-listens.sock")
    response = _upload(client, application, PDF_BYTES)
    assert response.status_code == 422
    assert "virus scan is not available" in response.get_data(as_text=True)
    assert db.session.scalars(select(Document)).all() == []


def test_the_service_refuses_what_the_page_refuses(ctx):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    with pytest.raises(ValidationFailed) as refused:
        documents.upload_document(user, application, "haccp", io.BytesIO(POLYGLOT), "a.pdf")
    assert re.search("web page", refused.value.errors["file"][0])


@pytest.mark.parametrize("content", [
    PDF_BYTES[:-7],  # cut short before its end-of-file marker, as by an interrupted copy
    b"%PDF-1.4\n" + bytes(range(256)) * 400,  # bytes behind a PDF header
], ids=["cut short", "bytes behind a header"])
def test_a_pdf_that_does_not_end_as_a_pdf_is_refused(draft, client, content):
    _user, application = draft
    response = _upload(client, application, content)
    assert response.status_code == 422
    assert "This PDF is incomplete or damaged" in response.get_data(as_text=True)
    assert db.session.scalars(select(Document)).all() == []
    assert _upload(client, application, PDF_BYTES).status_code == 302
