"""Renewal of a registration: recorded on a renewal application, or automatic under GACC Order
280 (applied by the daily job)."""

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from certtrack.domain.calendar import REGIME_280, regime_for, registration_valid_to
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import AuditEvent, Registration, User
from certtrack.models.base import utcnow
from certtrack.services.audit import record_event
from certtrack.services.certificates import current_certificate
from certtrack.services.errors import Conflict
from certtrack.services.local_dates import LocalDate, format_day
from certtrack.services.notifications import enterprise_users, link, notify
from certtrack.services.permissions import SYSTEM
from certtrack.services.print_context import local_time
from certtrack.services.registrations import LIVE_STATUSES
from certtrack.services.transaction import stale_message, transaction

ONE_DAY = timedelta(days=1)


def next_start(registration: Registration) -> date:
    """Take a registration; return the first day of its next period: the day after it ends."""
    return registration.valid_to + ONE_DAY


def next_start_message(registration: Registration) -> str:
    """Why a renewal cannot start on another day than next_start() (the registrar's form)."""
    return _("A renewal continues the registration without a gap: its new period starts on "
             "%(date)s, the day after the current one ends. Leave this field empty.",
             date=format_day(next_start(registration)))


def extension(registration: Registration, renewed_on: date, route: str) -> dict:
    """Take a registration GACC renewed on `renewed_on` (the listing date of the renewal) and
    the route; return the values recording the renewal changes.

    A renewal keeps the China number, the listing date and `valid_from`, so the registration
    stays continuously valid and its certificates keep printing the truth; `valid_to` moves to
    the end of the next period (next_start() + 5 years), the regime to the one in force on
    `renewed_on`.
    """
    return {"china_number": registration.china_number,
            "valid_to": registration_valid_to(next_start(registration)), "route": route,
            "regime": regime_for(renewed_on), "renewed_on": renewed_on}


def lapsed_awaiting(registration: Registration, application) -> bool:
    """Whether the registration expired while its renewal `application`, first submitted on
    or before its last valid day, awaited GACC's decision (domain.renewal: it expires then,
    and GACC's renewal, once recorded, puts it back in force). Such a renewal was refused for
    good: "no longer in force; it cannot be extended". The first submission counts, as for
    the daily run: one returned by the inspector and sent again after the last valid day was
    applied for in time."""
    if registration.status != "expired" or application.submitted_at is None:
        return False
    first = db.session.scalar(select(func.min(AuditEvent.at)).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == application.id,
        AuditEvent.action == "submit"))
    submitted = local_time(first or application.submitted_at)
    return submitted.date() <= registration.valid_to


def extend(actor, registration: Registration, application, values: dict) -> dict:
    """Apply extension()'s `values` to the registration and write the audit row of the renewal
    with the old and new `valid_to` (no commit); a registration that lapsed awaiting it
    (lapsed_awaiting) is in force again. Return what the transition's audit row records.
    """
    previous_to = registration.valid_to
    renewed_on = values.pop("renewed_on")
    if lapsed_awaiting(registration, application):
        values["status"], values["status_changed_at"] = "active", utcnow()
    for name, value in values.items():
        setattr(registration, name, value)
    record = {**values, "renewed_on": renewed_on, "previous_valid_to": previous_to}
    record_event(actor, "registration_renewed", object_type="registration",
                 object_id=registration.id, application_id=registration.application_id,
                 data={**{key: str(value) for key, value in record.items()},
                       "renewal_application_id": application.id})
    offer_replacement(registration, "renewed", _l(
        "China registration %(number)s was renewed until %(end)s (application %(ref)s); its "
        "certificate of export eligibility still shows the old validity: issue a replacement.",
        number=registration.china_number, end=LocalDate(registration.valid_to),
        ref=application.reference), f"renewed:{registration.id}:{registration.valid_to}")
    return record


def _registrars() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.registrar,
                                                      User.is_active.is_(True))))


def _extend(registration: Registration, valid_from: date, valid_to: date) -> None:
    """Move the validity forward with a guarded UPDATE: only while the registration is still in
    force with the validity the job saw. :raise Conflict: someone changed it first."""
    result = db.session.execute(
        update(Registration).where(Registration.id == registration.id,
                                   Registration.status.in_(LIVE_STATUSES),
                                   Registration.valid_to == registration.valid_to)
        .values(valid_from=valid_from, valid_to=valid_to, regime=REGIME_280,
                version=Registration.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(stale_message())


def _tell(registration: Registration, valid_from: date, valid_to: date) -> None:
    """Notify the exporter's users, and offer the registrars a new certificate (no commit)."""
    number, key = registration.china_number, f"renewed:{registration.id}:{valid_to.isoformat()}"
    notify(enterprise_users(registration.enterprise_id), "renewed", _l(
        "China registration %(number)s was renewed automatically under GACC Order 280: valid "
        "from %(start)s to %(end)s.", number=number, start=LocalDate(valid_from),
        end=LocalDate(valid_to)), link("exporter.registrations"), dedupe_key=key)
    offer_replacement(registration, "renewed", _l(
        "China registration %(number)s was renewed automatically until %(end)s; its certificate "
        "of export eligibility still shows the old validity: issue a replacement.",
        number=number, end=LocalDate(valid_to)), key)


def offer_replacement(registration: Registration, kind: str, message, key: str) -> None:
    """Tell the registrars that the registration's certificate of export eligibility, if it
    has one, no longer prints what the registration is (no commit)."""
    if current_certificate(registration.id) is not None:
        notify(_registrars(), kind, message,
               link("registrar.registration", registration_id=registration.id), dedupe_key=key)


def renew_automatically(registration: Registration, today: date) -> bool:
    """Take a registration whose last valid day has passed and that Order 280 renews (domain.
    renewal: category not on GACC's list); extend it by 5 years from the day after its last
    valid day, in one transaction with a system audit row, the exporter's notification and the
    registrars' offer of a new certificate. Returns False when someone changed it first.
    """
    previous_from, previous_to = registration.valid_from, registration.valid_to
    valid_from = previous_to + ONE_DAY
    valid_to = registration_valid_to(valid_from)
    try:
        with transaction():
            _extend(registration, valid_from, valid_to)
            record_event(SYSTEM, "registration_renewed_automatically",
                         object_type="registration", object_id=registration.id,
                         application_id=registration.application_id,
                         from_state=registration.status, to_state=registration.status,
                         data={"on": today.isoformat(), "regime": REGIME_280,
                               "previous_valid_from": previous_from.isoformat(),
                               "previous_valid_to": previous_to.isoformat(),
                               "valid_from": valid_from.isoformat(),
                               "valid_to": valid_to.isoformat()})
            _tell(registration, valid_from, valid_to)
    except Conflict:
        return False
    db.session.expire(registration)
    return True
