"""Passwords, language and the accounts administrators manage (sign-in: services.sign_in)."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from certtrack.domain.workflow import Role
from certtrack.extensions import contains_pattern, db, folded
from certtrack.models import AuditEvent, Laboratory, Region, User
from certtrack.models.user import COMMITTEES, ROLES
from certtrack.services import passwords, reauthentication, review, tokens
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.inputs import AccountInput
from certtrack.services.permissions import require_admin, require_admin_of_another
from certtrack.services.reasons import reason_errors
from certtrack.services.sessions import end_sessions
from certtrack.services.transaction import check_loaded_version, stale_message, transaction

PASSWORD_MIN, PASSWORD_MAX = passwords.PASSWORD_MIN, passwords.PASSWORD_MAX


def hash_password(password: str) -> str:
    """The stored hash of a password, by the configured method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_problems(password: str, email: str = "", full_name: str = "", *,
                      own: bool = True) -> list[str]:
    """Messages for every rule the password breaks (services.passwords); the account's e-mail
    and name count as guessable words. `own` false: an administrator chooses the password of
    someone else's account, and the message speaks of that person's address and name."""
    words = [part for part in (email.split("@")[0], *full_name.split()) if part]
    # zxcvbn weighs them, but "name@domain.kz" whole still scored as strong.
    typed = password.lower()
    if any(len(word) >= 4 and word.lower() in typed for word in (email, *words)):
        return [_("Choose a password without your e-mail address or name in it.") if own else
                _("Choose a password without the person's e-mail address or name in it.")]
    return passwords.password_problems(password, words)


def account_errors(data: AccountInput) -> dict[str, list[str]]:
    """Take an account's entries (an entry the form could not read given as None); return
    the errors of its role, committee, regions, laboratory and language at once. Changes
    nothing."""
    errors: dict[str, list[str]] = {}
    if data.locale and data.locale not in current_app.config["LANGUAGES"]:
        errors["locale"] = [_("Unknown language.")]
    if data.role not in ROLES:
        errors["role"] = [_("Choose a role.")]
    if data.role == Role.laboratory and (
            not data.laboratory_id or db.session.get(Laboratory, data.laboratory_id) is None):
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


def new_account_errors(data: AccountInput) -> dict[str, list[str]]:
    """account_errors() of a new account, an e-mail another account has, and a password
    given that breaks a rule. Changes nothing."""
    errors = account_errors(data)
    email = (data.email or "").strip().lower()
    if email and db.session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = [_("An account with this e-mail already exists.")]
    if data.password and (problems := password_problems(data.password, email,
                                                        data.full_name or "", own=False)):
        errors["password"] = problems
    return errors


def create_user(actor, data: AccountInput) -> User:
    """Create an account (email, full_name, password, role, committee, regions, language).

    `actor` SYSTEM means the command line. All problems are reported together.
    :raise PermissionDenied: the actor is not an administrator.
    :raise ValidationFailed: duplicate e-mail, weak password, missing committee or regions.
    """
    require_admin(actor)
    email = data.email.strip().lower()
    errors = new_account_errors(data)
    if problems := password_problems(data.password, email, data.full_name, own=False):
        errors["password"] = problems
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email, full_name=data.full_name.strip(), role=Role(data.role),
        password_hash=hash_password(data.password),
        committee=data.committee if data.is_inspector else None,
        laboratory_id=data.laboratory_id if data.role == Role.laboratory else None,
        regions=_regions(data), locale=data.locale or None,
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


def missing_reasons(user: User, data: AccountInput) -> dict[str, list[str]]:
    """What disabling an active account, or giving it a new role, lacks: a reason of a few
    words (kept in the audit row), as every other final step asks."""
    errors = {}
    if user.is_active and not data.is_active:
        errors |= _reason_errors(data.reason, "reason", _("Say why the account is disabled."))
    if data.role and data.role != user.role:
        errors |= _reason_errors(data.role_reason, "role_reason",
                                 _("Say why the role changes."))
    return errors


def _reason_errors(reason: str | None, field: str, missing: str) -> dict[str, list[str]]:
    if not (reason or "").strip():
        return {field: [missing]}
    return reason_errors(reason, field)


def _reasons(user: User, data: AccountInput) -> str:
    """The audit row's comment: why the account is disabled, why its role changes."""
    return "; ".join(reason for reason, given in (
        ((data.reason or "").strip(), user.is_active and not data.is_active),
        ((data.role_reason or "").strip(), data.role != user.role)) if given and reason)


def last_disabled(user: User) -> AuditEvent | None:
    """The audit row that disabled the account (who, when, why), while it is disabled."""
    if user.is_active:
        return None
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id,
        AuditEvent.action == "user_disabled").order_by(AuditEvent.seq.desc()).limit(1))


def update_user(actor, user: User, data: AccountInput) -> list[str] | None:
    """Change name, role, committee, regions, language (when one is given) and active flag;
    disabling or a new role ends the sessions, and a new role revokes the API tokens. The open
    applications assigned to an inspector disabled, given another role or moved to another
    committee are unassigned (review.release_assignments); return their references (None:
    the edit changes nothing, and nothing is written or audited).

    :raise ValidationFailed: missing committee or regions, an unknown language, an admin
        disabling themself, an active account disabled or a role changed without a reason.
    :raise Conflict: edited by another administrator since the page was loaded.
    """
    require_admin(actor)
    if errors := _edit_errors(actor, user, data):
        raise ValidationFailed(errors)
    check_loaded_version(user, data.version)
    if not _changes(user, data):
        return None
    before = {"role": user.role, "is_active": user.is_active, "locale": user.locale}
    comment = _reasons(user, data)
    with transaction():
        moved = db.session.execute(  # the version moves on once: a racing edit finds 0 rows
            update(User).where(User.id == user.id, User.version == user.version)
            .values(version=User.version + 1).execution_options(synchronize_session=False))
        if moved.rowcount != 1:
            raise Conflict(stale_message())
        db.session.expire(user, ["version"])
        _set_entries(user, data)
        revoked = 0
        if user.is_active != data.is_active or before["role"] != user.role:
            user.session_version += 1
            end_sessions(user)
        if before["role"] != user.role:
            revoked = tokens.revoke_all(user, f"role changed from {before['role']} to "
                                              f"{user.role}")
        action = ("user_updated" if user.is_active == data.is_active else
                  "user_enabled" if data.is_active else "user_disabled")
        user.is_active = data.is_active
        released = review.release_assignments(actor, user)
        record_event(actor, action, object_type="user", object_id=user.id,
                     comment=comment,
                     data={"before": before, "after": {"role": user.role,
                                                       "is_active": user.is_active,
                                                       "locale": user.locale},
                           **({"tokens_revoked": revoked} if revoked else {}),
                           **({"unassigned": released} if released else {})})
    return released


def _edit_errors(actor, user: User, data: AccountInput) -> dict[str, list[str]]:
    """account_errors() of the edit, an administrator disabling themself or giving up their
    role, an account disabled or a role changed without a reason."""
    errors = account_errors(data)
    if user.id == actor.id and (not data.is_active or data.role != Role.admin):
        errors[""] = [_("You cannot disable your own account or remove your own admin role.")]
    else:
        errors |= missing_reasons(user, data)
    return errors


def _changes(user: User, data: AccountInput) -> bool:
    """Whether saving the edit would change the account at all."""
    committee = data.committee if data.is_inspector else None
    laboratory_id = data.laboratory_id if data.role == Role.laboratory else None
    regions = set(data.regions or []) if data.is_inspector else set()
    return ((user.full_name, user.role, user.committee, user.laboratory_id, user.region_codes,
             user.locale, user.is_active)
            != (data.full_name.strip(), data.role, committee, laboratory_id, regions,
                data.locale or user.locale, data.is_active))


def _set_entries(user: User, data: AccountInput) -> None:
    """Give the account the edit's name, role, committee, laboratory, regions and language
    (kept when the edit gives none)."""
    user.full_name = data.full_name.strip()
    user.role = Role(data.role)
    user.committee = data.committee if data.is_inspector else None
    user.laboratory_id = data.laboratory_id if data.role == Role.laboratory else None
    user.regions = _regions(data)
    user.locale = data.locale or user.locale


def reset_password(actor: User, user: User, new_password: str, reason: str) -> None:
    """Set a new password chosen by an administrator and revoke the user's sessions and API
    tokens (a reset is how an account taken over is won back: a token made meanwhile kept
    reading and writing); `reason` goes into the audit row.

    :raise PermissionDenied: not an administrator, or the administrator's own account.
    :raise ValidationFailed: no reason, or one under 10 characters; the password breaks a
        rule, or is the person's current one (it would sign them out and change nothing).
    """
    require_admin_of_another(actor, user)
    errors = reason_errors(reason)
    if problems := password_problems(new_password, user.email, user.full_name, own=False):
        errors["password"] = problems
    elif check_password_hash(user.password_hash, new_password):
        errors["password"] = [_("This is the person's current password: choose a new one.")]
    if errors:
        raise ValidationFailed(errors)
    set_password(actor, user, new_password, "password_reset", comment=reason.strip(),
                 revoke_tokens="password reset by an administrator")


def set_password(actor, user: User, new_password: str, action: str,
                 keep_session: str | None = None, comment: str = "",
                 revoke_tokens: str = "") -> None:
    """Store a password already held to the rules; end the user's sessions (all but
    `keep_session`), revoke the API tokens when `revoke_tokens` says why, and audit `action` by
    `actor` (with `comment`), in one transaction."""
    with transaction():
        user.password_hash = hash_password(new_password)
        user.session_version += 1
        end_sessions(user, keep=keep_session)
        revoked = tokens.revoke_all(user, revoke_tokens) if revoke_tokens else 0
        record_event(actor, action, object_type="user", object_id=user.id, comment=comment,
                     data={"tokens_revoked": revoked} if revoked else None)


def change_password(user: User, current: str, new_password: str,
                    keep_session: str | None = None) -> None:
    """Change one's own password; other sessions are revoked and ended, all but the one of
    the cookie `keep_session` (the caller renews it).

    :raise ValidationFailed: the current password is wrong or the new one breaks a rule.
    """
    if errors := password_change_errors(user, current, new_password):
        raise ValidationFailed(errors)
    set_password(user, user, new_password, "password_changed", keep_session)


def password_change_errors(user: User, current: str, new_password: str) -> dict[str, list[str]]:
    """What is wrong with a change of one's own password: the current one (checked under the
    re-authentication throttle), the new one's rules; {} when nothing. Changes nothing else.

    :raise ValidationFailed: too many wrong current passwords (reauthentication.checked).
    """
    errors: dict[str, list[str]] = {}
    if not reauthentication.checked(user, "current_password",
                                    lambda: check_password_hash(user.password_hash, current)):
        errors["current_password"] = [_("The current password is not correct.")]
    if problems := password_problems(new_password, user.email, user.full_name):
        errors["new_password"] = problems
    elif check_password_hash(user.password_hash, new_password):
        errors["new_password"] = [_("Choose a new password, not the current one.")]
    return errors


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed({"locale": [_("Unknown language.")]})
    with transaction():
        user.locale = locale


# The orders of the accounts list: by role (then e-mail), by name, or the latest sign-in first
# (never signed in last: a newcomer whose invitation waits).
USER_SORTS = {
    "role": (User.role, User.email),
    "name": (folded(User.full_name), User.email),
    "last_login": (User.last_login_at.is_(None), User.last_login_at.desc(), User.email),
}


def list_users(actor: User, *, text: str = "", role: str | None = None, page: int = 1,
               sort: str = "role"):
    """One page of accounts for administrators, filtered by role and name or e-mail, in the
    order `sort` (a key of USER_SORTS)."""
    require_admin(actor)
    query = select(User).options(selectinload(User.laboratory)).order_by(
        *USER_SORTS.get(sort, USER_SORTS["role"]))
    if role:
        query = query.where(User.role == role)
    if text.strip():
        pattern = contains_pattern(text.strip().lower())
        query = query.where(folded(User.email).like(pattern, escape="\\")
                            | folded(User.full_name).like(pattern, escape="\\"))
    return db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"], error_out=False)
