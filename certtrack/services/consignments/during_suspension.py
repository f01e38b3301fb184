"""Consignment certificates found, once a suspension is recorded, to have been issued while it
was in effect.

A registrar records a suspension on the day the notice reaches them, with the day it took
effect, which may be earlier: GACC's notice arrives days after its decision. A certificate
issued in between certified goods of a suspended establishment (domain.md §1.3, "a shipment
from a suspended establishment must be refused"), and its public page said "Registration
status at issue: Active". It now says "Suspended", and its inspector is told, to cancel it if
the goods have not left.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from certtrack.extensions import db
from certtrack.models import ConsignmentCertificate, Registration
from certtrack.services.consignments.access import inspectors_to_tell
from certtrack.services.local_dates import LocalDate
from certtrack.services.notifications import link, notify


def issued_during(registration: Registration) -> list[ConsignmentCertificate]:
    """The registration's consignment certificates in force (neither cancelled nor replaced)
    issued on a day its suspension was in effect: from the day it took effect to its last day,
    when it has one (a suspension recorded once over: certificates issued after it stand)."""
    conditions = [ConsignmentCertificate.registration_id == registration.id,
                  ConsignmentCertificate.issued_on >= registration.suspended_from,
                  ConsignmentCertificate.cancelled_on.is_(None),
                  ~ConsignmentCertificate.replaced_by.any()]
    if registration.suspended_until is not None:
        conditions.append(ConsignmentCertificate.issued_on <= registration.suspended_until)
    return list(db.session.scalars(select(ConsignmentCertificate).where(*conditions)
                                   .options(selectinload(ConsignmentCertificate.consignment))
                                   .order_by(ConsignmentCertificate.id)))


def mark_issued_during_suspension(registration: Registration) -> None:
    """Take a registration just suspended; record on each certificate in force issued while
    the suspension was in effect that the registration was suspended at its issue, and tell
    its inspectors (no commit: the suspension's transaction)."""
    for certificate in issued_during(registration):
        certificate.registration_status_at_issue = "suspended"
        consignment = certificate.consignment
        notify(inspectors_to_tell(consignment), "suspended",
               _l("China registration %(number)s was suspended from %(date)s, recorded only "
                  "now: certificate %(certificate)s of consignment %(ref)s was issued on "
                  "%(issued)s, while it was suspended. Cancel the certificate if the goods "
                  "have not left.", number=registration.china_number,
                  date=LocalDate(registration.suspended_from), certificate=certificate.number,
                  ref=consignment.reference, issued=LocalDate(certificate.issued_on)),
               link("consignment_inspection.detail", consignment_id=consignment.id),
               dedupe_key=f"issued-during-suspension:{certificate.id}:"
                          f"{registration.suspended_from.isoformat()}")
