"""The interactive reference at /api/docs: Swagger UI served from this app, no CDN, no inline
script, so that it works under the app's `default-src 'self'` policy. Like the whole of /api/,
it needs no session (web.access.is_api_request)."""

import os

import flask_swagger_ui
from flask import Blueprint, render_template, send_from_directory

ASSETS = os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                    "favicon-32x32.png", "favicon-16x16.png"})

bp = Blueprint("api_docs", __name__, url_prefix="/api/docs")


@bp.get("/")
def index():
    """The reference page; it reads /api/v1/openapi.json."""
    return render_template("api/docs.html")


@bp.get("/assets/<name>")
def asset(name: str):
    """One of Swagger UI's files, from the installed package (an allow-list, no paths)."""
    if name not in SERVED:
        return "", 404
    return send_from_directory(ASSETS, name, max_age=86400)
