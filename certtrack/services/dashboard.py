"""Figures for registrars and administrators: where the applications are and how long they wait."""

import time
from collections import defaultdict
from datetime import timedelta
from statistics import median

from flask import current_app
from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import joinedload

from certtrack.domain.calendar import add_months
from certtrack.domain.workflow import LIVE_REGISTRATION_STATUSES, RegistrationStatus, State
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Registration, User
from certtrack.models.base import UTCDateTime, utcnow
from certtrack.services.applications import local_today
from certtrack.services.consignments.figures import consignment_figures
from certtrack.services.permissions import require_staff
from certtrack.services.registrar_queues import OPEN_STATES, overdue_condition
from certtrack.services.registrations import open_renewal_applications, renewals_due

# A year's medians move slowly, and computing them reads every transition of the year.
MEDIANS_TTL = 600
_MEDIANS_KEY = "certtrack.stage_medians"
# The counts read every application (tens of milliseconds at 100,000): a minute old is fine
# for a dashboard, which says how old its figures are.
COUNTS_TTL = 60
_COUNTS_KEY = "certtrack.dashboard_counts"
# How far ahead the dashboard names the suspensions that end.
SUSPENSIONS_ENDING_DAYS = 30


def _counts(column) -> dict[str, int]:
    query = select(column, func.count(Application.id)).where(Application.state != "draft")
    return dict(db.session.execute(query.group_by(column)).all())


def stage_medians(days: int = 365) -> dict[str, float]:
    """Median days an application spent in each state, over transitions of the last `days`.

    Reads every transition of the period (seconds at a million audit rows), so each process
    keeps the answer for MEDIANS_TTL seconds. Changes nothing, raises nothing.
    """
    cache = current_app.extensions.setdefault(_MEDIANS_KEY, {})
    kept = cache.get(days)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    medians = _stage_medians(days)
    cache[days] = (time.monotonic() + MEDIANS_TTL, medians)
    return medians


# An application's stages; not "registered", nor a registration's statuses, whose audit rows
# name the application too: in force for years, they are no stage of the work (the chart
# showed "Registration in force 1,145 d" beside "Submitted 4.9 d").
_STAGES = frozenset(state.value for state in State) - {State.registered.value}


def _stage_medians(days: int) -> dict[str, float]:
    since = utcnow() - timedelta(days=days)
    previous = type_coerce(func.lag(AuditEvent.at).over(
        partition_by=AuditEvent.application_id, order_by=AuditEvent.seq), UTCDateTime)
    moves = (select(AuditEvent.from_state, AuditEvent.at, previous.label("entered"))
             .where(AuditEvent.to_state.is_not(None), AuditEvent.application_id.is_not(None))
             .subquery())
    rows = db.session.execute(
        select(moves.c.from_state, moves.c.at, moves.c.entered)
        .where(moves.c.entered.is_not(None), moves.c.at >= since,
               moves.c.from_state.is_not(None)))
    spans: dict[str, list[float]] = defaultdict(list)
    for state, left, entered in rows:
        if state in _STAGES:
            spans[state].append((left - entered).total_seconds() / 86400)
    return {state: round(median(values), 1) for state, values in spans.items()}


def overview(actor: User) -> dict:
    """Counts by state, region and category, overdue work and median days per stage, and
    `as_of`, the moment the counts were taken (each process keeps them COUNTS_TTL seconds).

    :raise PermissionDenied: the actor is neither registrar nor administrator.
    """
    require_staff(actor)
    kept = current_app.extensions.get(_COUNTS_KEY)
    if kept is None or kept[0] <= time.monotonic():
        kept = (time.monotonic() + COUNTS_TTL, _current_counts())
        current_app.extensions[_COUNTS_KEY] = kept
    return {**kept[1], "medians": stage_medians()}


def _current_counts() -> dict:
    today = local_today()
    overdue = db.session.scalar(select(func.count(Application.id)).where(
        overdue_condition(today))) or 0
    by_state = _counts(Application.state)
    return {
        "by_state": by_state,
        "by_region": _counts(Application.region_code),
        "by_category": _counts(Application.gacc_category_code),
        "overdue": overdue,
        "open": sum(v for k, v in by_state.items() if k in OPEN_STATES),
        # registrations, not applications registered: one expired or suspended is not in force
        "registrations": dict(db.session.execute(
            select(Registration.status, func.count(Registration.id))
            .group_by(Registration.status)).all()),
        **consignment_figures(),
        "as_of": utcnow(),
    }


def coming_up(actor: User) -> dict:
    """What registrars watch for, with dates: the registrations whose renewal window is open
    with no renewal applied for (with the window's last day and the renewal's draft, if the
    exporter started one and did not submit it; the soonest first), and the
    suspensions whose last day comes within SUSPENSIONS_ENDING_DAYS (the soonest first; the
    daily job resumes each the day after). Four queries. They were on each registration's
    page only.

    :raise PermissionDenied: the actor is neither registrar nor administrator.
    """
    require_staff(actor)
    today = local_today()
    # A window opens 12 months (at most) and closes 3 months before the last valid day.
    candidates = db.session.scalars(select(Registration).options(
        joinedload(Registration.enterprise), joinedload(Registration.gacc_category))
        .where(Registration.status.in_(LIVE_REGISTRATION_STATUSES),
               Registration.valid_to.between(add_months(today, 3) - timedelta(days=1),
                                             add_months(today, 12) + timedelta(days=1)))).all()
    applying = open_renewal_applications([registration.id for registration in candidates])
    renewals = sorted(((registration, decision.window[1], applying.get(registration.id))
                       for registration, decision in renewals_due(candidates, today, applying)),
                      key=lambda item: (item[1], item[0].id))
    ending = db.session.scalars(select(Registration).options(
        joinedload(Registration.enterprise)).where(
        Registration.status == RegistrationStatus.suspended.value,
        Registration.suspended_until.between(today, today + timedelta(
            days=SUSPENSIONS_ENDING_DAYS)))
        .order_by(Registration.suspended_until, Registration.id)).all()
    return {"renewals": renewals, "suspensions_ending": ending}
