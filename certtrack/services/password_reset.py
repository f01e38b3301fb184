"""A forgotten password: a link e-mailed to the account's address, good for an hour and once;
an invitation to a new account: a link to choose its first password, good for a week and once
(asked for again as a forgotten password while the account was never signed in).

The link carries the account's id and a fingerprint of its password hash and session version,
signed with SECRET_KEY (itsdangerous; an invitation's with a salt of its own, so that a reset
link is never taken for one and lives no longer than PASSWORD_RESET_MAX_AGE): setting a
password (by this link or any other way) changes the fingerprint, so a link works once and
an older link no longer works. Whether an address has an account is never told: the page
answers the same either way. A second link is e-mailed to an account after RESEND_AFTER at
the earliest, so that nobody floods its inbox.
"""

import hashlib
import secrets
from dataclasses import replace
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, OutboxEmail, User
from certtrack.models.base import utcnow
from certtrack.services import queue
from certtrack.services.accounts import create_user, password_problems, set_password
from certtrack.services.audit import record_event
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import AccountInput
from certtrack.services.notifications import public_url
from certtrack.services.permissions import SYSTEM
from certtrack.services.transaction import transaction

SALT = "certtrack password reset"
INVITATION_SALT = "certtrack invitation"
RESEND_AFTER = timedelta(minutes=5)
DAY = 24 * 3600


def _serializer(salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def invitation_days() -> int:
    """How many days an invitation's link works (at least one)."""
    return max(1, current_app.config["INVITATION_MAX_AGE"] // DAY)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.session_version}".encode()).hexdigest()[:24]


def _sent_lately(user: User) -> bool:
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "password_reset_requested", AuditEvent.object_type == "user",
        AuditEvent.object_id == user.id, AuditEvent.at > utcnow() - RESEND_AFTER)
        .limit(1)) is not None


def request_reset(email: str, page_locale: str | None = None) -> None:
    """Take an address typed on the sign-in side and the language of the page it was typed
    on; e-mail a reset link to the active account that has it (nothing for an unknown or
    disabled address, or when a link went to it within RESEND_AFTER). Returns nothing either
    way. The e-mail is in the account's language, the one its owner chose or signed in in:
    whoever types an address cannot change it; an account that has none yet (never signed
    in) gets it in the page's language, which the person asking reads. An account never
    signed in gets its invitation again, good for as many days as the first (a newcomer
    whose invitation expired), not an hour's reset link."""
    address = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == address,
                                                User.is_active.is_(True)))
    if user is None or _sent_lately(user):
        db.session.rollback()
        return
    _send_link(user, welcome=user.last_login_at is None, page_locale=page_locale)


def invite(actor, data: AccountInput) -> User:
    """Take an administrator and a new account without a password; create it with a random
    one nobody knows and e-mail the person a link to choose their own.

    :raise ValidationFailed: as accounts.create_user.
    """
    password = secrets.token_urlsafe(32)
    while password_problems(password, data.email, data.full_name):  # four letters of a name
        password = secrets.token_urlsafe(32)
    user = create_user(actor, replace(data, password=password))
    _send_link(user, welcome=True)
    return user


def _send_link(user: User, welcome: bool, page_locale: str | None = None) -> None:
    salt = INVITATION_SALT if welcome else SALT
    token = _serializer(salt).dumps({"u": user.id, "f": _fingerprint(user)})
    url = public_url("password_reset.reset", token=token)
    languages = current_app.config["LANGUAGES"]
    locale = (user.locale if user.locale in languages else
              page_locale if page_locale in languages else
              current_app.config["BABEL_DEFAULT_LOCALE"])
    with force_locale(locale):
        subject, body = _invitation(user, url) if welcome else _reset_message(user, url)
    with transaction():
        db.session.add(OutboxEmail(recipient=user.email, subject=subject, body=body))
        record_event(SYSTEM, "password_reset_requested", object_type="user", object_id=user.id)
    if queue.known("send_emails"):
        queue.enqueue("send_emails")
    if not current_app.config.get("MAIL_SERVER") and current_app.config["ENV"] != "production":
        # A development or demo machine sends no e-mail: its console shows the link instead.
        current_app.logger.warning("No MAIL_SERVER: the password link for %s is %s",
                                   user.email, url)


def _invitation(user: User, url: str) -> tuple[str, str]:
    """The invitation's subject and body, in the current language."""
    return _("certtrack: your account is ready; choose its password"), ngettext(
        "An account on certtrack was created for you: %(email)s. Open this link within "
        "%(num)d day to choose its password (later, “Forgot your password?” on the "
        "sign-in page sends a new link):",
        "An account on certtrack was created for you: %(email)s. Open this link within "
        "%(num)d days to choose its password (later, “Forgot your password?” on the "
        "sign-in page sends a new link):", invitation_days(), email=user.email) + f"\n\n{url}\n"


def _reset_message(user: User, url: str) -> tuple[str, str]:
    """A reset link's subject and body, in the current language."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    return _("certtrack: choose a new password"), ngettext(
        "Someone, we hope you, asked to reset the password of your certtrack account "
        "%(email)s. Open this link within %(num)d minute to choose a new one:",
        "Someone, we hope you, asked to reset the password of your certtrack account "
        "%(email)s. Open this link within %(num)d minutes to choose a new one:",
        minutes, email=user.email) + f"\n\n{url}\n\n" + _(
        "If it was not you, ignore this e-mail: your password stays as it is.") + "\n"


def account_for(token: str) -> User | None:
    """The active account a reset link or an invitation is for, while the link is fresh and
    unused; else None."""
    data = (_load(token, SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])
            or _load(token, INVITATION_SALT, current_app.config["INVITATION_MAX_AGE"]))
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        return None
    return user


def _load(token: str, salt: str, max_age: int) -> dict | None:
    try:
        return _serializer(salt).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None


def expired_invitation(token: str) -> bool:
    """True when `token` is an invitation's, genuine but older than INVITATION_MAX_AGE."""
    try:
        _serializer(INVITATION_SALT).loads(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except SignatureExpired:
        return True
    except BadSignature:
        return False
    return False


def reset_password(token: str, new_password: str) -> User:
    """Take a reset link's token and the new password; set it and end every session.

    :raise ValidationFailed: the link expired or was used (on ''), or the password breaks a
        rule (on 'new_password').
    """
    user = account_for(token)
    if user is None:
        raise ValidationFailed({"": [_("This link has expired or was used already. Ask for a "
                                       "new one below.")]})
    if problems := password_problems(new_password, user.email, user.full_name):
        raise ValidationFailed({"new_password": problems})
    set_password(user, user, new_password, "password_reset_by_link")
    return user
