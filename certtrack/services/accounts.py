"""Sign-in with throttling, passwords, and the accounts administrators manage."""

from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Region, User
from certtrack.models.base import utcnow
from certtrack.models.user import COMMITTEES, ROLES, LoginAttempt
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, Throttled, ValidationFailed
from certtrack.services.inputs import AccountInput
from certtrack.services.permissions import SYSTEM, require_admin
from certtrack.services.transaction import transaction

PASSWORD_MIN, PASSWORD_MAX = 12, 128


@cache
def _dummy_hash(method: str) -> str:
    """Checked when the e-mail is unknown, so that a miss costs as much time as a wrong password:
    made with the configured method, as the real hashes are."""
    return generate_password_hash("certtrack-timing-equaliser", method=method)


@cache
def common_passwords() -> frozenset[str]:
    """The local list of common passwords, lower-cased."""
    path = Path(__file__).resolve().parent.parent / "reference" / "common_passwords.txt"
    text = path.read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_problems(password: str) -> list[str]:
    """Messages for every rule the password breaks (length and the common-password list)."""
    if len(password) < PASSWORD_MIN:
        return [_("Use at least %(n)d characters.", n=PASSWORD_MIN)]
    if len(password) > PASSWORD_MAX:
        return [_("Use at most %(n)d characters.", n=PASSWORD_MAX)]
    if password.lower() in common_passwords():
        return [_("This password is too common; choose another.")]
    return []


def _throttle_keys(email: str, address: str | None) -> list[tuple[str, int]]:
    config = current_app.config
    keys = [(f"account:{email}", config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])]
    if address:
        keys.append((f"address:{address}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return keys


def _check_throttle(keys: list[tuple[str, int]]) -> None:
    window = current_app.config["LOGIN_THROTTLE_WINDOW"]
    since = utcnow() - window
    for key, limit in keys:
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginAttempt.at))
            .where(LoginAttempt.key == key, LoginAttempt.at >= since)
        ).one()
        if count >= limit:
            retry = max(1, int((oldest + window - utcnow()).total_seconds()))
            minutes = (retry + 59) // 60
            raise Throttled(
                _("Too many failed sign-ins. Try again in %(m)d minutes.", m=minutes), retry
            )


def authenticate(email: str, password: str, address: str | None) -> User:
    """Return the active user with these credentials and record the sign-in.

    Throttling is checked before the password hash, per account and per client address.
    :raise Throttled: too many recent failures for the account or the address.
    :raise ValidationFailed: unknown e-mail, wrong password or disabled account (one message).
    """
    email = email.strip().lower()
    keys = _throttle_keys(email, address)
    _check_throttle(keys)
    user = db.session.scalar(select(User).where(User.email == email))
    method = current_app.config["PASSWORD_HASH_METHOD"]
    valid = check_password_hash(user.password_hash if user else _dummy_hash(method), password)
    if user is None or not valid or not user.is_active:
        with transaction():
            for key, _limit in keys:
                db.session.add(LoginAttempt(key=key))
            record_event(SYSTEM, "login_failed", object_type="user",
                         object_id=user.id if user else None, data={"email": email})
        raise ValidationFailed({"": [_("Invalid e-mail or password.")]})
    with transaction():
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0][0]))
        user.last_login_at = utcnow()
        record_event(user, "login", object_type="user", object_id=user.id)
    return user


def record_logout(user: User) -> None:
    """Revoke every session of the user (the session version moves on) and log it."""
    with transaction():
        user.session_version += 1
        record_event(user, "logout", object_type="user", object_id=user.id)


def _account_errors(data: AccountInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.role not in ROLES:
        errors["role"] = [_("Choose a role.")]
    if data.role == Role.laboratory and not data.laboratory_id:
        errors["laboratory_id"] = [_("A laboratory's account names its laboratory.")]
    if data.is_inspector:
        if data.committee not in COMMITTEES:
            errors["committee"] = [_("An inspector belongs to a committee.")]
        if not data.regions:
            errors["regions"] = [_("An inspector covers at least one region.")]
    return errors


def _regions(data: AccountInput) -> list[Region]:
    codes = (data.regions or []) if data.is_inspector else []
    return list(db.session.scalars(select(Region).where(Region.code.in_(codes))))


def create_user(actor, data: AccountInput) -> User:
    """Create an account (email, full_name, password, role, committee, regions).

    `actor` SYSTEM means the command line. All problems are reported together.
    :raise PermissionDenied: the actor is not an administrator.
    :raise ValidationFailed: duplicate e-mail, weak password, missing committee or regions.
    """
    require_admin(actor)
    email = data.email.strip().lower()
    errors = _account_errors(data)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = [_("An account with this e-mail already exists.")]
    if problems := password_problems(data.password):
        errors["password"] = problems
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email, full_name=data.full_name.strip(), role=Role(data.role),
        password_hash=_hash(data.password),
        committee=data.committee if data.is_inspector else None,
        laboratory_id=data.laboratory_id if data.role == Role.laboratory else None,
        regions=_regions(data),
    )
    with transaction():
        db.session.add(user)
        db.session.flush()
        record_event(actor, "user_created", object_type="user", object_id=user.id,
                     data={"email": email, "role": user.role})
    return user


def get_user(actor: User, user_id: int) -> User:
    """The account `user_id` for an administrator.

    :raise PermissionDenied: the actor is not an administrator.
    :raise NotFound: no such account.
    """
    require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such account."))
    return user


def update_user(actor, user: User, data: AccountInput) -> None:
    """Change name, role, committee, regions and active flag; disabling revokes sessions.

    :raise ValidationFailed: missing committee or regions, or an admin disabling themself.
    """
    require_admin(actor)
    errors = _account_errors(data)
    if user.id == actor.id and (not data.is_active or data.role != Role.admin):
        errors[""] = [_("You cannot disable your own account or remove your own admin role.")]
    if errors:
        raise ValidationFailed(errors)
    before = {"role": user.role, "is_active": user.is_active}
    with transaction():
        user.full_name = data.full_name.strip()
        user.role = Role(data.role)
        user.committee = data.committee if data.is_inspector else None
        user.regions = _regions(data)
        if user.is_active != data.is_active or before["role"] != user.role:
            user.session_version += 1
        user.is_active = data.is_active
        record_event(actor, "user_updated", object_type="user", object_id=user.id,
                     data={"before": before, "after": {"role": user.role,
                                                       "is_active": user.is_active}})


def reset_password(actor: User, user: User, new_password: str) -> None:
    """Set a new password chosen by an administrator and revoke the user's sessions.

    :raise ValidationFailed: the password breaks a rule.
    """
    require_admin(actor)
    if problems := password_problems(new_password):
        raise ValidationFailed({"password": problems})
    with transaction():
        user.password_hash = _hash(new_password)
        user.session_version += 1
        record_event(actor, "password_reset", object_type="user", object_id=user.id)


def change_password(user: User, current: str, new_password: str) -> None:
    """Change one's own password; other sessions are revoked (the caller renews its own).

    :raise ValidationFailed: the current password is wrong or the new one breaks a rule.
    """
    errors: dict[str, list[str]] = {}
    if not check_password_hash(user.password_hash, current):
        errors["current_password"] = [_("The current password is not correct.")]
    if problems := password_problems(new_password):
        errors["new_password"] = problems
    if errors:
        raise ValidationFailed(errors)
    with transaction():
        user.password_hash = _hash(new_password)
        user.session_version += 1
        record_event(user, "password_changed", object_type="user", object_id=user.id)


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed({"locale": [_("Unknown language.")]})
    with transaction():
        user.locale = locale


def session_user(user_id, version) -> User | None:
    """The user a session cookie names, if the account is active and the session not revoked."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.is_active or user.session_version != version:
        return None
    return user


def list_users(actor: User, *, text: str = "", role: str | None = None, page: int = 1):
    """One page of accounts for administrators, filtered by role and name or e-mail."""
    require_admin(actor)
    query = select(User).order_by(User.role, User.email)
    if role:
        query = query.where(User.role == role)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(func.lower(User.email).like(pattern)
                            | func.lower(User.full_name).like(pattern))
    return db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"], error_out=False)
