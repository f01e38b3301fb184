"""Idempotency keys: the first answer to a POST is stored and replayed to its retries.

After the IETF draft "The Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-key-
header): a key reused with another request is refused (422); a key whose first request is still
running is refused with 409, and the client retries later to get the stored answer. A claim
whose request never finished (its server died, or the database went away under it) is taken
over by the next retry after ABANDONED_AFTER; the daily run forgets records after KEEP_FOR.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from certtrack.extensions import db
from certtrack.models import IdempotencyRecord, User
from certtrack.models.base import utcnow
from certtrack.services.errors import Conflict, ValidationFailed
from certtrack.services.transaction import transaction

KEEP_FOR = timedelta(days=1)
# Longer than any request may run (gunicorn's timeout is 60 s): a claim still without an answer
# after this was abandoned by a request that died.
ABANDONED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class StoredAnswer:
    """The answer given to the first request with the key."""

    status: int
    headers: dict
    body: bytes


def claim(actor: User, key: str, request_hash: str) -> int | StoredAnswer:
    """Claim `key` for this request: its record's id, or the stored answer of an earlier one.

    The unique (user, key) constraint decides between racing requests: the loser reads the
    winner's record.
    :raise ValidationFailed: the key was used with a different request.
    :raise Conflict: the first request with the key has not finished yet.
    """
    try:
        with transaction():
            record = IdempotencyRecord(user_id=actor.id, key=key, request_hash=request_hash)
            db.session.add(record)
            db.session.flush()
            record_id = record.id
        return record_id
    except IntegrityError:
        pass
    existing = db.session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.user_id == actor.id, IdempotencyRecord.key == key))
    if existing is None:  # the first request failed and let the key go meanwhile
        raise Conflict(_("A request with this Idempotency-Key is still being processed."))
    if existing.request_hash != request_hash:
        raise ValidationFailed({"Idempotency-Key": [_(
            "This Idempotency-Key was used with a different request.")]})
    if existing.status is None:
        if _take_over(existing.id):
            return existing.id
        raise Conflict(_("A request with this Idempotency-Key is still being processed."))
    return StoredAnswer(existing.status, dict(existing.headers), existing.body or b"")


def _take_over(record_id: int, now=None) -> bool:
    """Claim a record whose request was abandoned; one UPDATE, so one of racing retries wins."""
    now = now or utcnow()
    with transaction():
        result = db.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id, IdempotencyRecord.status.is_(None),
                   IdempotencyRecord.created_at < now - ABANDONED_AFTER)
            .values(created_at=now)
            .execution_options(synchronize_session=False))
    return result.rowcount == 1


def store(record_id: int, status: int, headers: dict, body: bytes) -> None:
    """Keep the answer of the request that claimed the record."""
    with transaction():
        record = db.session.get(IdempotencyRecord, record_id)
        record.status, record.headers, record.body = status, headers, body


def release(record_id: int) -> None:
    """Let the key go after a failure on our side, so that a retry runs again."""
    with transaction():
        db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))


def purge(now=None) -> int:
    """Forget records older than a day; return how many."""
    limit = (now or utcnow()) - KEEP_FOR
    with transaction():
        result = db.session.execute(delete(IdempotencyRecord)
                                    .where(IdempotencyRecord.created_at < limit))
    return result.rowcount
