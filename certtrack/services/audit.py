"""Append events to the chained audit trail and verify the chain."""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from certtrack.extensions import db
from certtrack.models import AuditEvent, AuditHead, Certificate, Registration
from certtrack.models.audit import GENESIS_HASH
from certtrack.models.base import utcnow


def canonical_content(event: AuditEvent) -> str:
    """The event's fields as canonical JSON: the bytes its hash covers, besides `prev_hash`.

    The time is written in UTC: PostgreSQL returns timestamps in the session's time zone, and
    the same instant must give the same bytes.
    """
    content = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "application_id": event.application_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
        "data": event.data,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    """SHA-256 of the previous hash followed by the event's canonical content."""
    return hashlib.sha256((prev_hash + canonical_content(event)).encode()).hexdigest()


# The channel a request came through when it is not a page: the access token, named in every
# audit row the request writes (`data["via"]`), so that a machine's writes can be told apart.
_channel: ContextVar[dict | None] = ContextVar("audit_channel", default=None)


@contextmanager
def acting_through(channel: dict) -> Iterator[None]:
    """Name `channel` (e.g. {"token_id": 3, "token_name": "ERP"}) in the rows written inside."""
    reset = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(reset)


def ensure_audit_head() -> None:
    """Create the chain's tip row if the database has none (no commit)."""
    if db.session.get(AuditHead, 1) is None:
        db.session.add(AuditHead(id=1, seq=0, last_hash=GENESIS_HASH))
        db.session.flush()


def record_event(actor, action: str, *, object_type: str, object_id: int | None = None,
                 application_id: int | None = None, from_state: str | None = None,
                 to_state: str | None = None, comment: str = "",
                 data: dict | None = None) -> AuditEvent:
    """Append an event in the caller's transaction; the caller commits.

    Moving the tip with an UPDATE first takes the write lock, so concurrent appends queue up
    instead of forking the chain.
    """
    ensure_audit_head()
    if (channel := _channel.get()) is not None:
        data = {**(data or {}), "via": channel}
    tip = db.session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.last_hash)
    ).one()
    event = AuditEvent(
        seq=tip.seq, at=utcnow(), actor_id=actor.id if actor is not None else None,
        action=action, object_type=object_type, object_id=object_id,
        application_id=application_id, from_state=from_state, to_state=to_state,
        comment=comment or "", data=data or {}, prev_hash=tip.last_hash,
    )
    event.hash = chain_hash(tip.last_hash, event)
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=event.hash))
    db.session.add(event)
    return event


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification: rows checked and the first broken row, if any."""

    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every link in order; stop at the first row whose hash or link is wrong."""
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    result = db.session.scalars(query)
    try:
        report = _walk_chain(result)
    finally:
        result.close()  # a server-side cursor left open on an early return would leak
    if report is not None:
        return report
    checked = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    head = db.session.get(AuditHead, 1)
    if head is not None and head.seq != checked:
        return ChainReport(checked, checked + 1, "missing row")
    return ChainReport(checked)


def _walk_chain(events) -> ChainReport | None:
    """The report of the first broken row among `events` (in seq order), or None if intact."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, "missing row")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "link to the previous row broken")
        if chain_hash(prev_hash, event) != event.hash:
            return ChainReport(checked, event.seq, "content does not match its hash")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    return None


def registration_history(registration: Registration) -> list[AuditEvent]:
    """Take a registration; return its audit events, oldest first: the listing, its status
    changes, and the issue, replacement and revocation of its certificates."""
    certificate_ids = select(Certificate.id).where(
        Certificate.registration_id == registration.id).scalar_subquery()
    query = select(AuditEvent).where(or_(
        and_(AuditEvent.object_type == "registration", AuditEvent.object_id == registration.id),
        and_(AuditEvent.application_id == registration.application_id,
             AuditEvent.action == "record_registration"),
        and_(AuditEvent.object_type == "certificate", AuditEvent.object_id.in_(certificate_ids),
             AuditEvent.application_id == registration.application_id),
    )).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.seq)
    return list(db.session.scalars(query))


def timeline(application) -> list[AuditEvent]:
    """The application's audit events, oldest first, with their actors loaded."""
    query = (select(AuditEvent).where(AuditEvent.application_id == application.id)
             .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.seq))
    return list(db.session.scalars(query))
