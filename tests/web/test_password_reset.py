"""A forgotten password: the sign-in page offers a link by e-mail; the link sets a new password
once, within its hour, and ends every session. Nobody learns whether an address has an account,
and nobody floods an inbox."""

import html
import re

import pytest
from flask import g
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, OutboxEmail, User

from factories import make_user
from forms import PASSWORD, login, post

NEW = "a fresh long passphrase for the steppe"
SENT = "is the address of an active account, a link to choose a new password is on its way"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _emails(address: str) -> list[OutboxEmail]:
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == address)
                              .order_by(OutboxEmail.id)).all()


def _link(email: OutboxEmail) -> str:
    return re.search(r"https?://\S+(/password/reset/\S+)", email.body).group(1)


def signed_in_before(app, **account) -> User:
    """An account whose owner has signed in before (one never signed in is sent its
    invitation again instead: test_invitation.py)."""
    user = make_user("exporter", **account)
    login(app.test_client(), user.email)
    return user


@pytest.fixture
def person(ctx, app):
    return signed_in_before(app, email="aigerim@example.kz", full_name="Aigerim Nurlanovna")


def test_the_sign_in_page_leads_to_a_link_that_sets_a_new_password(person, client, app):
    assert 'href="/password/forgot"' in _page(client.get("/login"))
    signed_in = app.test_client()
    login(signed_in, person.email)
    answer = post(client, "/password/forgot", {"email": "  AIGERIM@example.kz "})
    assert answer.status_code == 200 and SENT in _page(answer)
    (email,) = _emails(person.email)
    assert email.subject == "certtrack: choose a new password"
    assert "within 60 minutes" in email.body and "ignore this e-mail" in email.body
    link = _link(email)

    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in _page(form)
    weak = post(client, link, {"new_password": "short", "repeat_password": "short"})
    assert weak.status_code == 422
    differ = post(client, link, {"new_password": NEW, "repeat_password": NEW + "!"})
    assert differ.status_code == 422 and "The two new passwords differ." in _page(differ)
    done = post(client, link, {"new_password": NEW, "repeat_password": NEW})
    assert done.status_code == 302 and done.location == "/login"
    assert signed_in.get("/exporter/").status_code == 302  # every session ended
    assert post(client, "/login", {"email": person.email, "password": PASSWORD}).status_code \
        == 422
    assert post(client, "/login", {"email": person.email, "password": NEW}).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == person.id)).all()
    assert "password_reset_requested" in actions and "password_reset_by_link" in actions

    used = client.get(link)  # once only
    assert used.status_code == 410
    assert "This link has expired or was used already. Ask for a new one below." in _page(used)
    assert post(client, link, {"new_password": "another long passphrase",
                               "repeat_password": "another long passphrase"}).status_code == 410


def test_an_unknown_or_disabled_address_gets_the_same_answer_and_no_email(person, client):
    disabled = make_user("registrar", "gone@example.kz")
    disabled.is_active = False
    db.session.commit()
    for address in ("nobody@example.kz", disabled.email):
        answer = post(client, "/password/forgot", {"email": address})
        assert answer.status_code == 200 and SENT in _page(answer)
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


def test_a_second_link_waits_five_minutes(person, client):
    for _ in range(3):
        assert post(client, "/password/forgot", {"email": person.email}).status_code == 200
    assert len(_emails(person.email)) == 1


def test_a_link_expires(person, client, app):
    post(client, "/password/forgot", {"email": person.email})
    link = _link(_emails(person.email)[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(link).status_code == 410
    assert post(client, link, {"new_password": NEW, "repeat_password": NEW}).status_code == 410
    db.session.expire_all()
    assert db.session.get(User, person.id).password_hash == person.password_hash


def test_the_email_is_in_the_accounts_language(person, client):
    person.locale = "kk"
    db.session.commit()
    post(client, "/password/forgot", {"email": person.email})
    g.pop("_flask_babel", None)
    (email,) = _emails(person.email)
    assert "certtrack" in email.subject and "choose a new password" not in email.subject
    assert "60" in email.body and "/password/reset/" in email.body


def test_an_account_made_without_a_password_gets_a_link_to_choose_one(ctx, client, app):
    """An administrator had to invent a password and pass it on; left empty, the person is now
    e-mailed a link, and nobody else ever knows the password."""
    admin = make_user("admin", "root@example.kz")
    login(client, admin.email)
    answer = post(client, "/admin/users/new", {
        "email": "new.exporter@example.kz", "full_name": "Dana Serikova", "role": "exporter",
        "is_active": "y"}, follow_redirects=True)
    assert answer.status_code == 200
    assert ("The account new.exporter@example.kz was created, and a link to choose its "
            "password was e-mailed to it.") in _page(answer)
    (email,) = _emails("new.exporter@example.kz")
    assert email.subject == "certtrack: your account is ready; choose its password"
    newcomer = app.test_client()
    link = _link(email)
    assert post(newcomer, link, {"new_password": NEW, "repeat_password": NEW}).status_code == 302
    assert post(newcomer, "/login", {"email": "new.exporter@example.kz",
                                     "password": NEW}).status_code == 302


def test_without_a_mail_server_the_console_shows_the_link_outside_production(person, client,
                                                                             app, caplog):
    """`make run` sends no e-mail: the link must show somewhere, or nobody could use it."""
    with caplog.at_level("WARNING"):
        post(client, "/password/forgot", {"email": person.email})
    link = _link(_emails(person.email)[0])
    assert any(link in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(("seconds", "email_says"), [
    (120, "в течение 2 минут,"),
    (60, "в течение 1 минуты,"),
    (3600, "в течение 60 минут,"),
], ids=["2 minutes", "1 minute", "60 minutes"])
def test_the_links_lifetime_reads_in_russian_numbers(ctx, app, client, seconds, email_says):
    app.config["PASSWORD_RESET_MAX_AGE"] = seconds
    person = signed_in_before(app, email="dana@example.kz")
    person.locale = "ru"
    db.session.commit()
    post(client, "/language", {"locale": "ru"})
    g.pop("_flask_babel", None)
    answer = post(client, "/password/forgot", {"email": person.email})
    assert "Она действует один раз; сколько — сказано в письме." in _page(answer)
    (email,) = _emails(person.email)
    assert email_says in email.body
