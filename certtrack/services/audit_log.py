"""The audit trail as administrators read it: one page of events, filtered, with the state of
the chain (its length, its newest signed daily anchor).

`flask verify-audit` recomputes the chain; this page reads it.
"""

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from certtrack.extensions import contains_pattern, db, folded
from certtrack.models import AuditAnchor, AuditEvent, Registration, User
from certtrack.models.application import application_reference
from certtrack.services import pagination, spreadsheets
from certtrack.services.permissions import require_admin

__all__ = ["AuditFilters", "ChainState", "accounts_named", "application_id",
           "application_reference", "chain_state", "events_csv", "list_events"]

_REFERENCE = re.compile(r"(?:A-?)?0*(\d{1,9})", re.IGNORECASE)


@dataclass(frozen=True)
class AuditFilters:
    """What the administrator narrows the trail to; empty values do not narrow it."""

    action: str = ""
    actor: str = ""  # part of a name or an e-mail address
    application: str = ""  # an application's reference (A-000042) or number
    since: date | None = None  # Kazakhstan's days, both included
    until: date | None = None
    oldest_first: bool = False


@dataclass(frozen=True)
class ChainState:
    """How long the chain is and the newest day its head was signed (None: never)."""

    events: int
    anchored_on: date | None
    anchored_seq: int | None


def application_id(text: str) -> int | None:
    """The application id an administrator typed as "A-000042", "a42" or "42"; None if none."""
    match = _REFERENCE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _moment(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _conditions(filters: AuditFilters) -> list:
    conditions = []
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if (text := filters.actor.strip().lower()) in ("system", _("system").lower()):
        conditions.append(AuditEvent.actor_id.is_(None))  # the trail's "system" rows
    elif text:
        pattern = contains_pattern(text)
        conditions.append(AuditEvent.actor_id.in_(select(User.id).where(
            folded(User.email).like(pattern, escape="\\")
            | folded(User.full_name).like(pattern, escape="\\"))))
    if filters.application.strip():
        conditions.append(AuditEvent.application_id == application_id(filters.application))
    if filters.since:
        conditions.append(AuditEvent.at >= _moment(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _moment(filters.until + timedelta(days=1)))
    return conditions


def list_events(actor, filters: AuditFilters, page: int = 1):
    """Take an administrator, the filters and a page number; return that page of the trail,
    newest first (or oldest first), with each event's actor loaded.

    :raise PermissionDenied: not an administrator.
    """
    require_admin(actor)
    conditions = _conditions(filters)
    order = AuditEvent.seq.asc() if filters.oldest_first else AuditEvent.seq.desc()
    query = (select(AuditEvent).where(*conditions).options(selectinload(AuditEvent.actor))
             .order_by(order))
    count = select(func.count()).select_from(AuditEvent).where(*conditions)
    return pagination.paginate(query, count, page=page,
                               per_page=current_app.config["PER_PAGE"])


def accounts_named(events) -> dict[int, User]:
    """The accounts a page of events acts on (object "user"), by id, in one query: the page
    names them, not their number alone."""
    ids = {e.object_id for e in events if e.object_type == "user" and e.object_id}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def registrations_named(events) -> dict[int, str]:
    """The China numbers of the registrations a page of events acts on, by id, in one query:
    the page names a registration by its number, as its own page does."""
    ids = {e.object_id for e in events if e.object_type == "registration" and e.object_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Registration.id, Registration.china_number)
                                   .where(Registration.id.in_(ids))).all())


# `data` last (a column added later leaves the others where readers found them): what the
# page shows beside the action, such as a role's change or the API token a row came through.
CSV_COLUMNS = ("seq", "at_utc", "actor_email", "actor_name", "action", "action_label",
               "object_type", "object_id", "application", "from_state", "to_state", "comment",
               "hash", "data")


def events_csv(actor, filters: AuditFilters, labels: dict) -> Iterator[str]:
    """Take an administrator, the page's filters and the actions' labels; yield the filtered
    trail as CSV lines, a header first, read from the database a thousand rows at a time.

    :raise PermissionDenied: not an administrator (before the first line).
    """
    require_admin(actor)
    order = AuditEvent.seq.asc() if filters.oldest_first else AuditEvent.seq.desc()
    query = (select(AuditEvent, User.email, User.full_name)
             .outerjoin(User, User.id == AuditEvent.actor_id)
             .where(*_conditions(filters)).order_by(order).execution_options(yield_per=1000))
    return spreadsheets.lines(itertools.chain([CSV_COLUMNS], _rows(query, labels)))


def _rows(query, labels: dict) -> Iterator[tuple]:
    """The query's rows as CSV values; the query runs at the first row, and its cursor (a
    server-side one on PostgreSQL) is closed however the download ends."""
    result = db.session.execute(query)
    try:
        for e, email, name in result:
            yield (e.seq, e.at.isoformat(), email or "", name or "", e.action,
                   labels.get(e.action, e.action), e.object_type, e.object_id,
                   application_reference(e.application_id) if e.application_id else "",
                   e.from_state or "", e.to_state or "", e.comment, e.hash,
                   json.dumps(e.data, ensure_ascii=False, sort_keys=True) if e.data else "")
    finally:
        result.close()


def chain_state(actor) -> ChainState:
    """Take an administrator; return the chain's length and its newest signed anchor."""
    require_admin(actor)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    anchor = db.session.scalar(select(AuditAnchor).order_by(AuditAnchor.day.desc()).limit(1))
    return ChainState(events, anchor.day if anchor else None, anchor.seq if anchor else None)
