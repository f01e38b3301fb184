"""Downloads of issued documents: certificates and dossiers, exactly as stored."""

import io

from flask import Blueprint, g, render_template, send_file

from certtrack.services import certificates, dossiers

bp = Blueprint("issued", __name__)


def pdf_response(content: bytes, name: str, *, attachment: bool = True, etag: str | None = None):
    """A PDF as a download (or shown inline), with its exact type and nosniff."""
    response = send_file(io.BytesIO(content), mimetype="application/pdf",
                         as_attachment=attachment, download_name=name, max_age=0,
                         etag=etag or False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/certificates/<id:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    """The issued certificate, for the registrars and the enterprise's exporters (else 404)."""
    certificate = certificates.get_certificate(g.user, certificate_id)
    pdf = certificates.stored_pdf(certificate)
    if pdf is None:  # the queue is still rendering it
        return render_template("certificates/preparing.html", number=certificate.number), 202
    return pdf_response(pdf.content, f"{certificate.number}.pdf", etag=pdf.sha256)


@bp.get("/dossiers/<id:dossier_id>.pdf")
def dossier_pdf(dossier_id: int):
    """A stored dossier, for the registrars and the inspectors of its applications (else 404)."""
    dossier = dossiers.get_dossier(g.user, dossier_id)
    pdf = dossiers.stored_pdf(dossier)
    return pdf_response(pdf.content, dossiers.download_name(dossier), etag=pdf.sha256)
