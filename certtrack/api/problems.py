"""Errors of the API as application/problem+json (RFC 9457), in the pages' words."""

import re

from flask import current_app, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from certtrack.domain.workflow import IllegalTransition
from certtrack.services import transaction
from certtrack.services.errors import ServiceError, ValidationFailed
from certtrack.web import errors as page_errors
from certtrack.web.access import is_api_request

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str = "", *, errors: dict | None = None, headers=None,
            title: str | None = None):
    """A problem response: `title` as the error page's title (or `title`), `detail` its
    message."""
    body = {"type": "about:blank",
            "title": str(title or _api_title(status) or page_errors.title(status)),
            "status": status,
            "detail": str(detail or page_errors.default_message(status) or
                          page_errors.title(status))}
    if errors:
        body["errors"] = {name or "_": [str(m) for m in messages]
                          for name, messages in errors.items()}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_TYPE)
    response.headers.extend(headers or {})
    return response


def pdf_preparing():
    """A PDF the queue is still rendering: 503 with Retry-After (the certificate exists)."""
    return problem(503, _("The PDF is being prepared; try again in a few seconds."),
                   headers={"Retry-After": "5"})


def _schema_messages() -> dict[str, str]:
    """marshmallow's commonest messages, in the reader's language (the rest stay English)."""
    return {"Missing data for required field.": _("This field is required."),
            "Unknown field.": _("This field is not part of the request."),
            "Field may not be null.": _("This field is required."),
            "Not a valid integer.": _("Enter a whole number."),
            "Not a valid number.": _("Enter a number."),
            "Not a valid string.": _("Enter text."),
            "Not a valid date.": _("Enter a date as YYYY-MM-DD."),
            "Not a valid boolean.": _("Enter true or false."),
            "Not a valid list.": _("Send a JSON array."),
            # a body (or a nested object) that is an array, a string or null
            "Invalid input type.": _("Send a JSON object."),
            "Invalid JSON body.": _("The body is not valid JSON."),
            "Not a cursor of this API.": _("This is not a cursor of this API: send the "
                                           "next_cursor of the last page.")}


# marshmallow's and this API's messages that carry values (a range, a length, the choices),
# matched whole and said again in the reader's language with the same values.
_PATTERNS = (
    (re.compile(r"Must be (?:greater than or equal to|between) (?P<low>\S+?) and (?:less than "
                r"or equal to )?(?P<high>\S+?)\.$"),
     lambda m: _("Enter a value from %(low)s to %(high)s.", **m)),
    (re.compile(r"Must be greater than or equal to (?P<low>\S+?)\.$"),
     lambda m: _("Enter a value of at least %(low)s.", **m)),
    (re.compile(r"Must be less than or equal to (?P<high>\S+?)\.$"),
     lambda m: _("Enter a value of at most %(high)s.", **m)),
    (re.compile(r"Length must be between (?P<low>\d+) and (?P<high>\d+)\.$"),
     lambda m: _("Enter from %(low)s to %(high)s characters.", **m)),
    (re.compile(r"Longer than maximum length (?P<high>\d+)\.$"),
     lambda m: _("Enter at most %(high)s characters.", **m)),
    (re.compile(r"Shorter than minimum length (?P<low>\d+)\.$"),
     lambda m: _("Enter at least %(low)s characters.", **m)),
    (re.compile(r"Must be one of: (?P<choices>.+)\.$"),
     lambda m: _("Choose one of: %(choices)s.", **m)),
)


def _translated(message: str, known: dict[str, str]) -> str:
    """A field's message in the reader's language when it is one the API knows."""
    if message in known:
        return known[message]
    for pattern, say in _PATTERNS:
        if found := pattern.match(message):
            return say(found.groupdict())
    return message


def _api_title(status: int) -> str | None:
    """The API's own titles where the pages' speak of pages and forms."""
    return {404: _("Not found"), 422: _("The request has errors"),
            429: _("Too many requests")}.get(status)


def _webargs_errors(error: HTTPException) -> dict | None:
    messages = (getattr(error, "data", None) or {}).get("messages")
    if not messages:
        return None
    flat: dict = {}
    for where, found in messages.items():  # {"json": {"field": ["..."]}} or {"json": ["..."]}
        if not isinstance(found, dict):
            found = {where: found}
        known = _schema_messages()
        for name, value in found.items():
            flat[str(name)] = ([_translated(m, known) for m in value] if isinstance(value, list)
                               else [json.dumps(value)])
    return flat


def handle_http_exception(error: HTTPException):
    if not is_api_request():
        return page_errors.handle_http_exception(error)
    if error.code is None or error.code < 400:
        return error
    headers = {}
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    headers.update(getattr(error, "data", None) and error.data.get("headers") or {})
    errors = _webargs_errors(error)
    detail = ""
    if error.code == 400:  # the pages' 400 speaks of an expired form, which an API has not
        detail = (next(iter(errors.values()))[0] if errors else
                  _("The request could not be read."))
    elif error.code == 422 and errors:  # the pages' "Please correct the form"
        detail = _("The request has errors: see the message of each field.")
    return problem(error.code, detail, errors=errors, headers=headers)


def handle_service_error(error: ServiceError):
    if not is_api_request():
        return page_errors.handle_service_error(error)
    headers = {"Retry-After": str(error.retry_after)} if hasattr(error, "retry_after") else {}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="certtrack"'
    errors = error.errors if isinstance(error, ValidationFailed) else None
    return problem(error.status, error.message, errors=errors, headers=headers)


def no_longer_possible(error: IllegalTransition):
    """A step the workflow does not allow in the object's state (409): said as such, not as
    someone else's change, and with the state, which a client reads again to see."""
    return problem(409, _("This action is not possible in the current state (%(state)s); read "
                          "the resource again to see what it allows.", state=error.state),
                   title=_("Not possible in this state"))


def handle_unexpected(error: Exception):
    if not is_api_request():
        return page_errors.handle_unexpected(error)
    original = getattr(error, "original_exception", error)
    if isinstance(original, HTTPException):
        return handle_http_exception(original)
    if transaction.database_unreachable(original):
        return unavailable(original)
    return problem(InternalServerError.code)


def unavailable(error: Exception):
    """503 while the database cannot be reached, with Retry-After (the error page's words)."""
    if not is_api_request():
        return page_errors.unavailable_page(error)
    headers = page_errors.prepare_unavailable(error)
    return problem(page_errors.UNAVAILABLE, headers=headers)


def handle_database_error(error: Exception):
    """A database that cannot be reached: 503; any other database error is a fault (500)."""
    if not transaction.database_unreachable(error):
        raise error
    return unavailable(error)


JSON, MULTIPART = "application/json", "multipart/form-data"
# Where an operation's arguments are read from → the one body it reads.
BODY_OF_LOCATION = {"json": JSON, "form_and_files": MULTIPART}


def _arguments() -> list[dict] | None:
    """The documented arguments of the request's operation (their "in": json, query...); None
    when the request's view is no operation (the OpenAPI document, the reference page)."""
    view = current_app.view_functions.get(request.endpoint)
    if not hasattr(view, "_apidoc"):
        return None
    return view._apidoc.get("arguments", {}).get("parameters", [])


def _readable_bodies() -> tuple[str, ...]:
    """The bodies the request's operation reads: the one its documented arguments come from
    (a document's upload multipart, the others JSON), or either when it reads none."""
    arguments = _arguments() or []
    bodies = {BODY_OF_LOCATION[a["in"]] for a in arguments if a.get("in") in BODY_OF_LOCATION}
    return tuple(bodies) or (JSON, MULTIPART)


def refuse_unreadable_body():
    """A body the operation does not read (form-encoded, or JSON sent with a document): 415,
    not "missing data" for the fields it did send."""
    if not (is_api_request() and request.routing_exception is None and
            request.method in ("POST", "PUT", "PATCH") and request.content_length):
        return None
    readable = _readable_bodies()
    if request.mimetype in readable:
        return None
    detail = (_("Send the document as multipart/form-data: its document_type and its file.")
              if readable == (MULTIPART,) else
              _("Send the body as application/json (a document as multipart/form-data)."))
    return problem(415, detail, title=_("Unsupported media type"))


def refuse_unknown_query():
    """A query parameter sent to an operation that takes none (`?page=2` to one consignment,
    `?dry_run=1` to a submission): 422 naming it, as an operation taking some refuses the
    others (core.ApiParser), never a silent answer as if it had not been sent."""
    if not (is_api_request() and request.routing_exception is None and request.args):
        return None
    arguments = _arguments()
    if arguments is None or any(a.get("in") in ("query", "querystring") for a in arguments):
        return None
    unknown = _schema_messages()["Unknown field."]
    return problem(422, _("The request has errors: see the message of each field."),
                   errors={name: [unknown] for name in request.args})


def init_app(app) -> None:
    """Take over the app's handlers: problems for the API, the error page for the rest."""
    app.before_request(refuse_unknown_query)
    app.before_request(refuse_unreadable_body)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    for error_class in transaction.DATABASE_ERRORS:
        app.register_error_handler(error_class, handle_database_error)
