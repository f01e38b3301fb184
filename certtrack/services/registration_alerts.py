"""What an exporter's home page says of its China registrations: the renewals due, those
suspended, with their period, and those that ended lately. A suspension or a revocation showed
only on the registrations page, while the home page, where a consignment starts, said nothing."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from certtrack.domain.workflow import (
    LIVE_REGISTRATION_STATUSES,
    TERMINAL_REGISTRATION_STATUSES,
    RegistrationStatus,
)
from certtrack.extensions import db
from certtrack.models import Application, Registration
from certtrack.models.base import utcnow
from certtrack.services.applications import local_today
from certtrack.services.registrations import (
    LIVE_STATUSES,
    open_renewal_applications,
    registration_scope,
    renewals_due,
)

# How long after its end a registration is still named on the home page.
ENDED_SHOWN_DAYS = 90


def renewals_to_apply_for(actor) -> list[tuple[Registration, date, Application | None]]:
    """Take a user; return the registrations in force it may see that renewals_due() names
    today, each with the window's last day and its renewal's draft, if one was started and not
    submitted (a draft stopped every reminder: nothing said it was never sent), the soonest
    first. Two queries, whatever their number. Changes nothing."""
    live = db.session.scalars(registration_scope(actor, select(Registration)).options(
        joinedload(Registration.establishment), joinedload(Registration.gacc_category))
        .where(Registration.status.in_(LIVE_STATUSES))).all()
    applying = open_renewal_applications([r.id for r in live])
    due = [(registration, decision.window[1], applying.get(registration.id))
           for registration, decision in renewals_due(live, local_today(), applying)]
    return sorted(due, key=lambda item: (item[1], item[0].id))


def suspended_registrations(actor) -> list[Registration]:
    """Take a user; return the suspended registrations it may see, the earliest suspended
    first (with until when, on the page). One query."""
    return list(db.session.scalars(registration_scope(actor, select(Registration)).options(
        joinedload(Registration.establishment))
        .where(Registration.status == RegistrationStatus.suspended.value)
        .order_by(Registration.suspended_from, Registration.id)))


def ended_registrations(actor) -> list[Registration]:
    """Take a user; return the registrations it may see that ended (revoked, cancelled,
    expired, invalidated) within ENDED_SHOWN_DAYS and have no registration in force for the
    same establishment and category since, the latest ended first. One query."""
    later = aliased(Registration)
    replaced = select(later.id).where(
        later.establishment_id == Registration.establishment_id,
        later.gacc_category_code == Registration.gacc_category_code,
        later.status.in_(LIVE_REGISTRATION_STATUSES)).exists()
    return list(db.session.scalars(registration_scope(actor, select(Registration)).options(
        joinedload(Registration.establishment))
        .where(Registration.status.in_([s.value for s in TERMINAL_REGISTRATION_STATUSES]),
               Registration.status_changed_at >= utcnow() - timedelta(days=ENDED_SHOWN_DAYS),
               ~replaced)
        .order_by(Registration.status_changed_at.desc(), Registration.id)))
