"""What an enterprise's exporters are told when their China registration changes status: the
step and its day, and, when the registrar gave them, the suspension's last day, the reason and
GACC's announcement. The notice said only "suspended from 7 Dec 2026": not until when, nor why,
which an exporter plans shipments by."""

from flask_babel import lazy_gettext as _l

from certtrack.domain.workflow import RegistrationAction as RA
from certtrack.models import Registration
from certtrack.services.local_dates import LocalDate
from certtrack.services.notifications import enterprise_users, link, notify

NOTIFICATION_KINDS = {RA.suspend: "suspended", RA.amend_suspension: "suspended",
                      RA.resume: "resumed", RA.revoke: "revoked",
                      RA.cancel: "cancelled", RA.invalidate: "invalidated", RA.expire: "expired"}


def notify_status(registration: Registration, action: RA, reason: str = "",
                  dedupe_key: str | None = None) -> None:
    """Tell the enterprise's exporter users what happened to their registration, with the
    registrar's `reason` (none from the daily job); in the caller's transaction."""
    notify(enterprise_users(registration.enterprise_id), NOTIFICATION_KINDS[action],
           _message(registration, action, reason.strip()), link("exporter.registrations"),
           dedupe_key=dedupe_key)


def _message(r: Registration, action: RA, reason: str):
    number = r.china_number
    if action == RA.suspend:
        return _suspended(r, reason)
    if action == RA.amend_suspension and r.suspended_until is not None:
        return _l("The suspension of China registration %(number)s now ends on %(until)s. "
                  "Reason: %(reason)s", number=number, until=LocalDate(r.suspended_until),
                  reason=reason)
    if action == RA.amend_suspension:
        return _l("The suspension of China registration %(number)s now runs until it is "
                  "resumed. Reason: %(reason)s", number=number, reason=reason)
    if action == RA.resume:
        return _l("China registration %(number)s is active again for products produced on "
                  "or after %(date)s.", number=number, date=LocalDate(r.products_produced_from))
    if action == RA.revoke:
        return _l("GACC revoked China registration %(number)s; GACC's announcement: "
                  "%(reference)s. Reason: %(reason)s", number=number,
                  reference=r.status_reference, reason=reason)
    if action == RA.invalidate:
        return _l("China registration %(number)s is no longer valid; a new application is "
                  "needed. Reason: %(reason)s", number=number, reason=reason)
    if action == RA.cancel and reason:
        return _l("China registration %(number)s is cancelled. Reason: %(reason)s",
                  number=number, reason=reason)
    if action == RA.cancel:  # by the daily job: no renewal was applied for in the window
        return _l("China registration %(number)s is cancelled.", number=number)
    return _l("China registration %(number)s expired on %(date)s.", number=number,
              date=LocalDate(r.valid_to))


def _suspended(r: Registration, reason: str):
    if r.suspended_until is not None:
        return _l("China registration %(number)s is suspended from %(date)s to %(until)s. "
                  "Reason: %(reason)s", number=r.china_number, date=LocalDate(r.suspended_from),
                  until=LocalDate(r.suspended_until), reason=reason)
    return _l("China registration %(number)s is suspended from %(date)s until it is resumed. "
              "Reason: %(reason)s", number=r.china_number, date=LocalDate(r.suspended_from),
              reason=reason)
