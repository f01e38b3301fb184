"""The known-device cookie: signed proof that this browser signed in to an account before, so
that strangers' failures against the account do not slow its owner down (docs/security.md
item 3; OWASP's device cookies)."""

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "certtrack_device"
SALT = "certtrack-known-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age() -> int:
    return int(current_app.config["KNOWN_DEVICE_LIFETIME"].total_seconds())


def known_device() -> tuple[int, str] | None:
    """(user id, device id) of a valid cookie of this browser, else None."""
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 500:
        return None
    try:
        user_id, device_id = _serializer().loads(value, max_age=_max_age())
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(device_id, str):
        return None
    return user_id, device_id


def remember(response, user) -> None:
    """Set (or renew) the cookie for `user` on the sign-in's response."""
    known = known_device()
    device_id = known[1] if known and known[0] == user.id else secrets.token_urlsafe(16)
    response.set_cookie(COOKIE, _serializer().dumps([user.id, device_id]), max_age=_max_age(),
                        path="/login", secure=current_app.config["SESSION_COOKIE_SECURE"],
                        httponly=True, samesite="Lax")
