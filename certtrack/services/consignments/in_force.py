"""A consignment's certificate in force, and its cancellation (consignments.correction)."""

from sqlalchemy import select

from certtrack.domain.consignment import CancellationGround
from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentCertificate
from certtrack.services.applications import local_today


def current_certificate(consignment: Consignment) -> ConsignmentCertificate | None:
    """The consignment's certificate that no other replaces (the newest), if any."""
    return db.session.scalars(select(ConsignmentCertificate).where(
        ConsignmentCertificate.consignment_id == consignment.id)
        .order_by(ConsignmentCertificate.id.desc()).limit(1)).first()


def certificate_in_force(consignment: Consignment) -> ConsignmentCertificate | None:
    """The consignment's certificate that is neither replaced nor cancelled, if any."""
    current = current_certificate(consignment)
    return current if current is not None and current.cancelled_on is None else None


def cancel_certificate_in_force(consignment: Consignment, reason: str,
                                ground: CancellationGround) -> str:
    """Mark the consignment's certificate in force cancelled today on `ground`, with the
    `reason` its exporter reads, in the caller's transaction; its number ("" when it has
    none)."""
    certificate = certificate_in_force(consignment)
    if certificate is None:
        return ""
    certificate.cancelled_on = local_today()
    certificate.cancellation_reason = reason
    certificate.cancellation_ground = ground.value
    return certificate.number
