"""Uploads and issued PDFs through the pages, on the folder and on S3 alike: what an exporter
uploads downloads byte for byte, an issued certificate downloads as stored, and bytes changed
behind the storage's back are refused with a clear page, never sent."""

import hashlib
import io

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Certificate, Document, StoredPdf
from certtrack.services import storage

from factories import PDF_BYTES, make_certificate, make_exporter_with_application
from forms import login, post

REFUSED = "does not match the SHA-256 recorded when it was stored"


def _tamper(kind: str, sha256: str, data: bytes) -> None:
    store, key = storage.backend(), storage.object_key(sha256)
    if kind == "folder":
        store.path(key).write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.name(key), Body=data)


def _upload(client, application, content: bytes, name: str):
    return post(client, f"/exporter/applications/{application.id}/documents",
                {"document_type": "haccp", "file": (io.BytesIO(content), name)})


def test_an_upload_downloads_with_the_same_bytes(ctx, client, storage_backend):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    content = PDF_BYTES + b"%" + b"7" * 300_000 + b"\n"
    assert _upload(client, application, content, "Свидетельство.pdf").status_code == 302
    document = db.session.scalar(select(Document))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    response = client.get(f"/documents/{document.id}")
    assert response.status_code == 200 and response.data == content
    assert response.headers["Content-Length"] == str(len(content))
    assert response.headers["ETag"] == f'"{document.sha256}"'
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_tampered_upload_is_refused_not_sent(ctx, client, storage_backend):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    _upload(client, application, PDF_BYTES, "plan.pdf")
    document = db.session.scalar(select(Document))
    forged = PDF_BYTES.replace(b"%PDF-", b"%PDF-forged ")
    _tamper(storage_backend, document.sha256, forged)
    response = client.get(f"/documents/{document.id}")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert REFUSED in page and "forged" not in page
    assert response.mimetype == "text/html"


def test_an_issued_certificate_downloads_as_stored_and_is_refused_once_changed(
        ctx, client, storage_backend):
    _registrar, exporter, _registration, certificate = make_certificate()
    pdf = db.session.get(StoredPdf, db.session.get(Certificate, certificate.id).pdf_id)
    stored = storage.read_verified(pdf.sha256)
    login(client, exporter.email)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.data == stored
    assert response.headers["Content-Length"] == str(pdf.size)
    _tamper(storage_backend, pdf.sha256, stored + b"%appended\n")
    refused = client.get(f"/certificates/{certificate.id}.pdf")
    assert refused.status_code == 500 and REFUSED in refused.get_data(as_text=True)
    assert not refused.data.startswith(b"%PDF")
