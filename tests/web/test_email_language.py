"""The e-mails of people who never signed in come in their language: an invitation in the
language the administrator gave the new account (by default that of the administrator's page),
a password reset in the account's language or else in that of the page it was asked from."""

import html

from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxEmail, User

from factories import make_user
from forms import login, post

INVITED_ZH = "certtrack：您的账户已就绪，请设置密码"
INVITED_KK = "certtrack: есептік жазбаңыз дайын; құпиясөзін таңдаңыз"
RESET_KK = "certtrack: жаңа құпиясөз таңдаңыз"
RESET_RU = "certtrack: выберите новый пароль"
# An account never signed in is sent its invitation again (test_invitation.py).
INVITATION_KK = "certtrack: есептік жазбаңыз дайын; құпиясөзін таңдаңыз"


def _subjects(address: str) -> list[str]:
    return list(db.session.scalars(select(OutboxEmail.subject)
                                   .where(OutboxEmail.recipient == address)))


def _account(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _new_account(client, email: str, **extra):
    return post(client, "/admin/users/new", {
        "email": email, "full_name": "Dana Serikova", "role": "exporter", "is_active": "y",
        **extra}, follow_redirects=True)


def test_an_administrator_in_chinese_invites_in_chinese_by_default(ctx, client):
    admin = make_user("admin", "root@example.kz")
    login(client, admin.email)
    post(client, "/language", {"locale": "zh"})
    g.pop("_flask_babel", None)
    page = html.unescape(client.get("/admin/users/new").get_data(as_text=True))
    assert "语言" in page and '<option selected value="zh">中文</option>' in page
    assert _new_account(client, "li.wei@example.kz", locale="zh").status_code == 200
    assert _subjects("li.wei@example.kz") == [INVITED_ZH]
    assert _account("li.wei@example.kz").locale == "zh"


def test_the_administrator_chooses_the_new_accounts_language(ctx, client):
    admin = make_user("admin", "root@example.kz")
    login(client, admin.email)
    assert _new_account(client, "aidos@example.kz", locale="kk").status_code == 200
    assert _subjects("aidos@example.kz") == [INVITED_KK]
    assert _account("aidos@example.kz").locale == "kk"


def test_an_unknown_language_is_refused_and_nothing_is_sent(ctx, client):
    admin = make_user("admin", "root@example.kz")
    login(client, admin.email)
    answer = _new_account(client, "aidos@example.kz", locale="xx")
    assert answer.status_code == 422
    assert _subjects("aidos@example.kz") == [] and _account("aidos@example.kz") is None


def test_a_reset_asked_from_a_kazakh_page_for_an_account_without_a_language(ctx, client):
    person = make_user("exporter", "never.signed.in@example.kz")
    assert person.locale is None
    post(client, "/language", {"locale": "kk"})
    g.pop("_flask_babel", None)
    post(client, "/password/forgot", {"email": person.email})
    assert _subjects(person.email) == [INVITATION_KK]
    assert _account(person.email).locale is None  # whoever asked does not set it


def test_a_reset_keeps_the_language_the_account_chose(ctx, app, client):
    person = make_user("exporter", "chose.russian@example.kz", locale="ru")
    login(app.test_client(), person.email)  # signed in before: a reset link, not an invitation
    post(client, "/language", {"locale": "kk"})
    g.pop("_flask_babel", None)
    post(client, "/password/forgot", {"email": person.email})
    assert _subjects(person.email) == [RESET_RU]
