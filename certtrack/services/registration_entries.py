"""GACC's listing as the registrar enters it, checked (domain.md §3, submitted_to_gacc ->
registered): the China number, the dates and the route, every problem at once, and the
Registration's column values they give."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain.calendar import regime_for, registration_valid_to
from certtrack.domain.identifiers import IdentifierError, validate_china_registration_number
from certtrack.extensions import db
from certtrack.models import Application, Registration
from certtrack.models.registration import ROUTES
from certtrack.services import renewals
from certtrack.services.application_kinds import held_registration, live_registration
from certtrack.services.applications import local_today
from certtrack.services.inputs import RegistrationInput
from certtrack.services.local_dates import LocalName, format_day
from certtrack.services.registrations import LIVE_STATUSES


def china_number_message(code: str) -> str:
    """Take the code of a failed China-number check; return what to tell the registrar."""
    messages = {
        "length": _("A China registration number has exactly 18 characters."),
        "prefix": _("A Kazakh China registration number starts with CKAZ."),
        "characters": _("After CKAZ a China registration number has only letters A-Z and "
                        "digits 0-9."),
    }
    return messages.get(code, _("This is not a China registration number."))


def _number_errors(data: RegistrationInput, renewed: Registration | None,
                   change: bool = False) -> list[str]:
    try:
        number = validate_china_registration_number(data.china_number or "")
    except IdentifierError as error:
        return [china_number_message(error.code)]
    if renewed is not None and number != renewed.china_number:
        if change:
            return [_("A change keeps the registration's number: GACC amends %(number)s, it "
                      "does not list the establishment under a new one.",
                      number=renewed.china_number)]
        return [_("A renewal keeps the registration's number: GACC extends %(number)s, it does "
                  "not list the establishment under a new one.", number=renewed.china_number)]
    holder = db.session.scalar(select(Registration).where(Registration.china_number == number))
    if holder is not None and holder is not renewed:
        return [_("This number is already recorded for %(name)s (application %(ref)s).",
                  name=str(LocalName.of(holder.enterprise)), ref=holder.application.reference)]
    return []


def _valid_from_errors(valid_from: date | None, renewed: Registration | None,
                       sent_on: date | None) -> list[str]:
    """A registration takes effect once GACC has the application (no earlier than the day its
    batch was sent); a renewal, the day after the current period ends."""
    if valid_from is None:
        return []
    if renewed is not None:
        return ([] if valid_from == renewals.next_start(renewed)
                else [renewals.next_start_message(renewed)])
    if sent_on is not None and valid_from < sent_on:
        return [_("A registration cannot take effect before its application was sent to GACC: "
                  "not before %(date)s, the day it was sent.", date=format_day(sent_on))]
    if valid_from > local_today():  # its certificate would verify "valid" before it is
        return [_("A registration is recorded once in force: its start cannot be after today. "
                  "Leave it empty for the listing date.")]
    return []


def _listing_date_errors(listing_date: date | None, sent_on: date | None) -> list[str]:
    if listing_date is None:
        return [_("Give the date GACC listed the establishment.")]
    if listing_date > local_today():
        return [_("The listing date cannot be in the future.")]
    if sent_on is not None and listing_date < sent_on:
        return [_("GACC listed the establishment after receiving the application: not before "
                  "%(date)s, the day it was sent.", date=format_day(sent_on))]
    return []


def _renewal(application: Application) -> tuple[Registration | None, dict[str, list[str]]]:
    """The registration the application renews or changes (None for a new one), and what stops
    the application from being registered whatever the entries."""
    if application.kind == "change":
        changed = live_registration(application.establishment_id,
                                    application.gacc_category_code)
        if changed is None:
            return None, {"": [_("The registration this application changes is no longer in "
                                 "force; GACC's acceptance of the change cannot be recorded.")]}
        return changed, {}
    if application.renewal_of_id is None:
        existing = live_registration(application.establishment_id,
                                     application.gacc_category_code)
        if existing is not None and held_registration(
                application.establishment_id, application.gacc_category_code,
                local_today()) is not None:
            return None, {"": [_(
                "This establishment is already registered for this category under "
                "%(number)s; record a renewal instead.", number=existing.china_number)]}
        if existing is not None:  # its window closed: no renewal can be recorded any more
            return None, {"": [_(
                "This establishment is still registered for this category under %(number)s "
                "until %(date)s, and that registration can no longer be renewed: cancel it on "
                "its page (the enterprise re-registered), then record this listing.",
                number=existing.china_number, date=format_day(existing.valid_to))]}
        return None, {}
    renewed = db.session.get(Registration, application.renewal_of_id)
    if renewals.lapsed_awaiting(renewed, application):
        return renewed, {}  # GACC decided after the last valid day: its renewal still counts
    if renewed.status not in LIVE_STATUSES:
        return renewed, {"": [_("The registration this application renews is no longer in "
                                "force; it cannot be extended.")]}
    return renewed, {}


def checked(application: Application,
            data: RegistrationInput) -> tuple[dict[str, list[str]], Registration | None]:
    """Take an application awaiting GACC's decision and the registrar's entries (an entry the
    form could not read given as None); return every error found at once (field -> messages,
    '' for the application as a whole; empty when none) and the registration it renews or
    changes (None for a new one). Changes nothing."""
    renewed, errors = _renewal(application)
    change = application.kind == "change"
    batch = application.gacc_batch
    sent_on = batch.submitted_on if batch else None
    found = {"china_number": _number_errors(data, renewed, change),
             "listing_date": _listing_date_errors(data.listing_date, sent_on),
             "route": [] if data.route in ROUTES else [
                 _("Choose how the establishment was listed.")],
             "valid_from": (_kept_validity_errors(data.valid_from, renewed) if change else
                            _valid_from_errors(data.valid_from, renewed, sent_on))}
    errors.update({name: messages for name, messages in found.items() if messages})
    return errors, renewed


def _kept_validity_errors(valid_from: date | None, changed: Registration | None) -> list[str]:
    """A change keeps the registration's validity: a start given is its own."""
    if valid_from is None or changed is None or valid_from == changed.valid_from:
        return []
    return [_("A change keeps the registration's validity, from %(from)s to %(to)s: leave the "
              "start empty.", **{"from": format_day(changed.valid_from),
                                 "to": format_day(changed.valid_to)})]


def values(data: RegistrationInput, renewed: Registration | None, change: bool = False) -> dict:
    """Take entries checked() found right and the registration they renew or change; return
    the Registration's column values (for a renewal, the extension's; for a change, what GACC's
    acceptance records: the registration keeps its number and validity)."""
    if change:
        return {"china_number": renewed.china_number, "changed_on": data.listing_date,
                "route": data.route, "valid_to": renewed.valid_to}
    if renewed is not None:
        return renewals.extension(renewed, data.listing_date, data.route)
    valid_from = data.valid_from or data.listing_date
    return {"china_number": validate_china_registration_number(data.china_number or ""),
            "listing_date": data.listing_date, "valid_from": valid_from,
            "valid_to": registration_valid_to(valid_from), "route": data.route,
            "regime": regime_for(data.listing_date)}
