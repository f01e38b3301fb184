"""The JSON API under /api/v1 (flask-smorest, OpenAPI 3.1): the pages' services and permission
functions behind bearer tokens, with problems, ETags, cursors, idempotency and rate limits."""

from certtrack.api import (
    consignment_drafts,  # noqa: F401 (its operations are consignments.bp's)
    consignments,
    docs,
    exporter,
    idempotent,
    laboratory,
    limits,
    problems,
    public,
)
from certtrack.api.core import CerttrackApi
from certtrack.web.bounds import IdConverter, id_parameter_schema

SETTINGS = {
    "API_TITLE": "certtrack",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
SPEC = {
    "info": {"description": "Export certification of Kazakh agricultural exporters for China: "
                            "applications, laboratory results, registrations, certificates, "
                            "consignments."},
    "components": {"securitySchemes": {"bearerAuth": {
        "type": "http", "scheme": "bearer",
        "description": "A personal access token (ct_…) made on the account page."}}},
}


def init_app(app) -> None:
    """Register the API's blueprints, its document, reference page, limits and handlers."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    api = CerttrackApi(app, spec_kwargs=SPEC)
    api.register_converter(IdConverter, id_parameter_schema)
    limits.configure(app)
    for module in (exporter, consignments, laboratory, public):
        limits.limit_blueprint(module.bp)
        api.register_blueprint(module.bp)
    app.register_blueprint(docs.bp)
    problems.init_app(app)
    idempotent.init_app(app)
