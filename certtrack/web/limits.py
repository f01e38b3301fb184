"""The request rate of the sign-in form per client address (Flask-Limiter), on top of the
failure counters of services.throttle: a cheap first wall against floods, with its counters in
Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) is set, else in the process's memory."""

from flask import current_app, request
from flask_limiter import Limiter

from certtrack.services import sign_in
from certtrack.services.throttle import keyed_hash


def hashed_address() -> str:
    """The client's address as a keyed hash: not even the counters keep it in clear."""
    return "address:" + keyed_hash(request.remote_addr)[:40]


limiter = Limiter(key_func=hashed_address)


def _login_rate() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _refused(_limit) -> None:
    """Audit a refusal of the rate limit (the 429 page is the limiter's)."""
    sign_in.record_rate_refusal(request.remote_addr)


login_rate = limiter.limit(_login_rate, methods=["POST"], scope="login-address",
                           on_breach=_refused)


def init_app(app) -> None:
    """Bind the limiter, its storage following REDIS_URL as the API's does."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on the 429
    limiter.init_app(app)
