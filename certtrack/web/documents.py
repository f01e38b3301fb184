"""Downloading a supporting document, for everyone who may see its application."""

from flask import Blueprint, g, send_file

from certtrack.services import documents

bp = Blueprint("documents", __name__)


@bp.get("/documents/<id:document_id>")
def download(document_id: int):
    """The stored bytes, as an attachment under the name the exporter gave the file."""
    document = documents.get_document(g.user, document_id)
    response = send_file(documents.document_file(document), mimetype=document.content_type,
                         as_attachment=True, download_name=document.original_name,
                         max_age=0, etag=document.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
