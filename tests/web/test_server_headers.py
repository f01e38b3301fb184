"""Headers of docs/security.md item 24 beyond the CSP: Permissions-Policy, COOP, CORP, caches
told not to store signed-in pages, and a Server header without product or version."""

import runpy
import threading
from pathlib import Path

import gunicorn.http.wsgi
import pytest
import requests
from werkzeug.serving import make_server

from factories import make_user
from forms import login

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", ["/login", "/register", "/verify", "/no-such-page"])
def test_every_page_refuses_browser_features_and_cross_origin_use(client, url):
    response = client.get(url)
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_pages_with_personal_data_are_not_stored_but_public_ones_may_be(ctx, client):
    assert "no-store" not in client.get("/register").headers.get("Cache-Control", "")
    login(client, make_user("admin").email)
    for url in ("/admin/users", "/account", "/notifications", "/register"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_the_development_server_names_no_product_or_version(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response = requests.get(f"http://127.0.0.1:{server.server_port}/login", timeout=10)
    finally:
        server.shutdown()
        thread.join()
    assert response.status_code == 200
    assert response.headers["Server"] == "certtrack"


def test_the_gunicorn_settings_hide_the_version_and_bound_the_workers():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert gunicorn.http.wsgi.SERVER == "certtrack"
    assert "gunicorn" not in gunicorn.http.wsgi.SERVER_SOFTWARE
    assert settings["timeout"] <= 60
    assert settings["max_requests"] > 0 < settings["max_requests_jitter"]
    assert settings["wsgi_app"] == "certtrack:create_app()"
