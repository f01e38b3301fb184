"""An invitation to a new account (an administrator left its password empty) works for a week:
a new exporter who opens it the next day, or after a weekend, still chooses a password. A
password reset keeps its hour. An expired invitation says what to do."""

import html
import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxEmail, User

from factories import make_user
from forms import login, post

NEW = "a fresh long passphrase for the steppe"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _section(response) -> str:
    """The page's card: the rest holds the session's CSRF token, which differs per visitor."""
    return re.search(r"<section.*?</section>", _page(response), re.S).group(0)


def _email(address: str) -> OutboxEmail:
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == address)
                              .order_by(OutboxEmail.id.desc())).first()


def _link(email: OutboxEmail) -> str:
    return re.search(r"https?://\S+(/password/reset/\S+)", email.body).group(1)


def _invite(client, address: str, locale: str = "en") -> OutboxEmail:
    if not db.session.scalar(select(User.id).where(User.email == "root@example.kz")):
        login(client, make_user("admin", "root@example.kz").email)
    answer = post(client, "/admin/users/new", {
        "email": address, "full_name": "Dana Serikova", "role": "exporter", "is_active": "y",
        "locale": locale})
    assert answer.status_code == 302
    return _email(address)


def test_an_invitation_works_for_a_week_and_a_reset_link_for_an_hour(ctx, client, app):
    invitation = _invite(client, "new.exporter@example.kz")
    assert "Open this link within 7 days to choose its password" in invitation.body
    person = make_user("exporter", "aigerim@example.kz")
    login(app.test_client(), person.email)  # an account signed in before gets a reset link
    post(client, "/password/forgot", {"email": person.email})
    reset = _email(person.email)
    assert "within 60 minutes" in reset.body
    newcomer = app.test_client()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=6, hours=23), tick=False):
        assert newcomer.get(_link(reset)).status_code == 410
        assert newcomer.get(_link(invitation)).status_code == 200
        chosen = post(newcomer, _link(invitation), {"new_password": NEW,
                                                    "repeat_password": NEW})
        assert chosen.status_code == 302 and chosen.location == "/login"
        assert newcomer.get(_link(invitation)).status_code == 410  # once only


def test_an_expired_invitation_says_how_to_get_a_new_link(ctx, client, app):
    invitation = _invite(client, "late.exporter@example.kz")
    newcomer = app.test_client()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=7, minutes=1), tick=False):
        expired = newcomer.get(_link(invitation))
    assert expired.status_code == 410
    text = _page(expired)
    assert ("This invitation has expired: its link worked for 7 days. Type your address below "
            "to get a new link to choose your password") in text
    assert 'action="/password/forgot"' in text


def test_the_invitation_says_its_days_in_the_accounts_language(ctx, client):
    assert "в течение 7 дней" in _invite(client, "olga@example.kz", "ru").body
    assert "7天内" in _invite(client, "li.wei@example.kz", "zh").body


def test_a_newcomer_whose_invitation_expired_gets_an_invitation_again_not_an_hours_link(
        ctx, client, app):
    """The expired invitation's page sends the person to "Forgot your password?", which
    e-mailed a reset link good for an hour: a newcomer who opened it the next morning was
    refused a second time."""
    invitation = _invite(client, "late.exporter@example.kz", "kk")
    newcomer = app.test_client()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=8), tick=False):
        assert post(newcomer, "/password/forgot",
                    {"email": "late.exporter@example.kz"}).status_code == 200
        again = _email("late.exporter@example.kz")
        assert again.id != invitation.id
        assert "7 күн ішінде" in again.body  # the invitation's words, in the account's language
    with time_machine.travel(datetime.now(UTC) + timedelta(days=9), tick=False):
        assert newcomer.get(_link(again)).status_code == 200  # a day later, not an hour
        chosen = post(newcomer, _link(again), {"new_password": NEW, "repeat_password": NEW})
        assert chosen.status_code == 302 and chosen.location == "/login"


def test_the_page_promises_no_lifetime_the_email_may_not_have(ctx, client, app):
    """An account never signed in is sent its invitation again (7 days), one signed in
    before a reset link (an hour): the page answers both alike, so it cannot name either
    lifetime; the e-mail does."""
    _invite(client, "newcomer@example.kz")
    veteran = make_user("exporter", "veteran@example.kz")
    login(app.test_client(), veteran.email)
    answers = [_section(post(app.test_client(), "/password/forgot", {"email": address}))
               for address in ("newcomer@example.kz", "veteran@example.kz")]
    for answer, address in zip(answers, ("newcomer@example.kz", "veteran@example.kz"),
                               strict=True):
        assert (f"If {address} is the address of an active account, a link to choose a new "
                "password is on its way to it. It works once; the e-mail says for how long."
                in answer)
        assert "60 minutes" not in answer and "7 days" not in answer
    assert answers[0].replace("newcomer", "veteran") == answers[1]
    assert "within 7 days" in _email("newcomer@example.kz").body
    assert "within 60 minutes" in _email("veteran@example.kz").body
