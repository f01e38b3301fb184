"""The Server header of both servers names no product and no version (docs/security.md item 24).

gunicorn reads `gunicorn.conf.py` (repository root), which calls hide_gunicorn_version();
`flask run` serves through Werkzeug's request handler, which create_app() quiets here.
"""

SERVER_NAME = "certtrack"


def _server_name(_handler) -> str:
    return SERVER_NAME


def quiet_development_server() -> None:
    """Werkzeug's development server says `Server: certtrack`, not its and Python's versions."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = _server_name  # type: ignore[method-assign]


def hide_gunicorn_version() -> None:
    """gunicorn says `Server: certtrack` and passes no version in SERVER_SOFTWARE."""
    import gunicorn
    import gunicorn.http.wsgi

    gunicorn.SERVER = gunicorn.http.wsgi.SERVER = SERVER_NAME
    gunicorn.SERVER_SOFTWARE = gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_NAME
