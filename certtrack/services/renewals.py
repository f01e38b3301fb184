"""Automatic renewal of a registration under GACC Order 280, applied by the daily job."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from certtrack.domain.calendar import REGIME_280, registration_valid_to
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Registration, User
from certtrack.services.audit import record_event
from certtrack.services.certificates import current_certificate
from certtrack.services.errors import Conflict
from certtrack.services.local_dates import LocalDate
from certtrack.services.notifications import enterprise_users, link, notify
from certtrack.services.permissions import SYSTEM
from certtrack.services.registrations import LIVE_STATUSES
from certtrack.services.transaction import stale_message, transaction

ONE_DAY = timedelta(days=1)


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
    if current_certificate(registration.id) is None:
        return
    notify(_registrars(), "renewed", _l(
        "China registration %(number)s was renewed automatically until %(end)s; its certificate "
        "of export eligibility still shows the old validity: issue a replacement.",
        number=number, end=LocalDate(valid_to)),
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
