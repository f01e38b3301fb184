"""The entries of a change of a registration's status (domain.md §4), checked: the dates of a
suspension and of a resumption, GACC's announcement of a revocation, the cause of an
invalidation."""

from datetime import date

from flask_babel import gettext as _

from certtrack.domain.vocabulary import InvalidationCause, SuspensionAuthority, codes
from certtrack.domain.workflow import RegistrationAction
from certtrack.models import Registration
from certtrack.services.applications import local_today
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.local_dates import format_day

SUSPENSION_AUTHORITIES = codes(SuspensionAuthority)
INVALIDATION_CAUSES = codes(InvalidationCause)


def _date_error(data: StatusChangeInput, name: str, message: str) -> dict[str, list[str]]:
    return {} if isinstance(getattr(data, name), date) else {name: [message]}


def _start_errors(registration: Registration, start: date) -> dict[str, list[str]]:
    """A suspension starts today or in the past: recorded ahead, the registration was
    suspended at once (status, register, certificates) and nothing would apply it later."""
    if start > local_today():
        return {"suspended_from": [_("A suspension is recorded on the day it takes effect, not "
                                     "before: record this one on %(date)s.",
                                     date=format_day(start))]}
    # An automatic renewal moves valid_from to its new period; the listing date stays.
    took_effect = min(registration.listing_date, registration.valid_from)
    if start < took_effect:
        return {"suspended_from": [_("The suspension cannot start before the registration "
                                     "took effect (%(date)s).", date=format_day(took_effect))]}
    return {}


def _suspend(registration: Registration, data: StatusChangeInput):
    errors = _date_error(data, "suspended_from", _("Give the date the suspension takes effect."))
    if data.authority not in SUSPENSION_AUTHORITIES:
        errors["authority"] = [_("Choose who suspended the registration.")]
    if not errors.get("suspended_from"):
        errors.update(_start_errors(registration, data.suspended_from))
    until = data.suspended_until
    if until is not None and not errors.get("suspended_from") and until < data.suspended_from:
        errors["suspended_until"] = [_("The end of the suspension cannot be before its start.")]
    values = {"suspension_authority": data.authority, "suspended_until": until,
              "suspension_reason": (data.reason or "").strip(),
              "suspended_from": data.suspended_from, "products_produced_from": None}
    return errors, values


def _amend(registration: Registration, data: StatusChangeInput):
    """A suspension's new end: none (until further notice), or a day not before its start nor
    past (ended already, it is a resumption)."""
    until, errors = data.suspended_until, {}
    if until is not None and registration.suspended_from is not None \
            and until < registration.suspended_from:
        errors["suspended_until"] = [_("The end of the suspension cannot be before its start.")]
    elif until is not None and until < local_today():
        errors["suspended_until"] = [_("A suspension that has ended is lifted: record the "
                                       "resumption instead.")]
    elif until == registration.suspended_until:
        errors["suspended_until"] = [_("This is the suspension's end already.")]
    return errors, {"suspended_until": until}


def _resume(registration: Registration, data: StatusChangeInput):
    errors = _date_error(data, "products_produced_from",
                         _("Give the production date from which products are accepted again."))
    start = registration.suspended_from
    if not errors and data.products_produced_from > local_today():
        errors["products_produced_from"] = [_(
            "Until that day no product is accepted, and the register would show the "
            "registration in force: record the resumption on %(date)s.",
            date=format_day(data.products_produced_from))]
    elif not errors and start is not None and data.products_produced_from < start:
        errors["products_produced_from"] = [_("This date cannot be before the suspension "
                                              "started (%(date)s).", date=format_day(start))]
    return errors, {"products_produced_from": data.products_produced_from,
                    "suspended_until": None}


def _revoke(registration: Registration, data: StatusChangeInput):
    reference = (data.reference or "").strip()
    errors = {} if reference else {"reference": [_("Give the reference of GACC's announcement.")]}
    return errors, {"status_reference": reference}


def _invalidate(registration: Registration, data: StatusChangeInput):
    cause = data.cause
    errors = {} if cause in INVALIDATION_CAUSES else {"cause": [_("Choose what voids the "
                                                                  "number.")]}
    return errors, {"status_reference": cause or ""}


def _expire(registration: Registration, data: StatusChangeInput):
    """A registration expires once its last valid day has passed (the daily run records it):
    one ended earlier is cancelled or revoked, and says why."""
    if registration.valid_to >= local_today():
        return {"": [_("This registration is valid until %(date)s and expires after that day. "
                       "To end it earlier, cancel it (the enterprise stopped exporting) or "
                       "record GACC's revocation.", date=format_day(registration.valid_to))]}, {}
    return {}, {}


_ENTRIES = {RegistrationAction.suspend: _suspend, RegistrationAction.resume: _resume,
            RegistrationAction.amend_suspension: _amend,
            RegistrationAction.revoke: _revoke, RegistrationAction.invalidate: _invalidate,
            RegistrationAction.expire: _expire}


def checked(registration: Registration, action: RegistrationAction,
            data: StatusChangeInput) -> tuple[dict[str, list[str]], dict]:
    """Take a registration, an action of domain.md §4 and the registrar's entries; return the
    errors found (field -> messages, empty when none) and the registration's column values the
    action sets. Changes nothing."""
    check = _ENTRIES.get(action)
    return check(registration, data) if check else ({}, {})
