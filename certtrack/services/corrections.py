"""Correction requests sent back to the exporter, resolved when the exporter resubmits."""

from sqlalchemy import select, update

from certtrack.domain.vocabulary import CorrectionSource
from certtrack.extensions import db
from certtrack.models import Application, CorrectionRequest
from certtrack.models.base import utcnow

INSPECTION_SOURCE = CorrectionSource.inspection.value


def correction_requests(application: Application) -> list[CorrectionRequest]:
    """Take an application; return the inspection's correction requests, newest first.

    GACC's requests (source 'gacc') belong to the registration panel. Changes nothing.
    """
    query = (select(CorrectionRequest)
             .where(CorrectionRequest.application_id == application.id,
                    CorrectionRequest.source == INSPECTION_SOURCE)
             .order_by(CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc()))
    return list(db.session.scalars(query))


def open_correction_request(application: Application) -> CorrectionRequest | None:
    """Take an application; return the inspection's unresolved correction request, if any."""
    query = (select(CorrectionRequest)
             .where(CorrectionRequest.application_id == application.id,
                    CorrectionRequest.source == INSPECTION_SOURCE,
                    CorrectionRequest.resolved_at.is_(None))
             .order_by(CorrectionRequest.id.desc()).limit(1))
    return db.session.scalar(query)


def resolve_open_requests(application: Application, response: str = "") -> int:
    """Mark the inspection's open correction requests resolved, with the exporter's answer to
    them (`response`), in the caller's transaction.

    Called when the exporter resubmits a returned application; returns how many were resolved.
    Raises nothing; the caller commits.
    """
    result = db.session.execute(
        update(CorrectionRequest)
        .where(CorrectionRequest.application_id == application.id,
               CorrectionRequest.source == INSPECTION_SOURCE,
               CorrectionRequest.resolved_at.is_(None))
        .values(resolved_at=utcnow(), response=response)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
