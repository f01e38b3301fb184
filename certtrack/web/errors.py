"""One error page for every status, with a safe message and never a traceback."""

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from certtrack.services import transaction
from certtrack.services.errors import ServiceError
from certtrack.web import access
from certtrack.web.bounds import UnreadableInput

UNAVAILABLE = 503
# Seconds a client is asked to wait while the database cannot be reached (Retry-After), and
# after which the page tries again by itself: a restart of PostgreSQL takes a few seconds.
RETRY_AFTER = 30


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        401: _("Please sign in"),
        403: _("You may not do this"),
        404: _("Page not found"),
        405: _("This action is not available here"),
        409: _("Changed since you opened it"),
        412: _("Changed since you opened it"),
        413: _("The file is too large"),
        422: _("Please correct the form"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
        503: _("Temporarily unavailable"),
    }


def _messages(status: int) -> str:
    return {
        400: _("The form had expired or was sent from elsewhere. Go back, reload the page and "
               "try again."),
        403: _("Your account does not have access to this page."),
        404: _("There is nothing here, or you do not have access to it."),
        413: _("Files of at most %(mb)d MB are accepted. Go back and choose a smaller file; "
               "nothing else was lost.", mb=_max_mb()),
        500: _("The error was logged. Please try again in a moment."),
        503: _("certtrack cannot reach its database for a moment. Your data is safe. Please "
               "try again in a minute."),
    }.get(status, "")


def _max_mb() -> int:
    return int((current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024))


def title(status: int) -> str:
    """The translated title of the error page for `status` (the API's problem titles too)."""
    return _titles().get(status, _("Error"))


def default_message(status: int) -> str:
    """The translated message the error page shows for `status` when none is given."""
    return _messages(status)


def render_error(status: int, message: str = "", back_url: str | None = None,
                 typed: str = ""):
    """The error page for `status`, with `message` (already translated) or a default one,
    a link back to `back_url` when given, and the text `typed` for an action that was not
    taken (to copy it from)."""
    body = render_template("errors/error.html", status=status, title=title(status),
                           message=message or _messages(status), back_url=back_url,
                           reload_url=request.full_path if status == 409 else None,
                           typed=typed)
    return body, status


def too_large():
    """413: the upload was refused while its body was read, which may come before the
    signed-in user is loaded; the page shows them signed in all the same, with a way back to
    the form they were on."""
    if "user" not in g:
        access.load_signed_in_user()
    return render_error(413, back_url=access.return_path())


def handle_http_exception(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code == 413:
        return too_large()
    headers = {}
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    message = _("The address or the form holds a character that no text may contain (a NUL "
                "byte or a control character). Check what was typed or pasted, and try "
                "again.") if isinstance(error, UnreadableInput) else ""
    body, status = render_error(error.code, message)
    return body, status, headers


def handle_service_error(error: ServiceError):
    body, status = render_error(error.status, error.message)
    headers = {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else {}
    return body, status, headers


def handle_unexpected(error: Exception):
    original = getattr(error, "original_exception", error)
    if isinstance(original, HTTPException):
        return handle_http_exception(original)
    if transaction.database_unreachable(original):
        return unavailable_page(original)
    return render_error(InternalServerError.code)


def prepare_unavailable(error: Exception) -> dict[str, str]:
    """Forget the request's database work and its signed-in user (whose rows cannot be read
    now), settle the language without the database, log one line; the 503's headers."""
    transaction.abandon()
    current_app.logger.warning("database unreachable (%s %s): %s", request.method,
                               request.path, type(error).__name__)
    try:
        get_locale()  # settled now, from the user if already loaded, and kept for the request
    except transaction.DATABASE_ERRORS:
        g.user = None
        get_locale()  # the session's or the browser's language
    g.user = None  # the page shows no user-specific parts, which would need the database
    return {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}


def unavailable_page(error: Exception):
    """503 while the database cannot be reached: a page of its own that needs nothing from
    the database, and that reloads itself unless it answers a form (which is not sent twice)."""
    headers = prepare_unavailable(error)
    body = render_template("errors/unavailable.html", status=UNAVAILABLE,
                           title=title(UNAVAILABLE), message=default_message(UNAVAILABLE),
                           retry_after=RETRY_AFTER,
                           reloads=request.method in ("GET", "HEAD"))
    return body, UNAVAILABLE, headers


def handle_database_error(error: Exception):
    """The 503 page for a database that cannot be reached; any other database error is a
    fault, raised on to the 500 handling (and its log)."""
    if not transaction.database_unreachable(error):
        raise error
    return unavailable_page(error)


def init_app(app) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    for error_class in transaction.DATABASE_ERRORS:
        app.register_error_handler(error_class, handle_database_error)
