"""Server-side sessions: idle timeout (30 minutes for staff), absolute lifetime (12 hours), and
the account page's list from which a user ends their own sessions, and only theirs."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import UserSession
from certtrack.models.base import utcnow

from factories import make_user
from forms import login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

END_RE = re.compile(r'action="/account/sessions/([0-9a-f]{64})/end"')


def _age(user, **changes) -> None:
    """Move the user's session records back in time, as if that much time had passed."""
    now = utcnow()
    values = {column: now - delta for column, delta in changes.items()}
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id).values(**values))
    db.session.commit()


def _page(client):
    return client.get("/account")


@pytest.mark.parametrize(("role", "idle"), [("inspector", timedelta(minutes=31)),
                                            ("exporter", timedelta(hours=2, minutes=1))])
def test_a_session_unused_too_long_ends(app, ctx, client, role, idle):
    user = make_user(role)
    login(client, user.email)
    _age(user, last_seen_at=idle - timedelta(minutes=2))
    assert _page(client).status_code == 200  # still inside the idle timeout; now touched
    _age(user, last_seen_at=idle)
    response = _page(client)
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "Your session has expired" in client.get(response.location).get_data(as_text=True)


def test_staff_idle_timeout_is_configurable(app, ctx, client):
    app.config["SESSION_IDLE_TIMEOUT_STAFF"] = timedelta(minutes=10)
    user = make_user("registrar")
    login(client, user.email)
    _age(user, last_seen_at=timedelta(minutes=11))
    assert _page(client).status_code == 302


def test_a_session_in_use_ends_after_twelve_hours(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    _age(user, created_at=timedelta(hours=11, minutes=59), last_seen_at=timedelta(seconds=5))
    assert _page(client).status_code == 200
    _age(user, created_at=timedelta(hours=12, minutes=1), last_seen_at=timedelta(seconds=5))
    assert _page(client).status_code == 302


def test_the_account_page_lists_sessions_and_ends_another(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    laptop = app.test_client()
    login(laptop, user.email)
    page = _page(client).get_data(as_text=True)
    assert "This session" in page
    (other,) = END_RE.findall(page)  # the laptop's; this one has no button
    response = post(client, f"/account/sessions/{other}/end", csrf_url="/account")
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 302  # the laptop was signed out
    assert _page(client).status_code == 200
    assert db.session.scalar(select(UserSession.ended_at).where(UserSession.id == other))


def test_ending_a_session_needs_the_csrf_token(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    login(app.test_client(), user.email)
    (other,) = END_RE.findall(_page(client).get_data(as_text=True))
    assert client.post(f"/account/sessions/{other}/end").status_code == 400


def test_nobody_ends_another_users_session(app, ctx, client):
    victim, attacker = make_user("exporter"), make_user("exporter")
    theirs = app.test_client()
    login(theirs, victim.email)
    session_id = db.session.scalar(select(UserSession.id)
                                   .where(UserSession.user_id == victim.id))
    login(client, attacker.email)
    response = post(client, f"/account/sessions/{session_id}/end", csrf_url="/account")
    assert response.status_code == 404
    assert theirs.get("/account").status_code == 200


def test_signing_out_ends_the_session_record(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    cookie = client.get_cookie("session").value
    post(client, "/logout", csrf_url="/account")
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/account").status_code == 302
