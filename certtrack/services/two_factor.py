"""The second factor: TOTP (RFC 6238, pyotp) with QR enrolment (segno) and single-use recovery
codes; required for inspectors, registrars and administrators, optional for the others."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from certtrack.domain.workflow import STAFF_ROLES
from certtrack.extensions import db
from certtrack.models import RecoveryCode, User
from certtrack.models.base import utcnow
from certtrack.services import reauthentication
from certtrack.services.audit import record_event
from certtrack.services.errors import ValidationFailed
from certtrack.services.permissions import require_admin_of_another
from certtrack.services.reasons import require_reason
from certtrack.services.sessions import end_sessions
from certtrack.services.transaction import transaction

REQUIRED_FOR = STAFF_ROLES
ISSUER = "certtrack"
STEP = 30  # seconds, RFC 6238's default
DRIFT = 1  # steps accepted before and after the current one (clock skew, typing time)
RECOVERY_CODES = 10


def required(user: User) -> bool:
    """True when the user's role must sign in with a second factor."""
    return user.role in REQUIRED_FOR


def current_step(now: float | None = None) -> int:
    """The TOTP time step of `now` (default: the current time)."""
    return int((time.time() if now is None else now) // STEP)


def code_at(secret: str, step: int) -> str:
    """The six-digit code of `secret` at time step `step`."""
    return pyotp.TOTP(secret).generate_otp(step)


def current_code(secret: str) -> str:
    """The code an authenticator app shows now (the demo's `totp-code` command)."""
    return code_at(secret, current_step())


def matching_step(user: User, code: str, now: float | None = None) -> int | None:
    """The unused time step (within the drift) whose code is `code`, else None."""
    code = (code or "").replace(" ", "")
    if not user.totp_secret or len(code) != 6 or not code.isascii() \
            or not code.isdigit():
        return None
    now_step = current_step(now)
    for step in range(now_step - DRIFT, now_step + DRIFT + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(code_at(user.totp_secret, step), code):
            return step
    return None


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def recovery_code_id(user: User, code: str) -> int | None:
    """The id of the user's unused recovery code `code`, else None."""
    if not code or len(code) > 40:
        return None
    return db.session.scalar(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
        RecoveryCode.used_at.is_(None)))


def consume(user: User, step: int | None, recovery_id: int | None) -> bool:
    """Mark the TOTP step or the recovery code used, in the caller's transaction; False when a
    racing sign-in used it first."""
    if step is not None:
        done = db.session.execute(update(User).where(
            User.id == user.id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
            .values(totp_last_step=step).execution_options(synchronize_session=False))
        if done.rowcount == 1:
            set_committed_value(user, "totp_last_step", step)
        return done.rowcount == 1
    done = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.id == recovery_id, RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    if done.rowcount == 1:
        record_event(user, "recovery_code_used", object_type="user", object_id=user.id)
    return done.rowcount == 1


def begin_enrolment(user: User) -> str:
    """A fresh secret for the user to scan, kept unconfirmed until a code proves it.

    :raise ValidationFailed: a second factor is already in force.
    """
    if user.has_totp:
        raise ValidationFailed({"": [_("Two-step sign-in is already turned on.")]})
    with transaction():
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(user: User) -> str:
    """The enrolment QR code as an SVG data: URI (the page's CSP allows data: images)."""
    return segno.make(provisioning_uri(user), error="m").svg_data_uri(scale=5)


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    codes = [f"{code[:5]}-{code[5:]}" for code in codes]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return codes


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn the second factor on once `code` matches the pending secret; return the recovery
    codes, shown once (only their hashes are kept).

    :raise ValidationFailed: nothing pending, or the code does not match.
    """
    if user.has_totp or not user.totp_secret:
        raise ValidationFailed({"": [_("Start the set-up again.")]})
    step = matching_step(user, code)
    if step is None:
        raise ValidationFailed({"code": [_("This code does not match. Check the time of your "
                                           "device and enter the current code.")]})
    with transaction():
        user.totp_confirmed_at = utcnow()
        user.totp_last_step = step
        codes = _new_recovery_codes(user)
        record_event(user, "totp_enabled", object_type="user", object_id=user.id)
    return codes


def _current_step_of(user: User, code: str) -> int:
    """The unused step of a current code of the user's second factor in force.

    :raise ValidationFailed: no second factor, or the code does not match.
    """
    step = reauthentication.checked(
        user, "code", lambda: matching_step(user, code) if user.has_totp else None)
    if step is None:
        raise ValidationFailed({"code": [_("This code does not match. Check the time of your "
                                           "device and enter the current code.")]})
    return step


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), confirmed with a current TOTP code.

    :raise ValidationFailed: no second factor, or the code does not match.
    """
    step = _current_step_of(user, code)
    with transaction():
        user.totp_last_step = step
        codes = _new_recovery_codes(user)
        record_event(user, "recovery_codes_renewed", object_type="user", object_id=user.id)
    return codes


def remove_own_factor(user: User, code: str) -> None:
    """The user's own second factor removed, confirmed with a current code of the app: to
    turn it off, or to move it to a new phone (a role that requires one sets the new one up at
    once). The secret and the recovery codes go; the user's sessions stay.

    :raise ValidationFailed: no second factor, or the code does not match.
    """
    _current_step_of(user, code)
    with transaction():
        user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        record_event(user, "totp_removed", object_type="user", object_id=user.id)


def reset_factor(actor: User, user: User, reason: str) -> None:
    """An administrator removes a user's second factor (lost phone): secret and recovery codes
    go, every session of the user ends; staff set a new one at their next sign-in.

    :raise PermissionDenied: the actor is not an administrator, or the user is the actor.
    :raise ValidationFailed: no reason given, or one under 10 characters.
    """
    require_admin_of_another(actor, user)
    require_reason(reason)
    with transaction():
        had = user.has_totp
        user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        user.session_version += 1
        end_sessions(user)
        record_event(actor, "totp_reset", object_type="user", object_id=user.id,
                     comment=reason.strip(), data={"had_factor": had})


def set_known_secret(user: User, secret: str) -> None:
    """Give the account a fixed, confirmed secret: for the demo and the tests' accounts only
    (their codes can then be computed from outside)."""
    with transaction():
        user.totp_secret = secret
        user.totp_confirmed_at = utcnow()
        user.totp_last_step = None
