"""CSRF: a state-changing request without this session's token is refused (400), nothing changes.

docs/security.md item 11. Each refusal is paired with the same request carrying the right token,
which goes through: the 400 comes from the token and not from anything else in the request.
"""

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Establishment, User

from factories import ESTABLISHMENT, make_exporter_with_application, make_user
from forms import PASSWORD, csrf_token, login

REFUSED = "The form had expired or was sent from elsewhere."


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def establishment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Establishment))


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


@pytest.mark.parametrize("token", [None, "", "forged-token", "1##deadbeef"])
def test_sign_in_without_a_valid_token_is_refused(ctx, client, token):
    user = make_user("exporter")
    body = {"email": user.email, "password": PASSWORD}
    if token is not None:
        body["csrf_token"] = token
    before = audit_count()
    assert_refused(client.post("/login", data=body))
    assert audit_count() == before
    assert not signed_in(client)
    body["csrf_token"] = csrf_token(client)
    assert client.post("/login", data=body).status_code == 302


def test_sign_out_without_a_token_keeps_the_session(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    version = user.session_version
    assert_refused(client.post("/logout"))
    assert signed_in(client)
    db.session.refresh(user)
    assert user.session_version == version
    assert client.post("/logout", data={"csrf_token": csrf_token(client)}).status_code == 302
    assert not signed_in(client)


def test_exporter_form_without_a_token_adds_nothing(ctx, client):
    user, *_ = make_exporter_with_application(complete=False)
    login(client, user.email)
    count, events = establishment_count(), audit_count()
    body = {**ESTABLISHMENT, "name": "Second elevator"}
    assert_refused(client.post("/exporter/establishments/new", data=body))
    assert (establishment_count(), audit_count()) == (count, events)
    body["csrf_token"] = csrf_token(client)
    assert client.post("/exporter/establishments/new", data=body).status_code == 302
    assert establishment_count() == count + 1


def test_language_switch_without_a_token_changes_nothing(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    db.session.refresh(user)
    before = user.locale  # the sign-in page's language
    assert_refused(client.post("/language", data={"locale": "kk"}))
    db.session.refresh(user)
    assert user.locale == before != "kk"
    body = {"locale": "kk", "csrf_token": csrf_token(client)}
    assert client.post("/language", data=body).status_code == 302
    db.session.refresh(user)
    assert user.locale == "kk"


def test_a_token_of_another_session_is_refused(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    attacker = app.test_client()
    foreign_token = csrf_token(attacker)
    db.session.refresh(user)
    version, locale = user.session_version, user.locale
    assert_refused(client.post("/logout", data={"csrf_token": foreign_token}))
    assert_refused(client.post("/language", data={"locale": "zh", "csrf_token": foreign_token}))
    db.session.refresh(user)
    assert (user.session_version, user.locale) == (version, locale) and locale != "zh"
    assert signed_in(client)


def test_a_token_of_another_users_session_is_refused(app, ctx, client):
    victim = make_user("admin")
    login(client, victim.email)
    attacker_user = make_user("exporter")
    attacker = app.test_client()
    login(attacker, attacker_user.email)
    body = {"email": "new@example.kz", "full_name": "Planted", "role": "admin",
            "password": "a perfectly fine pass", "is_active": "y"}
    body["csrf_token"] = csrf_token(attacker, "/account")
    assert_refused(client.post("/admin/users/new", data=body))
    assert db.session.scalar(select(User).where(User.email == "new@example.kz")) is None
    body["csrf_token"] = csrf_token(client, "/admin/users/new")
    assert client.post("/admin/users/new", data=body).status_code == 302
    assert db.session.scalar(select(User).where(User.email == "new@example.kz")) is not None
