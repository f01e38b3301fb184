"""Downloading a supporting document, for everyone who may see its application."""

from flask import Blueprint, g, send_file

from certtrack.services import documents
from certtrack.services.consignments import access
from certtrack.web.issued import ClosedAtEnd

bp = Blueprint("documents", __name__)


@bp.get("/documents/<id:document_id>")
def download(document_id: int):
    """The stored bytes, checked against their SHA-256 and streamed, as an attachment under the
    name the exporter gave the file."""
    return _attachment(documents.get_document(g.user, document_id))


@bp.get("/consignment-documents/<id:consignment_document_id>")
def consignment_document(consignment_document_id: int):
    """A consignment's supporting document (a contract, a laboratory report), for its exporter,
    its inspectors and the registrars, as the application's documents are."""
    return _attachment(access.get_consignment_document(g.user, consignment_document_id))


def _attachment(document):
    stored = ClosedAtEnd(documents.document_file(document))
    response = send_file(stored, mimetype=document.content_type, as_attachment=True,
                         download_name=document.original_name, max_age=0, etag=document.sha256)
    if response.status_code == 200:
        response.content_length = document.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
