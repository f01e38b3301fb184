"""Response headers, session cookie flags, the start-up refusal of a known SECRET_KEY, and the one
error page (docs/security.md items 5, 23, 24; docs/architecture.md "Errors users can cause")."""

import secrets
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask

from certtrack import create_app
from certtrack.config import INSECURE_SECRET_KEY

from factories import make_exporter_with_application, make_user
from forms import login


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def session_set_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def assert_common_headers(response) -> None:
    directives = csp_directives(response)
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_public_page_has_the_security_headers(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_common_headers(response)
    assert "Strict-Transport-Security" not in response.headers


def test_signed_in_pages_are_not_stored_by_caches(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    for url in ("/exporter/", "/account", "/no-such-page"):
        response = client.get(url)
        assert_common_headers(response)
        assert response.headers["Cache-Control"] == "no-store", url


def test_downloaded_documents_are_not_stored_by_caches(ctx, client):
    user, *_rest, application = make_exporter_with_application()
    login(client, user.email)
    with client.get(f"/documents/{application.documents[0].id}") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_hsts_is_sent_when_configured(app, client):
    app.config["HSTS"] = True
    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_http_only_and_same_site_lax(ctx, client):
    user = make_user("exporter")
    cookie = session_set_cookie(login(client, user.email))
    flags = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in flags
    assert "SameSite=Lax" in flags
    assert "Secure" not in flags


def test_session_cookie_is_secure_when_configured(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = session_set_cookie(client.get("/login"))  # the session holds the CSRF secret
    flags = [part.strip() for part in cookie.split(";")]
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(flags)


def test_signed_in_session_lasts_twelve_hours(app, ctx, client):
    user = make_user("registrar")
    cookie = session_set_cookie(login(client, user.email))
    expires = next(p.split("=", 1)[1] for p in cookie.split("; ") if p.startswith("Expires="))
    lifetime = parsedate_to_datetime(expires) - datetime.now(UTC)
    assert timedelta(hours=11, minutes=58) < lifetime <= timedelta(hours=12)


@pytest.fixture
def production_env(monkeypatch):
    """No debug mode and no secret key from the environment, as on a server."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("CERTTRACK_SECRET_KEY", raising=False)


@pytest.mark.parametrize("key", [INSECURE_SECRET_KEY, "change-me", ""])
def test_refuses_to_start_with_a_known_secret_key(production_env, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_starts_with_a_real_secret_key(production_env):
    app = create_app({"SECRET_KEY": secrets.token_urlsafe(48),
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert isinstance(app, Flask)
    assert not app.testing and not app.debug


def test_testing_may_use_the_development_key(production_env):
    app = create_app({"TESTING": True, "SECRET_KEY": INSECURE_SECRET_KEY,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.testing


def assert_error_page(response, status: int, title: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f"Error {status}" in page
    assert f"<h1>{title}</h1>" in page
    assert 'href="/">Go to the home page</a>' in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()
    return page


def test_unknown_url_renders_the_error_page(client):
    page = assert_error_page(client.get("/no/such/page"), 404, "Page not found")
    assert "There is nothing here, or you do not have access to it." in page


def test_wrong_method_renders_the_error_page(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    response = client.get("/logout")
    assert_error_page(response, 405, "This action is not available here")
    assert "POST" in response.headers["Allow"]


def test_unexpected_error_renders_the_error_page_without_details(app, client):
    def explode():
        raise ZeroDivisionError("secret internals: /srv/certtrack/db.sqlite3")

    explode.public = True
    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = assert_error_page(client.get("/explode"), 500, "Something went wrong on our side")
    assert "secret internals" not in page
    assert "ZeroDivisionError" not in page
