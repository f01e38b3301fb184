"""Sign-in state, deny-by-default login checks and the role a blueprint requires."""

from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from certtrack.domain.bounds import has_control_characters
from certtrack.domain.workflow import Role
from certtrack.services.accounts import session_user

# The JSON API authenticates machines by bearer token only: the session cookie is neither
# read nor needed there, so there is no cross-site request to forge (and no CSRF token).
API_PREFIX = "/api/"


def is_api_request() -> bool:
    """True for a request of the API (its document and reference page included)."""
    return request.path.startswith(API_PREFIX)


def public(view):
    """Mark a view as reachable without signing in (allow-list, docs/security.md item 8)."""
    view.public = True
    return view


def load_signed_in_user() -> None:
    """Put the signed-in, active user with a current session version in `g.user`, else None."""
    g.user = None
    if is_api_request():
        return
    user_id, version = session.get("uid"), session.get("sv")
    if user_id is None:
        return
    user = session_user(user_id, version)
    if user is None:
        session.clear()
        return
    g.user = user


def require_login():
    """Send anonymous visitors of any non-public endpoint to the sign-in page."""
    if request.endpoint is None or g.user is not None or is_api_request():
        return None
    view = current_app.view_functions.get(request.endpoint)
    if request.endpoint == "static" or getattr(view, "public", False):
        return None
    if request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(401)


def roles_required(*roles: Role):
    """A before_request hook for a blueprint: only these roles may use it (else 403)."""

    def check():
        if g.user is not None and g.user.role not in roles:
            abort(403)

    return check


def sign_in(user) -> None:
    """Start a fresh session for `user`: the old session's contents are dropped."""
    locale = session.get("locale")
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    if locale:
        session["locale"] = locale
    session.permanent = True


def sign_out() -> None:
    """Forget the session (the server side is revoked by the accounts service)."""
    session.clear()


def safe_next(target: str | None) -> str | None:
    """`target` when it is a relative path on this site, else None (docs/security.md item 7)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if has_control_characters(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

