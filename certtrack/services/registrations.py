"""Registrations after GACC's listing: lists, the lifecycle of docs/domain.md §4, renewals."""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, select, update
from sqlalchemy.orm import joinedload

from certtrack.domain.calendar import REGIME_280
from certtrack.domain.renewal import RenewalDecision, decide_renewal, renewal_regime
from certtrack.domain.workflow import (
    LIVE_REGISTRATION_STATUSES,
    RegistrationAction,
    RegistrationStatus,
    Role,
    check_registration_transition,
    next_registration_status_by_system,
)
from certtrack.extensions import db
from certtrack.models import (
    Application,
    ApplicationProduct,
    Establishment,
    Registration,
)
from certtrack.models.base import utcnow
from certtrack.services import (
    creation_keys,
    reasons,
    register,
)
from certtrack.services.application_kinds import live_registration
from certtrack.services.applications import (
    QUESTIONNAIRE_FIELDS,
    establishment_region,
    local_today,
)
from certtrack.services.audit import record_event
from certtrack.services.changed_since import last_change
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.local_dates import format_day, format_moment
from certtrack.services.permissions import (
    SYSTEM,
    can_see_enterprise_object,
    has_role,
    is_staff,
    owns,
)
from certtrack.services.print_context import current_application
from certtrack.services.transaction import stale_message, transaction

RS, RA = RegistrationStatus, RegistrationAction
LIVE_STATUSES = LIVE_REGISTRATION_STATUSES
# Applications in these states no longer carry a renewal forward.
CLOSED_APPLICATION_STATES = ("withdrawn", "rejected", "conclusion_negative", "gacc_refused",
                             "registered")


def get_registration(actor, registration_id: int) -> Registration:
    """Take a user and an id; return the registration if the user may see it.

    Registrars and administrators see all; exporters their own enterprise's.
    :raise NotFound: unknown, or not the user's to see (never 403, so ids cannot be probed).
    """
    registration = db.session.get(Registration, registration_id)
    if registration is None or not can_see_enterprise_object(actor, registration.enterprise_id):
        raise NotFound(_("No such registration."))
    return registration


def registration_scope(actor, query):
    """Restrict a Registration query to the rows `actor` may see (as can_see_enterprise_object)."""
    if has_role(actor, Role.exporter):
        return query.where(Registration.enterprise_id == (actor.enterprise_id or 0))
    if is_staff(actor):
        return query
    return query.where(Registration.id.is_(None))


# The orders of the registrar's list: the soonest to expire first (the default), the newest
# listing first, or by China number.
REGISTRATION_SORTS = {
    # the registrations in force first: an expired or revoked one comes after them, not at
    # the top of the list for having "expired soonest"
    "expiry": (case((Registration.status.in_(LIVE_REGISTRATION_STATUSES), 0), else_=1),
               Registration.valid_to, Registration.id),
    "listed": (Registration.listing_date.desc(), Registration.id.desc()),
    "number": (Registration.china_number,),
}


def list_registrations(actor, *, status: str | None = None, category: str | None = None,
                       region: str | None = None, search: str = "", page: int = 1,
                       sort: str = "expiry"):
    """Take a user and filters; return one page of the registrations the user may see, in the
    order `sort` (a key of REGISTRATION_SORTS).

    `search` matches the China number or the enterprise's name in any language or its BIN,
    ignoring case (register.matching).
    """
    query = registration_scope(actor, select(Registration)).options(
        joinedload(Registration.enterprise), joinedload(Registration.establishment),
        joinedload(Registration.application))
    if status:
        query = query.where(Registration.status == status)
    if category:
        query = query.where(Registration.gacc_category_code == category)
    if region:
        query = query.where(Registration.establishment_id.in_(
            select(Establishment.id).where(Establishment.region_code == region)
            .scalar_subquery()))
    if search.strip():  # as the public register searches: every language, any case
        query = query.where(register.matching(search))
    query = query.order_by(*REGISTRATION_SORTS.get(sort, REGISTRATION_SORTS["expiry"]))
    return db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"],
                       error_out=False, max_per_page=100)


def registration_of(application: Application) -> Registration | None:
    """The registration an application created, renews or changes (or, accepted not yet, would
    change: its establishment's in force for the category), if any."""
    if application.renewal_of_id is not None or application.change_of_id is not None:
        return db.session.get(Registration,
                              application.renewal_of_id or application.change_of_id)
    if application.kind == "change":
        return live_registration(application.establishment_id, application.gacc_category_code)
    return db.session.scalar(select(Registration).where(
        Registration.application_id == application.id))


@dataclass(frozen=True)
class Renewal:
    """Where a registration stands with renewal on a given day (domain.renewal decides).

    `state`: 'automatic' (Order 280, category not on GACC's list), 'upcoming', 'open',
    'closed' (window missed), or 'ended' (the registration is no longer in force). `outcome`
    ('expire', 'cancel' or 'renew') is what happens once `valid_to` has passed; `due` is True
    from the day after it.
    """

    state: str
    window: tuple[date, date] | None = None
    reminders: list[date] = field(default_factory=list)
    regime: str | None = None
    outcome: str | None = None
    due: bool = False


def _renewal_applied(registration: Registration, under_way: dict | None) -> bool:
    """True when a renewal application of the registration was submitted and is not closed."""
    application = _under_way(registration, under_way)
    return application is not None and application.state != "draft"


def renewal(registration: Registration, today: date, under_way: dict | None = None) -> Renewal:
    """Take a registration and a day; return its renewal regime, window and outcome, as the
    one rule of domain.renewal decides them (the page, the reminders and the daily job).
    `under_way`: open_renewal_applications() of a list's registrations, asked once."""
    if registration.status not in LIVE_STATUSES:
        return Renewal("ended")
    on_list = registration.gacc_category.renewal_list_280
    applied = (on_list and renewal_regime(registration.valid_to) == REGIME_280
               and _renewal_applied(registration, under_way))
    decision = decide_renewal(registration.valid_to, on_list, today, renewal_applied=applied)
    return Renewal(str(decision.state), decision.window, decision.reminders, decision.regime,
                   str(decision.outcome), decision.due)


def open_renewal_applications(registration_ids: list[int]) -> dict[int, Application]:
    """Take registration ids; return the renewal application still in progress of each that
    has one (the latest), by registration id. One query, none for no ids."""
    found: dict[int, Application] = {}
    if registration_ids:
        for application in db.session.scalars(select(Application).where(
                Application.renewal_of_id.in_(registration_ids),
                Application.state.not_in(CLOSED_APPLICATION_STATES)).order_by(Application.id)):
            found[application.renewal_of_id] = application  # a later one replaces it
    return found


def open_renewal_application(registration: Registration) -> Application | None:
    """Take a registration; return its renewal application still in progress, if any."""
    return open_renewal_applications([registration.id]).get(registration.id)


def _under_way(registration: Registration, under_way: dict | None) -> Application | None:
    """Its renewal in progress, from a list's `under_way` when given, else asked."""
    if under_way is None:
        return open_renewal_application(registration)
    return under_way.get(registration.id)


def stale_registration_message(registration_id: int) -> str:
    event = last_change("registration", registration_id)
    if event is None:
        return stale_message()
    who = event.actor.full_name if event.actor is not None else _("The daily job")
    return _("%(who)s changed this registration at %(when)s. Reload the page to see it.",
             who=who, when=format_moment(event.at))


def _target(actor, source: RegistrationStatus, action: RegistrationAction, comment: str):
    if actor is SYSTEM:
        return next_registration_status_by_system(source, action)
    row = check_registration_transition(source, action, actor.role)
    if row.requires_comment:
        reasons.require_reason(comment)
    return row.target


def apply_registration_action(actor, registration: Registration, action: RegistrationAction, *,
                              values: dict | None = None, comment: str = "",
                              data: dict | None = None, version=None) -> RegistrationStatus:
    """Change a registration's status with a guarded UPDATE and an audit row; no commit.

    `actor` SYSTEM is the daily job (system actions only). The UPDATE matches only while the
    status (and the version, when given) is still the one the actor saw.
    :raise IllegalTransition: (domain.workflow) not allowed in this status for this actor.
    :raise Conflict: another request changed the registration first.
    """
    source = RegistrationStatus(registration.status)
    target = _target(actor, source, action, comment)
    conditions = [Registration.id == registration.id, Registration.status == source.value]
    if version not in (None, ""):
        conditions.append(Registration.version == (int(version) if str(version).isascii()
                                                   and str(version).isdigit()
                                                   else -1))
    result = db.session.execute(
        update(Registration).where(*conditions)
        .values(status=target.value, status_changed_at=utcnow(),
                version=Registration.version + 1, **(values or {}))
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(stale_registration_message(registration.id))
    record_event(actor, str(action), object_type="registration", object_id=registration.id,
                 application_id=registration.application_id, from_state=source.value,
                 to_state=target.value, comment=comment.strip(), data=data)
    db.session.expire(registration)
    return target


def _renewal_refusal(registration: Registration, today: date,
                     under_way: dict | None = None) -> str | None:
    status = renewal(registration, today, under_way)
    if status.state == "ended":
        return _("This registration is no longer in force; apply for a new registration.")
    if status.state == "automatic":
        return _("Under GACC Order 280 this category is renewed automatically; no application "
                 "is needed.")
    if status.state == "upcoming":
        return _("The renewal window opens on %(date)s.", date=format_day(status.window[0]))
    if status.state == "closed":
        return _("The renewal window closed on %(date)s.", date=format_day(status.window[1]))
    existing = _under_way(registration, under_way)
    if existing is not None:
        return _("A renewal application is already in progress: %(ref)s.",
                 ref=existing.reference)
    return None


def renewal_refusal(registration: Registration, today: date | None = None) -> str | None:
    """Take a registration; return why a renewal cannot start today, or None when it can."""
    return _renewal_refusal(registration, today or local_today())


def start_renewal(actor, registration: Registration, key: str | None = None) -> Application:
    """Take an exporter and one of its registrations; start a draft renewal application.

    The draft has the registration's establishment and category, the questionnaire and
    products of the application it covers now (a change GACC accepted, not the original), kind
    'renewal', renewal_of_id set, and the window's last day as its deadline. `key` is the
    button's one-time key (services.creation_keys), kept with it.
    :raise NotFound: not the exporter's registration.
    :raise ValidationFailed: the window is not open, renewal is automatic, or one is under way.
    :raise Conflict: a renewal was started with the same key meanwhile (sent twice).
    """
    if not owns(actor, registration.enterprise_id):
        raise NotFound(_("No such registration."))
    refusal = renewal_refusal(registration)
    if refusal:
        raise ValidationFailed({"": [refusal]})
    _opens, closes = renewal(registration, local_today()).window  # submit by its last day
    original = current_application(registration)
    with creation_keys.created_once("application", actor, key), transaction():
        draft = Application(
            enterprise_id=registration.enterprise_id, kind="renewal", state="draft",
            establishment_id=registration.establishment_id, created_by_id=actor.id,
            creation_key=creation_keys.usable(key),
            region_code=establishment_region(registration.establishment_id),
            gacc_category_code=registration.gacc_category_code, renewal_of_id=registration.id,
            stage_deadline=closes,
            **{name: getattr(original, name) for name in QUESTIONNAIRE_FIELDS})
        draft.products = [ApplicationProduct(product_code=line.product_code,
                                             annual_volume=line.annual_volume,
                                             volume_unit=line.volume_unit)
                          for line in original.products]
        db.session.add(draft)
        db.session.flush()
        record_event(actor, "renewal_started", object_type="application", object_id=draft.id,
                     application_id=draft.id, to_state="draft",
                     data={"registration_id": registration.id,
                           "china_number": registration.china_number})
    return draft


@dataclass(frozen=True)
class RegistrationRow:
    """A registration with where it stands on renewal, for the exporter's list."""

    registration: Registration
    renewal: Renewal
    refusal: str | None
    renewal_application: Application | None


def renewals_due(candidates, today: date,
                 applying: dict | None = None) -> list[tuple[Registration, RenewalDecision]]:
    """Take registrations in force (their GACC category loaded), a day (and their
    open_renewal_applications() when asked already); return those whose renewal window is open
    that day and that have no renewal submitted (a draft is not one), each with its decision
    (window, reminder days): the one rule of the exporter's home page, the registrar's
    dashboard and the daily reminders. One query beside the candidates'. Changes nothing."""
    if applying is None:
        applying = open_renewal_applications([r.id for r in candidates])
    due = []
    for registration in candidates:  # whether it was applied for moves the outcome only
        decision = decide_renewal(registration.valid_to,
                                  registration.gacc_category.renewal_list_280, today)
        if str(decision.state) == "open" and not _renewal_applied(registration, applying):
            due.append((registration, decision))
    return due


def exporter_overview(actor, page: int = 1):
    """Take an exporter; return (page of its registrations, a RegistrationRow per item)."""
    pagination = list_registrations(actor, page=page)
    today = local_today()
    under_way = open_renewal_applications([r.id for r in pagination.items])
    rows = [RegistrationRow(r, renewal(r, today, under_way),
                            _renewal_refusal(r, today, under_way), under_way.get(r.id))
            for r in pagination.items]
    return pagination, rows
