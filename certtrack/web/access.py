"""Sign-in state, deny-by-default login checks and the role a blueprint requires."""

from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from certtrack.domain.bounds import has_control_characters
from certtrack.domain.workflow import Role
from certtrack.services import two_factor
from certtrack.services.sessions import session_user

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
    """Put the signed-in, active user of a live session record (not ended, not idle too long,
    not older than its lifetime) with a current session version in `g.user`, else None."""
    g.user = None
    if is_api_request():
        return
    user_id, version = session.get("uid"), session.get("sv")
    if user_id is None:
        return
    found = session_user(user_id, version, session.get("sid"))
    if found.user is None:
        sign_out()
        if found.expired:
            flash(_("Your session has expired. Please sign in again."), "info")
        return
    g.user = found.user


# Reachable by staff who must still set up their second factor.
ENROLMENT_ENDPOINTS = frozenset({"auth.two_factor", "auth.two_factor_start",
                                 "auth.two_factor_confirm", "auth.logout", "auth.language",
                                 "static"})


def require_second_factor():
    """Staff whose role needs a second factor and who have none go to its set-up first."""
    user = g.get("user")
    if user is None or is_api_request() or request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    if two_factor.required(user) and not user.has_totp:
        return redirect(url_for("auth.two_factor"))
    return None


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


def sign_in(user, token: str) -> None:
    """Start a fresh session for `user` (its record's id `token`): the old session's contents
    are dropped. The session keeps the account's language, else the one it was in: pages
    that read no account (the API's reference) speak it too."""
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else session.get(
        "locale")
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["sid"] = token
    if locale:
        session["locale"] = locale
    session.permanent = True


def sign_out() -> None:
    """Forget the session (the server side is revoked by the accounts service), keeping the
    language it was served in: the sign-in page after it spoke English to a Chinese user."""
    language = str(get_locale() or "")
    session.clear()
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language


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


def return_path() -> str:
    """Where the language form brings the reader back: this page; or, for a page answering a
    form (a POST, which a GET cannot repeat: it answered 405), the page the form was on."""
    if request.method == "GET":
        return request.full_path.removesuffix("?")  # Werkzeug's "?" of no query string
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not safe_next(referrer.path):
        return "/"
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")
