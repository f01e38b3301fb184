"""The API object, token authentication and the decorator every operation is declared with."""

import functools
import threading

import marshmallow as ma
from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

from certtrack.api.problems import PROBLEM_TYPE, no_longer_possible
from certtrack.domain.workflow import IllegalTransition, Role
from certtrack.services import tokens
from certtrack.services.audit import acting_through
from certtrack.services.errors import PermissionDenied


class ApiParser(FlaskParser):
    """webargs' parser, refusing a query parameter the operation does not take (422 naming
    it), as a body's unknown field is: a typo such as ?stat=submitted read as no filter and
    listed everything."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": ma.RAISE, "querystring": ma.RAISE}


class ApiBlueprint(Blueprint):
    """A blueprint of the API: its own parser (above), and operations that may take one
    multipart/form-data body of form fields and files together (location "form_and_files"):
    documented as one request body, where the two locations gave an invalid "in: form"
    parameter beside a body of the files alone."""

    ARGUMENTS_PARSER = ApiParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "form_and_files": "multipart/form-data"}


@ApiBlueprint.ARGUMENTS_PARSER.location_loader("form_and_files")
def _form_and_files(web_request, schema):
    return MultiDictProxy(CombinedMultiDict((web_request.form, web_request.files)), schema)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with the field errors of a refused input."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    errors = ma.fields.Dict(keys=ma.fields.String(),
                            values=ma.fields.List(ma.fields.String()))


class CerttrackApi(Api):
    """flask-smorest's Api whose errors are problems and whose handlers are the app's."""

    ERROR_SCHEMA = ProblemSchema
    # Every operation lists the statuses it answers; no catch-all "default" response.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        """The app's handlers (api.problems) answer for the API too: nothing to add."""

    def _init_spec(self, *args, **kwargs):
        super()._init_spec(*args, **kwargs)
        self._undocumented: list = []
        self._documenting = threading.Lock()
        read = self.spec.to_dict

        def to_dict():
            self._document_blueprints()
            return read()
        self.spec.to_dict = to_dict

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register `blp` with the app now, and its operations in the OpenAPI document when the
        document is first read (openapi.json, `flask openapi`): building it is half the time
        of create_app(), and most processes never serve it."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _document_blueprints(self):
        with self._documenting:
            for blp, name, parameters in self._undocumented:
                blp.register_views_in_doc(self, self._app, self.spec, name=name,
                                          parameters=parameters)
                self.spec.tag({"name": name, "description": blp.description})
            self._undocumented.clear()

    def _register_responses(self):
        for status in (400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 503):
            response = {"description": _phrase(status), "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(_name(status), response, lazy=True)


def _phrase(status: int) -> str:
    import http

    return http.HTTPStatus(status).phrase


def _name(status: int) -> str:
    import http

    return http.HTTPStatus(status).name


READ_ERRORS = (400, 401, 403, 404, 422, 429)
# A PDF the queue is still preparing: 503 with Retry-After.
PDF_ERRORS = (*READ_ERRORS, 503)
WRITE_ERRORS = (*READ_ERRORS, 409, 412, 413, 415, 428)


def bearer_secret() -> str | None:
    """The secret of the `Authorization: Bearer …` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def authenticated(scope: str, roles: tuple[Role, ...]):
    """The request's token, checked for `scope` and one of `roles`.

    :raise tokens.NotAuthenticated: no live token (401).
    :raise PermissionDenied: the token lacks the scope or its user the role (403).
    """
    token = tokens.authenticate(bearer_secret())
    if scope not in token.scope_set:
        raise PermissionDenied(_("This token is not allowed to do this (scope “%(scope)s”).",
                                 scope=scope))
    if roles and token.user.role not in roles:
        raise PermissionDenied(_("Your account may not call this operation."))
    return token


def operation(bp, *roles: Role, scope: str = "read", errors=READ_ERRORS):
    """Declare an API view: bearer token with `scope` for one of `roles` (every role if none).

    The view is called as `view(user, *args, **kwargs)`; the audit rows it writes name the
    token. A state change the workflow no longer allows answers 409.
    """
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = g.api_token = authenticated(scope, roles)
            with acting_through({"token_id": token.id, "token_name": token.name}):
                try:
                    return view(token.user, *args, **kwargs)
                except IllegalTransition as error:
                    return no_longer_possible(error)

        wrapper = bp.doc(security=[{"bearerAuth": []}])(wrapper)
        for status in errors:
            wrapper = bp.alt_response(status, response=_name(status))(wrapper)
        return wrapper

    return decorate


def may_write() -> bool:
    """Whether the request's token may write: a read-only token is offered no action."""
    token = getattr(g, "api_token", None)
    return token is not None and "write" in token.scope_set


def public_operation(bp, errors=(400, 404, 422, 429)):
    """Declare an API view anyone may call: no token; the documented errors."""
    def decorate(view):
        wrapper = bp.doc(security=[])(view)
        for status in errors:
            wrapper = bp.alt_response(status, response=_name(status))(wrapper)
        return wrapper

    return decorate
