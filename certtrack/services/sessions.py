"""Server-side records of signed-in sessions: an idle timeout (shorter for staff), an absolute
lifetime, and a list on the account page from which a user ends their own sessions."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from certtrack.domain.workflow import STAFF_ROLES
from certtrack.extensions import db
from certtrack.models import User, UserSession
from certtrack.models.base import utcnow
from certtrack.services.errors import NotFound
from certtrack.services.transaction import transaction

# The last-seen time is written at most this often, not on every request.
TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, user_agent: str = "") -> str:
    """Record a new session in the caller's transaction; return the id for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=_digest(token), user_id=user.id, created_at=utcnow(),
                               last_seen_at=utcnow(), user_agent=(user_agent or "")[:200]))
    return token


def idle_timeout(user: User) -> timedelta:
    """How long a session of this user may stay unused."""
    config = current_app.config
    return config["SESSION_IDLE_TIMEOUT_STAFF" if user.role in STAFF_ROLES
                  else "SESSION_IDLE_TIMEOUT"]


def _alive(user: User, record: UserSession, now) -> bool:
    return (record.ended_at is None
            and now - record.last_seen_at <= idle_timeout(user)
            and now - record.created_at <= current_app.config["PERMANENT_SESSION_LIFETIME"])


@dataclass(frozen=True)
class Lookup:
    """The user a session cookie names (None when it is not valid) and whether it expired."""

    user: User | None
    expired: bool = False


@cache
def _session_statement():
    """Every request runs it: built once (building it cost as much as running it)."""
    return (select(User, UserSession).join(UserSession, UserSession.user_id == User.id)
            .where(User.id == bindparam("user_id"), UserSession.id == bindparam("session_id")))


def session_user(user_id, version, token) -> Lookup:
    """The active user whose live session `token` is, touching its last-seen time."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return Lookup(None)
    if not isinstance(token, str):
        return Lookup(None)
    row = db.session.execute(_session_statement(),
                             {"user_id": user_id, "session_id": _digest(token)}).first()
    if row is None:
        return Lookup(None)
    user, record = row
    if not user.is_active or user.session_version != version:
        return Lookup(None)
    now = utcnow()
    if not _alive(user, record, now):
        return Lookup(None, expired=record.ended_at is None)
    if now - record.last_seen_at >= TOUCH_EVERY:
        with transaction():
            record.last_seen_at = now
    return Lookup(user)


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that have not ended or timed out, newest first."""
    now = utcnow()
    records = db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc()))
    return [record for record in records if _alive(user, record, now)]


def end_sessions(user: User, keep: str | None = None) -> None:
    """End the user's session records, but the one of the cookie `keep`, in the caller's
    transaction: when the user's session version changes (a new password, a disabled account,
    a reset second factor) their cookies are refused already, and their records leave the
    list of active sessions too."""
    conditions = [UserSession.user_id == user.id, UserSession.ended_at.is_(None)]
    if keep:
        conditions.append(UserSession.id != _digest(keep))
    db.session.execute(update(UserSession).where(*conditions).values(ended_at=utcnow())
                       .execution_options(synchronize_session=False))


def is_current(record: UserSession, token: str | None) -> bool:
    """True when `record` is the session of the cookie `token`."""
    return bool(token) and record.id == _digest(token)


def end_session(user: User, session_id: str) -> None:
    """End one of the user's own sessions (another's or an unknown id: 404).

    :raise NotFound: not a live session of this user.
    """
    with transaction():
        done = db.session.execute(update(UserSession).where(
            UserSession.id == str(session_id)[:64], UserSession.user_id == user.id,
            UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
        if done.rowcount != 1:
            raise NotFound(_("No such session."))


def end_by_token(token: str | None) -> None:
    """End the session of this cookie (signing out), in the caller's transaction."""
    if token:
        db.session.execute(update(UserSession).where(
            UserSession.id == _digest(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow()))
