"""Downloads of issued documents: certificates and dossiers, exactly as stored."""

import io
from typing import BinaryIO

from flask import Blueprint, g, render_template, send_file

from certtrack.services import certificates, dossiers, issued_files

bp = Blueprint("issued", __name__)


class ClosedAtEnd(io.RawIOBase):
    """A file that closes itself once read to its end: a streamed download lets go of its file
    (or its temporary copy) when the last chunk is sent, even where the server does not close
    the response (a test client)."""

    def __init__(self, source: BinaryIO):
        super().__init__()
        self.source = source

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        if not chunk:
            self.close()
        return chunk

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.source.close()
        super().close()


def pdf_response(content: bytes | BinaryIO, name: str, *, attachment: bool = True,
                 etag: str | None = None, size: int | None = None):
    """A PDF (bytes, or a file streamed) as a download (or shown inline), with its exact type
    and nosniff."""
    source = io.BytesIO(content) if isinstance(content, bytes) else ClosedAtEnd(content)
    response = send_file(source, mimetype="application/pdf",
                         as_attachment=attachment, download_name=name, max_age=0,
                         etag=etag or False)
    if size is not None and response.status_code == 200:
        response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def stored_pdf_response(pdf, name: str):
    """A stored_pdf row's PDF exactly as stored, checked against its SHA-256 and streamed."""
    return pdf_response(issued_files.open_pdf(pdf), name, etag=pdf.sha256, size=pdf.size)


@bp.get("/certificates/<id:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    """The issued certificate, for the registrars and the enterprise's exporters (else 404)."""
    certificate = certificates.get_certificate(g.user, certificate_id)
    pdf = certificates.stored_pdf(certificate)
    if pdf is None:  # the queue is still rendering it
        return render_template("certificates/preparing.html", number=certificate.number), 202
    return stored_pdf_response(pdf, f"{certificate.number}.pdf")


@bp.get("/dossiers/<id:dossier_id>.pdf")
def dossier_pdf(dossier_id: int):
    """A stored dossier, for the registrars and the inspectors of its applications (else 404)."""
    dossier = dossiers.get_dossier(g.user, dossier_id)
    pdf = dossiers.stored_pdf(dossier)
    return stored_pdf_response(pdf, dossiers.download_name(dossier))
