"""Personal access tokens: created and revoked by their owner, stored as SHA-256 only."""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import ApiToken, User
from certtrack.models.base import utcnow
from certtrack.services import creation_keys
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, ServiceError, ValidationFailed
from certtrack.services.inputs import TokenInput
from certtrack.services.permissions import require_admin
from certtrack.services.reasons import require_reason
from certtrack.services.transaction import transaction

TOKEN_PREFIX = "ct_"  # noqa: S105 - a public marker, not a secret
SCOPES = ("read", "write")
MAX_DAYS = 366
# "Last used" is written at most this often, so that reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class NotAuthenticated(ServiceError):
    """No token, or one that is unknown, revoked or expired (401)."""

    status = 401


def token_hash(secret: str) -> str:
    """The SHA-256 (hex) a secret is stored and looked up by."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_errors(data: TokenInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (data.name or "").strip():
        errors["name"] = [_("Give the token a name.")]
    scopes = data.scopes or []
    if not scopes or set(scopes) - set(SCOPES):
        errors["scopes"] = [_("Choose at least one scope.")]
    days = data.days
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("A token is valid for 1 to %(days)d days.", days=MAX_DAYS)]
    return errors


def create_token(actor: User, data: TokenInput,
                 creation_key: str | None = None) -> tuple[ApiToken, str]:
    """Create a token for `actor` (name, scopes, days); return it and its secret, shown once.
    `creation_key`: the one-time key of the form (services.creation_keys), kept with it.

    :raise ValidationFailed: no name, an unknown scope, a validity outside 1..366 days.
    :raise Conflict: a token was created with this key meanwhile (the form sent twice at the
        same instant); creation_keys.created_with finds it.
    """
    if errors := _token_errors(data):
        raise ValidationFailed(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with creation_keys.created_once("token", actor, creation_key), transaction():
        token = ApiToken(user_id=actor.id, name=data.name.strip(),
                         scopes=" ".join(s for s in SCOPES if s in data.scopes),
                         prefix=secret[:10], token_hash=token_hash(secret),
                         expires_at=utcnow() + timedelta(days=data.days),
                         creation_key=creation_keys.usable(creation_key))
        db.session.add(token)
        db.session.flush()
        record_event(actor, "token_created", object_type="api_token", object_id=token.id,
                     data={"name": token.name, "scopes": token.scopes,
                           "expires_at": token.expires_at.isoformat()})
    return token, secret


def list_tokens(actor: User) -> list[ApiToken]:
    """The actor's tokens, newest first, revoked ones included."""
    query = select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def get_token(actor: User, token_id: int) -> ApiToken:
    """One of the actor's tokens.

    :raise NotFound: not a token of the actor.
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound(_("No such token."))
    return token


def live_tokens_of(actor: User, user: User) -> list[ApiToken]:
    """An account's tokens in force, newest first, for an administrator.

    :raise PermissionDenied: the actor is not an administrator.
    """
    require_admin(actor)
    now = utcnow()
    return [token for token in list_tokens(user)
            if token.revoked_at is None and token.expires_at > now]


def revoke_token(actor: User, token_id: int, reason: str) -> ApiToken:
    """Revoke one of the actor's tokens for good.

    :raise NotFound: not a token of the actor.
    :raise ValidationFailed: no reason, or one shorter than domain.reasons.REASON_MIN_LENGTH.
    """
    return _revoke(actor, get_token(actor, token_id), reason)


def revoke_token_of(actor: User, user: User, token_id: int, reason: str) -> ApiToken:
    """An administrator revokes one of `user`'s tokens for good (a leaked one), without
    disabling the account.

    :raise PermissionDenied: the actor is not an administrator.
    :raise NotFound: not a token of `user`.
    :raise ValidationFailed: no reason, or one shorter than domain.reasons.REASON_MIN_LENGTH.
    """
    require_admin(actor)
    return _revoke(actor, get_token(user, token_id), reason)


def _revoke(actor: User, token: ApiToken, reason: str) -> ApiToken:
    reason = require_reason(reason)  # final: the systems using it stop for good
    if token.revoked_at is None:
        with transaction():
            token.revoked_at = utcnow()
            token.revoke_reason = reason.strip()
            record_event(actor, "token_revoked", object_type="api_token", object_id=token.id,
                         comment=reason.strip(),
                         data={"name": token.name, "user": token.user_id})
    return token


def revoke_all(user: User, reason: str) -> int:
    """Revoke every live token of `user`, inside the caller's transaction; return how many.
    Their role changed: a token made for one role's integration must not carry another's
    powers (an exporter's system reading every enterprise's data as a registrar)."""
    done = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                               ApiToken.expires_at > utcnow())
        .values(revoked_at=utcnow(), revoke_reason=reason)
        .execution_options(synchronize_session=False))
    return done.rowcount or 0


def authenticate(secret: str | None) -> ApiToken:
    """The live token of `secret`, its "last used" brought up to date; its user is active.

    :raise NotAuthenticated: no secret, or unknown, revoked, expired, or of a disabled user.
    """
    token = None
    if secret and secret.startswith(TOKEN_PREFIX):
        token = db.session.scalar(select(ApiToken).where(
            ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if (token is None or token.revoked_at is not None or token.expires_at <= now
            or not token.user.is_active):
        raise NotAuthenticated(_("The access token is missing, revoked or expired."))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        with transaction():
            db.session.execute(update(ApiToken).where(ApiToken.id == token.id)
                               .values(last_used_at=now)
                               .execution_options(synchronize_session=False))
        db.session.expire(token, ["last_used_at"])
    return token
