"""Idempotency-Key on POSTs: a retry gets the first answer and creates nothing twice."""

import hashlib

from flask import current_app, g, request
from flask_babel import gettext as _

from certtrack.api.core import bearer_secret
from certtrack.api.problems import problem
from certtrack.services import idempotency, tokens
from certtrack.services.errors import ServiceError
from certtrack.web.access import is_api_request

HEADER = "Idempotency-Key"
MAX_KEY = 255  # the length of the stored key's column
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")


def request_hash() -> str:
    """SHA-256 of what makes the request this request: method, path, query and body.

    A multipart body is hashed by its fields and files' contents, not its bytes: a client's
    retry draws a new boundary.
    """
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    if request.mimetype == "multipart/form-data":
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"{name}={value}\n".encode())
        for name, storage in sorted(request.files.items(multi=True), key=lambda i: i[0]):
            content = storage.stream.read()
            storage.stream.seek(0)
            digest.update(f"{name}:{storage.filename}:".encode())
            digest.update(hashlib.sha256(content).digest())
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _claim():
    """Before a keyed POST of the API: the stored answer of a retry, else remember the claim."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or not key or not is_api_request():
        return None
    if len(key) > MAX_KEY:  # the pages' 400 would speak of an expired form
        return problem(400, _("The Idempotency-Key header is too long: send a key of at most "
                              "%(high)s characters.", high=MAX_KEY),
                       errors={HEADER: [_("Enter at most %(high)s characters.", high=MAX_KEY)]})
    try:
        token = tokens.authenticate(bearer_secret())
        claimed = idempotency.claim(token.user, key, request_hash())
    except ServiceError as error:
        return current_app.handle_user_exception(error)
    if isinstance(claimed, idempotency.StoredAnswer):
        response = current_app.response_class(claimed.body, status=claimed.status)
        response.headers.update(claimed.headers)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    g.idempotency_record = claimed
    return None


def _store(response):
    record = g.pop("idempotency_record", None)
    if record is None:
        return response
    if response.status_code >= 500 or response.status_code == 429:
        idempotency.release(record)
        return response
    headers = {name: response.headers[name] for name in REPLAYED_HEADERS
               if name in response.headers}
    idempotency.store(record, response.status_code, headers, response.get_data())
    return response


def _release(_error=None):
    record = g.pop("idempotency_record", None)
    if record is not None:
        idempotency.release(record)


def init_app(app) -> None:
    """Claim keys before the view, keep the answer after it, let the key go on a crash."""
    app.before_request(_claim)
    app.after_request(_store)
    app.teardown_request(_release)
