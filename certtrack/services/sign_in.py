"""Sign-in: throttled before the password is checked, with the second factor, a session record
and an audit row for every success, failure and refusal.

Whose failures slow an attempt down depends on what it brings (docs/security.md item 3): from a
known device (a signed cookie of an earlier sign-in to this account) only that device's own
failures count; with a valid TOTP code only the failures of attempts that also had one; from
anywhere else, the client address's and the account's. So strangers guessing a password never
block the owner who comes back on their own device or with their authenticator.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from certtrack.extensions import db
from certtrack.models import LoginAttempt, User
from certtrack.models.base import utcnow
from certtrack.services import sessions, throttle, two_factor
from certtrack.services.audit import record_event
from certtrack.services.errors import Throttled, ValidationFailed
from certtrack.services.permissions import SYSTEM
from certtrack.services.transaction import transaction

ATTEMPTS_KEPT_DAYS = 90


@dataclass(frozen=True)
class Attempt:
    """What a sign-in brings: credentials, an optional code (TOTP or recovery), the client's
    address, the device id of a valid known-device cookie and the browser's name."""

    email: str
    password: str
    code: str = ""
    address: str | None = None
    device: tuple[int, str] | None = None  # (user id, device id) from the signed cookie
    user_agent: str = ""
    language: str = ""  # the page's: kept as the account's when it has none (e-mails use it)


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the user, the session id for the cookie, and whether the user must
    set up a second factor before anything else."""

    user: User
    session_token: str
    must_enrol: bool


@cache
def _dummy_hash(method: str) -> str:
    """Checked when the e-mail is unknown, so that a miss costs as much time as a wrong password:
    made with the configured method, as the real hashes are."""
    return generate_password_hash("certtrack-timing-equaliser", method=method)


def _keys(attempt: Attempt, email: str, user: User | None) -> list[tuple[str, str]]:
    """(key, policy kind) pairs this attempt is counted under, the address first."""
    if user is not None and attempt.device is not None and attempt.device[0] == user.id:
        return [("device:" + throttle.keyed_hash(attempt.device[1], "device")[:40], "account")]
    if user is not None and user.has_totp and two_factor.matching_step(user, attempt.code):
        return [(f"totp:{user.id}", "account")]
    keys = [("address:" + throttle.keyed_hash(attempt.address)[:40], "address")]
    return keys + [("account:" + throttle.keyed_hash(email, "account")[:40], "account")]


def _log(user: User | None, attempt: Attempt, outcome: str, email: str, action: str,
         data: dict | None = None) -> None:
    with transaction():
        db.session.add(LoginAttempt(user_id=user.id if user else None, outcome=outcome,
                                    address_hash=throttle.keyed_hash(attempt.address)))
        record_event(SYSTEM, action, object_type="user", object_id=user.id if user else None,
                     data={"email": email, **(data or {})})


def _take(keys: list[tuple[str, str]], attempt: Attempt, email: str, user: User | None) -> None:
    """Take a slot under every key, or refuse (audited) at the first that must wait."""
    for key, kind in keys:
        with transaction():
            decision = throttle.take(key, throttle.login_policy(kind))
        if not decision.allowed:
            _log(user, attempt, "refused", email, "login_refused",
                 {"kind": key.split(":")[0], "retry_after": decision.retry_after})
            minutes = (decision.retry_after + 59) // 60
            raise Throttled(ngettext("Too many failed sign-ins. Try again in %(num)d minute.",
                                     "Too many failed sign-ins. Try again in %(num)d minutes.",
                                     minutes), decision.retry_after)


def _second_factor(user: User, code: str) -> tuple[bool, int | None, int | None]:
    """(passes, TOTP step, recovery code id) for a user whose password matched."""
    if not user.has_totp:
        return True, None, None
    step = two_factor.matching_step(user, code)
    recovery = None if step is not None else two_factor.recovery_code_id(user, code)
    return step is not None or recovery is not None, step, recovery


def authenticate(attempt: Attempt) -> SignedIn:
    """Sign in: throttle, check the password and the second factor, record the session.

    :raise Throttled: the attempt must wait (nothing about the password was checked).
    :raise ValidationFailed: unknown e-mail, wrong password or code, disabled account.
    """
    email = attempt.email.strip().lower()
    user = db.session.scalar(select(User).where(User.email == email))
    keys = _keys(attempt, email, user)
    _take(keys, attempt, email, user)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    valid = check_password_hash(user.password_hash if user else _dummy_hash(method),
                                attempt.password)
    ok = valid and user is not None and user.is_active
    passes, step, recovery = _second_factor(user, attempt.code) if ok else (False, None, None)
    token = None
    if passes:
        with transaction():
            if (step is None and recovery is None) or two_factor.consume(user, step, recovery):
                token = _succeed(user, keys, attempt)
    if token is None:
        _log(user, attempt, "failed", email, "login_failed")
        raise ValidationFailed({"": [_("Invalid e-mail, password or authentication code.")]})
    return SignedIn(user, token, two_factor.required(user) and not user.has_totp)


def _succeed(user: User, keys: list[tuple[str, str]], attempt: Attempt) -> str:
    """Clear the account's and device's failures, take this attempt back from the address's
    (only its failures count: one office signs many people in), note the sign-in, start the
    session."""
    for key, kind in keys:
        if kind == "address":
            throttle.refund(key, throttle.login_policy(kind))
        else:
            throttle.clear(key)
    user.last_login_at = utcnow()
    if user.locale is None and attempt.language in current_app.config["LANGUAGES"]:
        user.locale = attempt.language  # e-mails then come in the language they sign in in
    record_event(user, "login", object_type="user", object_id=user.id)
    return sessions.start_session(user, attempt.user_agent)


def sign_out(user: User, token: str | None) -> None:
    """End this session and log it."""
    with transaction():
        sessions.end_by_token(token)
        record_event(user, "logout", object_type="user", object_id=user.id)


def purge_attempts() -> int:
    """Delete failed and refused sign-ins older than 90 days and idle throttle counters (the
    daily run); return how many sign-ins went."""
    since = utcnow() - timedelta(days=ATTEMPTS_KEPT_DAYS)
    with transaction():
        done = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
        throttle.purge_counters()
    return done.rowcount or 0


def record_rate_refusal(address: str | None) -> None:
    """Log and audit a sign-in refused by the request-rate limit of an address."""
    with transaction():
        db.session.add(LoginAttempt(user_id=None, outcome="refused",
                                    address_hash=throttle.keyed_hash(address)))
        record_event(SYSTEM, "login_refused", object_type="user", data={"kind": "rate"})
