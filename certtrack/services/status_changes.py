"""A registrar's change of a registration's status (domain.md §4): suspend, resume, revoke,
cancel, invalidate, expire; the entries checked, the audit row, the exporter told.

A suspension is recorded when its notice arrives, with the day it took effect, which may be
past: consignment certificates issued since are marked as issued while it was suspended, and
a suspension already over when recorded (GACC suspended from 18 to 28 November, the notice
read on 8 December) is resumed at once for products made after its end, as the daily run
would have done, rather than cutting exports off until the next night.
"""

from datetime import date, timedelta

from flask_babel import gettext as _

from certtrack.domain.workflow import (
    RegistrationAction,
    RegistrationStatus,
    check_registration_transition,
)
from certtrack.models import Registration
from certtrack.services import reasons, registration_notices, status_entries
from certtrack.services.consignments.during_suspension import mark_issued_during_suspension
from certtrack.services.errors import Conflict, ValidationFailed
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.local_dates import LocalDate, local_today
from certtrack.services.registrations import apply_registration_action, stale_registration_message
from certtrack.services.transaction import transaction

RA = RegistrationAction


def entry_errors(registration: Registration, action: RegistrationAction,
                 data: StatusChangeInput) -> dict[str, list[str]]:
    """Take a registration, an action of §4 and the registrar's entries (an entry the form
    could not read given as None); return every error of the entries at once (field ->
    messages, empty when none). Changes nothing."""
    errors = status_entries.checked(registration, RegistrationAction(action), data)[0]
    if action != RA.resume:  # every other step is final, or cuts exports off: say why
        errors.update(reasons.reason_errors(data.reason))
    return errors


def change_status(actor, registration: Registration, action: str, data: StatusChangeInput) -> str:
    """Take a registrar, a registration, an action of §4 and the form's entries; apply it.

    `data`: reason (required except for resume), version, and per action: suspend -
    authority, suspended_from, suspended_until (optional); amend_suspension - suspended_until
    (None: until further notice); resume - products_produced_from; revoke - reference (GACC
    announcement); invalidate - cause.
    Writes the audit row and notifies the enterprise's exporter users; one commit.
    :raise ValidationFailed: every missing or inconsistent entry at once.
    :raise Conflict: changed since the page was loaded (`data.version`), whether its status
        still allows the action or not: the page the registrar acted on is out of date.
    :raise IllegalTransition: not possible in the registration's status.
    """
    action = RegistrationAction(action)
    if data.version not in (None, "") and str(data.version) != str(registration.version):
        raise Conflict(stale_registration_message(registration.id))
    check_registration_transition(RegistrationStatus(registration.status), action, actor.role)
    if errors := entry_errors(registration, action, data):
        raise ValidationFailed(errors)
    values = status_entries.checked(registration, action, data)[1]
    reason = (data.reason or "").strip()
    record = {key: value.isoformat() if isinstance(value, date) else value
              for key, value in values.items() if value not in (None, "")}
    with transaction():
        apply_registration_action(actor, registration, action, values=values, comment=reason,
                                  data=record, version=data.version)
        registration_notices.notify_status(registration, action, reason)
        if action == RA.suspend:  # recorded after it took effect: certificates issued since
            mark_issued_during_suspension(registration)
            _resume_if_over(actor, registration)
    return registration.status


def _resume_if_over(actor, registration: Registration) -> None:
    """Resume a suspension recorded after its end date, for products made after it, in the
    suspension's transaction (the audit trail keeps both steps)."""
    until = registration.suspended_until
    if until is None or until >= local_today():
        return
    produced_from = until + timedelta(days=1)
    values = {"products_produced_from": produced_from, "suspended_until": None}
    apply_registration_action(actor, registration, RA.resume, values=values, comment=str(_(
        "The suspension ended on %(date)s, before it was recorded.", date=LocalDate(until))),
        data={"products_produced_from": produced_from.isoformat()})
    registration_notices.notify_status(registration, RA.resume, "")
