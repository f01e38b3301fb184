"""The gate at every step: a registration in force for the category, and market access."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain.workflow import LIVE_REGISTRATION_STATUSES
from certtrack.extensions import db
from certtrack.models import Consignment, Registration, User
from certtrack.services import market_access
from certtrack.services.applications import local_today
from certtrack.services.local_dates import format_day
from certtrack.services.print_context import current_application, local_time

ENDED = ("revoked", "cancelled", "invalidated")


def _day(value: date | None) -> str:
    return format_day(value)


def _changed_on(registration: Registration) -> date | None:
    moment = local_time(registration.status_changed_at)
    return moment.date() if moment else None


def registration_refusal(registration: Registration, today: date | None = None) -> str | None:
    """Why no certificate may be asked for or issued under the registration today, saying which
    status and since when; None while it is in force."""
    today = today or local_today()
    number, status = registration.china_number, registration.status
    if status == "suspended":
        since = _day(registration.suspended_from or _changed_on(registration))
        if registration.suspended_until is not None:  # when the exporter may ask again
            return _("China registration %(number)s is suspended from %(date)s to %(until)s.",
                     number=number, date=since, until=_day(registration.suspended_until))
        return _("China registration %(number)s is suspended since %(date)s.", number=number,
                 date=since)
    if status == "expired" or (status == "active" and registration.valid_to < today):
        return _("China registration %(number)s expired on %(date)s.", number=number,
                 date=_day(registration.valid_to))
    if status in ENDED:
        return _("China registration %(number)s is %(status)s since %(date)s.", number=number,
                 status=_status_word(status), date=_day(_changed_on(registration)))
    if status != "active" or registration.valid_from > today:
        return _("China registration %(number)s is not in force.", number=number)
    return None


def _status_word(status: str) -> str:
    return {"revoked": _("revoked"), "cancelled": _("cancelled"),
            "invalidated": _("invalidated")}.get(status, status)


def production_refusal(consignment: Consignment) -> str | None:
    """After a resumption, products made before the 'produced on or after' date stay barred,
    and goods of any kind say when they were produced (a wheat consignment with no date went
    through). Animal products made before GACC listed the establishment were made by an
    unlisted one (docs/domain.md §1)."""
    registration = consignment.registration
    made = consignment.production_from
    if consignment.kind == "vet" and made is not None and made < registration.listing_date:
        return _("These goods were produced before GACC listed the establishment on %(date)s "
                 "(China registration %(number)s): China accepts animal products produced on "
                 "or after its listing only.", number=registration.china_number,
                 date=_day(registration.listing_date))
    barrier = registration.products_produced_from
    if barrier is not None and made is None:
        return _("China accepts products of registration %(number)s produced on or after "
                 "%(date)s only: give the goods' first production date.",
                 number=consignment.registration.china_number, date=_day(barrier))
    if barrier is not None and made < barrier:
        return _("China accepts products of registration %(number)s produced on or after "
                 "%(date)s only.", number=consignment.registration.china_number,
                 date=_day(barrier))
    return None


def registration_products(registration: Registration):
    """The catalogue products the registration covers now (its current application's)."""
    return [line.product for line in current_application(registration).products]


def gate_refusals(consignment: Consignment, today: date | None = None) -> list[str]:
    """Everything that bars the consignment now: the registration, each lot's product that it
    no longer covers (a change GACC accepted since the lot was added), each lot's market
    access from the region of origin, production before a resumption. Empty when it may go."""
    refusals = []
    if refusal := registration_refusal(consignment.registration, today):
        refusals.append(refusal)
    covered = {product.code for product in registration_products(consignment.registration)}
    for lot in consignment.lots:
        if lot.product_code not in covered:
            refusals.append(_("China registration %(number)s no longer covers %(product)s: "
                              "remove its lot.", number=consignment.registration.china_number,
                              product=market_access.product_label(lot.product)))
        elif refusal := market_access.refusal(lot.product, consignment.origin_region_code):
            refusals.append(refusal)
    if refusal := production_refusal(consignment):
        refusals.append(refusal)
    return refusals


def usable_registrations(actor: User) -> list[Registration]:
    """The enterprise's registrations a consignment may be requested under today."""
    rows = db.session.scalars(select(Registration).where(
        Registration.enterprise_id == (actor.enterprise_id or -1),
        Registration.status == "active").order_by(Registration.china_number))
    return [row for row in rows if registration_refusal(row) is None]


def barred_registrations(actor: User) -> list[str]:
    """Why each of the enterprise's registrations that may come back into force (suspended,
    or active outside its validity) takes no request today, as registration_refusal says it:
    the new request's page said only that there was none in force."""
    rows = db.session.scalars(select(Registration).where(
        Registration.enterprise_id == (actor.enterprise_id or -1),
        Registration.status.in_(LIVE_REGISTRATION_STATUSES)).order_by(Registration.china_number))
    return [refusal for row in rows if (refusal := registration_refusal(row)) is not None]
