"""Rate limits of the API per token and per client address (Flask-Limiter).

Counters live in Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) is set; otherwise in the
process's memory, which is right for tests and a single process only: behind several
workers each counts for itself, so a deployment with more than one sets REDIS_URL.
"""

import hashlib
import time

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from certtrack.api import problems
from certtrack.api.core import bearer_secret
from certtrack.web.access import is_api_request

limiter = Limiter(key_func=get_remote_address)


def token_or_address() -> str:
    """The token's digest when the request carries one, else the client's address."""
    secret = bearer_secret()
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return "address:" + (request.remote_addr or "unknown")


def _per_token() -> str:
    return current_app.config["API_RATE_LIMIT_PER_TOKEN"]


def _per_address() -> str:
    return current_app.config["API_RATE_LIMIT_PER_ADDRESS"]


def configure(app) -> None:
    """Storage and the IETF draft's header names (draft-ietf-httpapi-ratelimit-headers)."""
    app.config.setdefault("API_RATE_LIMIT_PER_TOKEN", "600/minute")
    app.config.setdefault("API_RATE_LIMIT_PER_ADDRESS", "1200/minute")
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_HEADER_LIMIT", "RateLimit-Limit")
    app.config.setdefault("RATELIMIT_HEADER_REMAINING", "RateLimit-Remaining")
    app.config.setdefault("RATELIMIT_HEADER_RESET", "RateLimit-Reset")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    # Last of all the answer's hooks (they run from the end of the list): after the limiters',
    # which write Retry-After on every answer of a limited operation.
    app.after_request_funcs.setdefault(None, []).insert(0, retry_after_only_when_refused)


def too_many_requests(error: RateLimitExceeded):
    """An operation past a rate limit: 429 saying how many seconds to wait (Retry-After says
    the same), not the sign-in form's "Too many attempts"."""
    if not is_api_request():
        return problems.handle_http_exception(error)
    current = limiter.current_limit
    g.retry_after = max(1, int(current.reset_at - time.time())) if current else 60
    return problems.problem(429, _("Too many requests: try again in %(seconds)d seconds.",
                                   seconds=g.retry_after))


def retry_after_only_when_refused(response):
    """Retry-After goes with a 429 or a 503 only (a client reads it as "wait"), and with a
    rate limit's 429 as the figure its text gave."""
    said = g.pop("retry_after", None)
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    elif said is not None:
        response.headers["Retry-After"] = str(said)
    return response


def limit_blueprint(bp) -> None:
    """Both limits on every operation of `bp`, each counted across the whole API (a shared
    limit): a token's 600 a minute are not 600 for each operation."""
    limiter.shared_limit(_per_token, scope="api-token", key_func=token_or_address)(bp)
    limiter.shared_limit(_per_address, scope="api-address", key_func=get_remote_address)(bp)
