"""While the database cannot be reached, pages answer 503 with Retry-After and a page that
says the data is safe and tries again by itself, the API a 503 problem; never a 500. When the
database is back, the same clients carry on."""

from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from certtrack import create_app
from certtrack.extensions import db

from api_world import bearer, token_for
from factories import make_user
from forms import csrf_token, login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

KAZAKH = {"Accept-Language": "kk"}


def _unreachable_url(database_url: str, tmp_path) -> str:
    """A database nothing answers for: the test server's host on the discard port (no
    PostgreSQL listens there: psycopg's connection is refused), or an SQLite file in a folder
    that does not exist (sqlite3 cannot open it)."""
    if database_url.startswith("postgresql"):
        return make_url(database_url).set(port=9).render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'gone' / 'certtrack.sqlite3'}"


@contextmanager
def database_down(app, database_url, tmp_path):
    """The application's engine swapped for one whose database cannot be reached, as when the
    server is restarting; the real one back afterwards."""
    engines = app.extensions["sqlalchemy"]._app_engines[app]
    real = engines[None]
    engines[None] = create_engine(_unreachable_url(database_url, tmp_path))
    try:
        yield
    finally:
        engines[None].dispose()
        engines[None] = real


def _assert_unavailable_page(response, reloads: bool) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:2000]
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    assert ('<meta http-equiv="refresh" content="30">' in page) is reloads
    assert "Traceback" not in page and "OperationalError" not in page
    return page


def test_a_page_answers_503_in_kazakh_and_tries_again_by_itself(app, client, database_url,
                                                                 tmp_path):
    with database_down(app, database_url, tmp_path):
        response = client.get("/register", headers=KAZAKH)
    page = _assert_unavailable_page(response, reloads=True)
    assert "Уақытша қолжетімсіз" in page
    assert "Деректеріңіз сақтаулы" in page
    assert "Бұл бет 30 секундтан кейін өздігінен қайта жүктеледі" in page
    assert client.get("/register", headers=KAZAKH).status_code == 200


def test_a_signed_in_user_keeps_the_session_through_the_outage(app, client, database_url,
                                                                tmp_path):
    """The page reads no account during the outage: it speaks the account's language, which
    the session keeps from the sign-in, whatever the browser asks for."""
    with app.app_context():
        make_user("exporter", "aigerim@example.kz", locale="kk")
    login(client, "aigerim@example.kz")
    with database_down(app, database_url, tmp_path):
        response = client.get("/exporter/", headers={"Accept-Language": "en"})
    page = _assert_unavailable_page(response, reloads=True)
    assert "Уақытша қолжетімсіз" in page
    back = client.get("/exporter/")
    assert back.status_code == 200
    assert "Test Exporter" in back.get_data(as_text=True)


def test_a_form_sent_during_the_outage_is_not_sent_again_by_the_page(app, client, database_url,
                                                                     tmp_path):
    with app.app_context():
        make_user("exporter", "aigerim@example.kz", locale="kk")
    login(client, "aigerim@example.kz")
    token = csrf_token(client, "/exporter/")
    with database_down(app, database_url, tmp_path):
        response = client.post("/logout", data={"csrf_token": token})
    page = _assert_unavailable_page(response, reloads=False)
    assert "Жіберген мәліметіңіз сақталмаған болуы мүмкін" in page
    assert client.get("/exporter/").status_code == 200  # the sign-out never happened


def test_the_api_answers_a_503_problem_with_retry_after(app, client, database_url, tmp_path):
    with app.app_context():
        secret = token_for(make_user("exporter", "aigerim@example.kz"))
    with database_down(app, database_url, tmp_path):
        response = client.get("/api/v1/applications", headers={**bearer(secret), **KAZAKH})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    # At least the page's 30 seconds: the API's rate limiter lifts it to its window's end.
    assert int(response.headers["Retry-After"]) >= 30
    problem = response.get_json()
    assert problem["status"] == 503
    assert problem["title"] == "Уақытша қолжетімсіз"
    assert "Деректеріңіз сақтаулы" in problem["detail"]
    assert client.get("/api/v1/applications", headers=bearer(secret)).status_code == 200


def test_a_connection_cut_after_the_page_was_made_does_not_turn_it_into_an_error(
        app, client, monkeypatch):
    """The server restarts between a request's last query and its end: closing the session
    fails on the dead connection, and the page made stands."""
    real_close = Session.close

    def close_on_a_dead_connection(session):
        monkeypatch.setattr(Session, "close", real_close)
        real_close(session)
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection "
                                                         "unexpectedly"))

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    response = client.get("/register", headers=KAZAKH)
    assert response.status_code == 200
    assert Session.close is real_close  # the page's session was closed, once
    assert client.get("/register").status_code == 200


def test_any_other_database_error_is_still_a_server_error(app, client):
    def broken():
        raise IntegrityError("INSERT INTO x", {}, Exception("duplicate key"))

    broken.public = True
    app.add_url_rule("/broken", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/broken")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize(("url", "pings"), [
    ("postgresql+psycopg://certtrack@db.internal/certtrack", True),
    ("sqlite:////srv/certtrack/certtrack.sqlite3", False),
])
def test_pooled_connections_are_tested_before_use_on_a_database_server(url, pings):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping", False) is pings
    with app.app_context():
        assert db.engine.pool._pre_ping is pings
