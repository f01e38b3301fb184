"""The PDF of an issued certificate, prepared by a background job after the issuing commit.

The issue writes the certificate's row and number in one short transaction (docs/security.md
items 19, 20); this job renders the PDF from the data stored with the row, outside any
transaction, seals it (services/seal.py: sealed once, at issue), writes the sealed bytes to
the storage (services/issued_files.py), then attaches them with one guarded UPDATE
(`pdf_id IS NULL`). A job run twice, or a job that died mid-render and was run again,
therefore leaves exactly one stored PDF per certificate, and never renders a certificate that
already has one.
"""

from datetime import date, timedelta

from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import Certificate
from certtrack.models.base import utcnow
from certtrack.pdf import render_certificate
from certtrack.services.audit import record_event
from certtrack.services.issued_files import discard_pdf, keep_pdf
from certtrack.services.permissions import SYSTEM
from certtrack.services.seal import issue_sealed
from certtrack.services.transaction import transaction

DATE_KEYS = ("issued_on", "valid_from", "valid_to", "listed_on")


class _AlreadyAttached(Exception):
    """Another run attached a PDF first; this run's bytes are rolled back."""


def context_from_data(data: dict) -> dict:
    """Take the certificate data stored with the row (JSON); return the context it was issued
    with, dates as dates, so that the PDF embeds exactly the same certificate.json."""
    context = dict(data)
    for key in DATE_KEYS:
        if key in context:  # listed_on: from schema version 2
            context[key] = date.fromisoformat(context[key])
    return context


def render_pending_certificate(certificate_id: int) -> bool:
    """Take a certificate id; render, seal, store and attach its PDF unless it has one already.

    Returns True when this call attached the PDF (the sealed bytes and their SHA-256).
    Writes the StoredPdf, the certificate's pdf_id and a system audit row in one short
    transaction.
    Raises what rendering and sealing raise (PdfRenderError, SealUnavailable...): the job is
    then retried.
    """
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.pdf_id is not None:
        db.session.rollback()
        return False
    context = context_from_data(certificate.data)
    application_id = certificate.registration.application_id
    db.session.rollback()  # end the read transaction: nothing is held while rendering
    rendered = issue_sealed(render_certificate, context)
    pdf = keep_pdf("certificate", rendered)  # written before the row; no lock held meanwhile
    try:
        with transaction():
            _attach(certificate_id, application_id, context["number"], pdf, rendered)
    except _AlreadyAttached:
        discard_pdf(pdf)  # rendered twice at once: the other job's PDF stands
        return False
    return True


def _attach(certificate_id: int, application_id: int, number: str, pdf, rendered) -> None:
    db.session.add(pdf)
    db.session.flush()
    attached = db.session.execute(
        update(Certificate).where(Certificate.id == certificate_id, Certificate.pdf_id.is_(None))
        .values(pdf_id=pdf.id).execution_options(synchronize_session=False))
    if attached.rowcount != 1:
        raise _AlreadyAttached
    record_event(SYSTEM, "certificate_pdf_stored", object_type="certificate",
                 object_id=certificate_id, application_id=application_id,
                 data={"number": number, "sha256": rendered.sha256, "pages": rendered.pages})


def pending_certificate_ids(older_than: timedelta = timedelta(0)) -> list[int]:
    """The certificates issued at least `older_than` ago whose PDF is not stored yet."""
    return list(db.session.scalars(select(Certificate.id).where(
        Certificate.pdf_id.is_(None), Certificate.issued_at <= utcnow() - older_than)
        .order_by(Certificate.id)))
