"""The PDF of a phytosanitary or veterinary certificate, prepared by a background job after the
issuing commit, as for certificates of export eligibility (services/certificate_pdf.py).

The issue writes the certificate's row, number and frozen context in one short transaction;
this job renders the PDF from that context outside any transaction, seals it, then stores the
sealed bytes and attaches them with one guarded UPDATE (`pdf_id IS NULL`). A job run twice, or
run again after a worker died mid-render, leaves exactly one stored PDF per certificate.
"""

import datetime as dt
from datetime import timedelta

from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import ConsignmentCertificate
from certtrack.models.base import utcnow
from certtrack.pdf import render_consignment_certificate
from certtrack.services.audit import record_event
from certtrack.services.issued_files import discard_pdf, keep_pdf
from certtrack.services.permissions import SYSTEM
from certtrack.services.seal import issue_sealed
from certtrack.services.transaction import transaction

_DATE = "$date"


class _AlreadyAttached(Exception):
    """Another run attached a PDF first; this run's bytes are rolled back."""


def freeze(value):
    """Take a certificate context (str, numbers, dates, dicts, lists); return it as JSON can
    keep it, each date as {"$date": "YYYY-MM-DD"} so that thaw() gives the very same context."""
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, dict):
        return {key: freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [freeze(item) for item in value]
    return value


def thaw(value):
    """The inverse of freeze()."""
    if isinstance(value, dict):
        if set(value) == {_DATE}:
            return dt.date.fromisoformat(value[_DATE])
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value


def render_pending_consignment_certificate(certificate_id: int) -> bool:
    """Take a consignment certificate's id; render, seal, store and attach its PDF unless it
    has one already. Returns True when this call attached it.

    Writes the StoredPdf, the certificate's pdf_id and a system audit row in one short
    transaction. Raises what rendering and sealing raise: the job is then retried.
    """
    certificate = db.session.get(ConsignmentCertificate, certificate_id)
    if certificate is None or certificate.pdf_id is not None:
        db.session.rollback()
        return False
    context, consignment_id = thaw(certificate.context), certificate.consignment_id
    kind = "phytosanitary" if certificate.kind == "phyto" else "veterinary"
    db.session.rollback()  # end the read transaction: nothing is held while rendering
    rendered = issue_sealed(render_consignment_certificate, context)
    pdf = keep_pdf(kind, rendered)  # written before the row; no lock held meanwhile
    try:
        with transaction():
            db.session.add(pdf)
            db.session.flush()
            attached = db.session.execute(
                update(ConsignmentCertificate)
                .where(ConsignmentCertificate.id == certificate_id,
                       ConsignmentCertificate.pdf_id.is_(None))
                .values(pdf_id=pdf.id).execution_options(synchronize_session=False))
            if attached.rowcount != 1:
                raise _AlreadyAttached
            record_event(SYSTEM, "consignment_certificate_pdf_stored",
                         object_type="consignment", object_id=consignment_id,
                         data={"number": context["number"], "sha256": rendered.sha256,
                               "pages": rendered.pages})
    except _AlreadyAttached:
        discard_pdf(pdf)  # rendered twice at once: the other job's PDF stands
        return False
    return True


def pending_consignment_certificate_ids(older_than: timedelta = timedelta(0)) -> list[int]:
    """The consignment certificates issued at least `older_than` ago whose PDF is not stored."""
    return list(db.session.scalars(select(ConsignmentCertificate.id).where(
        ConsignmentCertificate.pdf_id.is_(None),
        ConsignmentCertificate.issued_at <= utcnow() - older_than)
        .order_by(ConsignmentCertificate.id)))
