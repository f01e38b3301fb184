"""Sign-in, throttling, safe redirects and sessions really revoked (docs/security.md 1–7)."""

import html
import re
from urllib.parse import urlsplit

import pytest
from flask import g
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash

from certtrack import create_app
from certtrack.config import DefaultConfig
from certtrack.extensions import db
from certtrack.models import AuditEvent, LoginAttempt, User
from certtrack.services import sessions, sign_in
from certtrack.web import trust_proxies

from factories import make_user
from forms import PASSWORD, csrf_token, login, post, totp_code, without_csrf_tokens

NEW_PASSWORD = "a longer phrase nobody guesses"
INVALID = "Invalid e-mail, password or authentication code."
BREACHED = "This password appears in lists of breached passwords; choose another."
HOMES = {"exporter": "/exporter/", "inspector": "/inspector/", "registrar": "/registrar/",
         "admin": "/admin/users"}
ATTACKER_ADDRESS = "203.0.113.9"


def attempt(client, email, password=PASSWORD, address="198.51.100.1", **data):
    """One sign-in from the given client address (staff with their app's current code)."""
    data.setdefault("code", totp_code(client.application, email))
    return post(client, "/login", {"email": email, "password": password, **data},
                environ_base={"REMOTE_ADDR": address})


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def signed_in(client) -> bool:
    """True when the client's session is accepted on a page that needs signing in."""
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.mark.parametrize("role", sorted(HOMES))
def test_sign_in_leads_to_the_home_of_the_role(ctx, client, role):
    user = make_user(role)
    response = attempt(client, user.email)
    assert response.status_code == 302
    landing = client.get(response.location, follow_redirects=True)
    assert landing.status_code == 200
    assert landing.request.path == HOMES[role]


def test_wrong_password_and_unknown_email_get_the_same_answer(ctx, client):
    user = make_user("exporter", "known@example.kz")
    wrong = attempt(client, user.email, "not the password at all")
    unknown = attempt(client, "unknown@example.kz", "not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    wrong_page = without_csrf_tokens(wrong.get_data(as_text=True)).replace(user.email, "EMAIL")
    unknown_page = without_csrf_tokens(unknown.get_data(as_text=True)).replace(
        "unknown@example.kz", "EMAIL")
    assert INVALID in wrong_page
    assert wrong_page == unknown_page
    assert not signed_in(client)


def test_e_mail_is_matched_without_regard_to_case_and_spaces(ctx, client):
    user = make_user("exporter", "mixed@example.kz")
    assert attempt(client, "  MiXed@Example.KZ ").status_code == 302
    assert signed_in(client)
    assert user.email == "mixed@example.kz"


def test_disabled_account_cannot_sign_in(ctx, client):
    user = make_user("registrar")
    user.is_active = False
    db.session.commit()
    response = attempt(client, user.email)
    assert response.status_code == 422
    assert INVALID in response.get_data(as_text=True)
    assert not signed_in(client)


def test_sign_in_and_failures_are_audited(ctx, client):
    user = make_user("exporter")
    attempt(client, user.email, "wrong password here")
    attempt(client, user.email)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["login_failed", "login"]


@pytest.fixture
def hash_checks(monkeypatch):
    """Count the password hash checks the sign-in makes."""
    calls = []

    def counting(pwhash, password):
        calls.append(pwhash)
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(sign_in, "check_password_hash", counting)
    return calls


def test_account_is_throttled_after_five_failures_before_the_hash_is_checked(
        app, ctx, client, hash_checks):
    user = make_user("exporter")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert limit == 5
    for _ in range(limit):
        assert attempt(client, user.email, "guess guess guess").status_code == 422
    assert len(hash_checks) == limit
    response = attempt(client, user.email)  # the right password, too late
    assert response.status_code == 429
    assert len(hash_checks) == limit, "the password hash was checked while throttled"
    retry_after = int(response.headers["Retry-After"])
    window = app.config["LOGIN_THROTTLE_WINDOW"].total_seconds()
    assert 0 < retry_after <= window
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_throttling_an_account_applies_to_every_address_and_spelling(ctx, client):
    user = make_user("exporter", "target@example.kz")
    for number in range(5):
        attempt(client, user.email, "guess guess guess", address=f"192.0.2.{number}")
    assert attempt(client, "TARGET@example.kz", address="192.0.2.99").status_code == 429


def test_a_success_below_the_limit_clears_the_account_counter(ctx, client):
    user = make_user("exporter")
    for _ in range(4):
        attempt(client, user.email, "guess guess guess")
    assert attempt(client, user.email).status_code == 302
    post(client, "/logout")
    for _ in range(4):
        attempt(client, user.email, "guess guess guess")
    assert attempt(client, user.email).status_code == 302


def test_client_address_is_throttled_after_twenty_failures(app, ctx, client, hash_checks):
    user = make_user("exporter")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    assert limit == 20
    for number in range(limit):
        response = attempt(client, f"nobody{number}@example.kz", "guess", ATTACKER_ADDRESS)
        assert response.status_code == 422
    checks = len(hash_checks)
    response = attempt(client, user.email, PASSWORD, ATTACKER_ADDRESS)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert len(hash_checks) == checks
    # The same account from another address is not affected.
    assert attempt(client, user.email, PASSWORD, "198.51.100.77").status_code == 302


def test_an_office_signing_many_people_in_from_one_address_is_never_made_to_wait(app, ctx,
                                                                                client):
    app.config["LOGIN_RATE_LIMIT"] = "100/minute"  # the request rate is another limit
    users = [make_user("exporter", f"clerk{number}@example.kz") for number in range(4)]
    office = "203.0.113.20"
    for round_ in range(7):  # 28 sign-ins from one address, more than its 20 free attempts
        for user in users:
            assert attempt(client, user.email, PASSWORD, office).status_code == 302, round_
            post(client, "/logout")
    for number in range(19):  # its own failures still count: 19, then the 20th...
        assert attempt(client, f"nobody{number}@example.kz", "guess", office).status_code == 422
    assert attempt(client, users[0].email, "guess", office).status_code == 422
    refused = attempt(client, users[1].email, PASSWORD, office)
    assert refused.status_code == 429
    assert "Try again in 1 minute." in refused.get_data(as_text=True)


def _fail_twenty_times(client, forwarded_for):
    for number in range(20):
        response = post(client, "/login", {"email": f"nobody{number}@example.kz",
                                           "password": "guess"},
                        environ_base={"REMOTE_ADDR": "127.0.0.1"},
                        headers={"X-Forwarded-For": forwarded_for(number)})
        assert response.status_code == 422


def _sign_in_through_proxy(client, user, forwarded_for):
    return post(client, "/login", {"email": user.email, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
                headers={"X-Forwarded-For": forwarded_for})


def test_a_forged_forwarded_for_header_does_not_escape_the_address_throttle(ctx, client):
    user = make_user("exporter")
    _fail_twenty_times(client, lambda number: f"192.0.2.{number}")
    assert _sign_in_through_proxy(client, user, "198.51.100.200").status_code == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_address_throttle(app, ctx, client):
    app.config["TRUSTED_PROXIES"] = 1
    trust_proxies(app)
    user = make_user("exporter")
    _fail_twenty_times(client, lambda _number: ATTACKER_ADDRESS)
    assert _sign_in_through_proxy(client, user, ATTACKER_ADDRESS).status_code == 429
    assert _sign_in_through_proxy(client, user, "198.51.100.200").status_code == 302


def test_create_app_trusts_the_configured_proxies(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "TRUSTED_PROXIES": 1,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    assert isinstance(app.wsgi_app, ProxyFix)
    assert not isinstance(create_app({"TESTING": True, "SECRET_KEY": "x",
                                      "SQLALCHEMY_DATABASE_URI": database_url}).wsgi_app,
                          ProxyFix)


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "http://evil.example/exporter/",
    "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
    "evil.example",
])
def test_next_leads_only_to_a_path_on_this_site(ctx, client, target):
    user = make_user("exporter")
    response = attempt(client, user.email, next=target)
    assert response.status_code == 302
    assert response.location == "/"
    assert not urlsplit(response.location).netloc


def test_next_brings_the_user_back_to_the_page_asked_for(ctx, client):
    user = make_user("exporter")
    asked = client.get("/account?tab=password")
    assert asked.status_code == 302
    login_page = client.get(asked.location).get_data(as_text=True)
    hidden = re.search(r'id="next" name="next" type="hidden" value="([^"]*)"', login_page)
    assert hidden and html.unescape(hidden.group(1)) == "/account?tab=password"
    response = attempt(client, user.email, next=html.unescape(hidden.group(1)))
    assert response.location == "/account?tab=password"


def test_sign_in_starts_a_new_session(app, ctx, client):
    user = make_user("exporter")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    token_before = csrf_token(client)
    attempt(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["uid"] == user.id
    # A token of the old session no longer works: the CSRF secret was renewed with the session.
    response = client.post("/logout", data={"csrf_token": token_before})
    assert response.status_code == 400
    assert signed_in(client)


def test_sign_in_keeps_the_language_chosen_before(ctx, client):
    user = make_user("exporter")
    post(client, "/language", {"locale": "ru"})
    attempt(client, user.email)
    with client.session_transaction() as session:
        assert session["locale"] == "ru"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie: str):
    """A new client presenting a copied session cookie: what the page answers."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/account")


def test_logout_revokes_the_session_on_the_server(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    stolen = _session_cookie(client)
    assert _replay(app, stolen).status_code == 200
    response = post(client, "/logout")
    assert response.status_code == 302
    assert response.location == "/login"
    replayed = _replay(app, stolen)
    assert replayed.status_code == 302
    assert replayed.location.startswith("/login?next=")
    assert not signed_in(client)


def test_the_sign_in_page_after_a_logout_keeps_the_language(ctx, client):
    """It spoke English to a user who had chosen Chinese, beside a flash in Chinese."""
    user = make_user("exporter")
    login(client, user.email)
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    post(client, "/logout")
    g.pop("_flask_babel", None)
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh">' in page and "您已退出登录。" in page
    assert "Sign in" not in page
    assert not signed_in(client)


def test_logout_needs_a_post(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    assert client.get("/logout").status_code == 405
    assert signed_in(client)


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, repeated=None):
    return post(client, "/account/password", {
        "current_password": current, "new_password": new,
        "repeat_password": new if repeated is None else repeated},
        environ_base={"REMOTE_ADDR": "198.51.100.5"})


def test_password_change_revokes_the_other_sessions(app, ctx, client):
    user = make_user("exporter")
    other_device = app.test_client()
    login(other_device, user.email)
    login(client, user.email)
    assert signed_in(other_device)
    assert client.get("/account").get_data(as_text=True).count(">End session<") == 1
    response = _change_password(client)
    assert response.status_code == 302
    assert signed_in(client), "the session that changed the password stays signed in"
    assert not signed_in(other_device)
    # The ended sessions leave the list: it listed them as active, with "End session".
    assert ">End session<" not in client.get("/account").get_data(as_text=True)
    db.session.expire_all()
    assert len(sessions.active_sessions(db.session.get(User, user.id))) == 1
    post(client, "/logout")
    assert attempt(client, user.email, PASSWORD).status_code == 422
    assert attempt(client, user.email, NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_current_password(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    before = user.password_hash
    response = _change_password(client, current="not my password")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "current_password") == "The current password is not correct."
    db.session.refresh(user)
    assert user.password_hash == before
    assert signed_in(client)


def test_every_mistake_of_a_password_change_is_said_in_one_answer(ctx, client):
    """With the new password typed differently twice, only "the two new passwords differ" was
    said: the wrong current password and the too-short new one came on the next tries."""
    user = make_user("exporter")
    login(client, user.email)
    before = user.password_hash
    response = _change_password(client, current="not my password", new="short",
                                repeated="shrot")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "current_password") == "The current password is not correct."
    assert "12" in field_error(page, "new_password")  # its length rule
    assert field_error(page, "repeat_password") == "The two new passwords differ."
    db.session.refresh(user)
    assert user.password_hash == before


def test_guessing_the_current_password_waits_as_signing_in_does(ctx, client):
    """The form checked the current password at once, each time: a session left open guessed
    it at the speed of the hash (docs/security.md item 3)."""
    user = make_user("exporter")
    login(client, user.email)
    before = user.password_hash
    for _ in range(5):  # the account's free failures
        assert field_error(_change_password(client, current="a wrong guess").get_data(
            as_text=True), "current_password") == "The current password is not correct."
    waits = _change_password(client)  # the right one, now: not even checked
    assert waits.status_code == 422
    assert field_error(waits.get_data(as_text=True), "current_password") == \
        "Too many wrong entries. Try again in 1 minute."
    db.session.refresh(user)
    assert user.password_hash == before


def test_the_right_current_password_forgets_the_wrong_ones(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    for _ in range(4):
        _change_password(client, current="a wrong guess")
    assert _change_password(client).status_code == 302
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    for _ in range(5):  # counted from nothing again: five free failures, not one
        assert field_error(_change_password(client, current="a wrong guess").get_data(
            as_text=True), "current_password") == "The current password is not correct."


@pytest.mark.parametrize(("password", "message"), [
    ("short pass", "Use at least 12 characters."),
    ("x" * 129, "Use at most 128 characters."),
    ("qwerty123456", BREACHED),
    ("Q1W2E3R4T5Y6", BREACHED),
    ("iloveyou1234", BREACHED),
    ("kkkkkkkkkkkkkkkk", "This password is too easy to guess. Repeats like “aaa” are easy to "
                        "guess. Add another word or two. Uncommon words are better. Avoid "
                        "repeated words and characters."),
])
def test_weak_new_passwords_are_refused_with_the_reason(ctx, client, password, message):
    user = make_user("exporter")
    login(client, user.email)
    before = user.password_hash
    response = _change_password(client, new=password)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "new_password") == message
    db.session.refresh(user)
    assert user.password_hash == before


@pytest.mark.parametrize(("new", "repeated", "field", "message"), [
    # The whole e-mail scored as strong; the current password "changed" nothing.
    ("{email}", None, "new_password",
     "Choose a password without your e-mail address or name in it."),
    ("my name is {local} and this is long", None, "new_password",
     "Choose a password without your e-mail address or name in it."),
    (PASSWORD, None, "new_password", "Choose a new password, not the current one."),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "repeat_password", "The two new passwords differ."),
])
def test_a_new_password_is_new_typed_twice_and_not_the_accounts_own_words(
        ctx, client, new, repeated, field, message):
    user = make_user("exporter", "saule.nurlanova@example.kz")
    login(client, user.email)
    before = user.password_hash
    local = user.email.split("@")[0]
    response = _change_password(client, new=new.format(email=user.email, local=local),
                                repeated=repeated)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field) == message
    db.session.refresh(user)
    assert user.password_hash == before


def test_passwords_are_stored_as_scrypt_hashes_by_default(app, ctx, monkeypatch):
    # The tests sign in with a cheap hash for speed; deployments get Werkzeug's scrypt.
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", DefaultConfig.PASSWORD_HASH_METHOD)
    user = make_user("exporter")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_unknown_e_mail_costs_a_hash_check_of_the_configured_kind(app, ctx, client, hash_checks):
    """A miss checks a dummy hash made like the real ones, so timing does not tell them apart."""
    user = make_user("exporter")
    attempt(client, user.email, "wrong password here")
    attempt(client, "nobody@example.kz", "wrong password here")
    assert len(hash_checks) == 2
    real, dummy = (stored.split("$", 1)[0] for stored in hash_checks)
    assert real == dummy == app.config["PASSWORD_HASH_METHOD"]


def test_disabling_an_account_revokes_its_session_at_once(app, ctx, client):
    user = make_user("inspector")
    admin = make_user("admin")
    login(client, user.email)
    assert client.get("/inspector/").status_code == 200
    admin_client = app.test_client()
    login(admin_client, admin.email)
    response = post(admin_client, f"/admin/users/{user.id}", {
        "full_name": user.full_name, "role": "inspector", "committee": "phytosanitary",
        "regions": ["KZ-11"], "reason": "Left the inspection",
        "confirm_disable": "y"})  # the "Active" box left unticked
    assert response.status_code == 302
    revoked = client.get("/inspector/")
    assert revoked.status_code == 302
    assert revoked.location.startswith("/login")
    assert not db.session.get(User, user.id).is_active


def test_the_sign_in_form_posts_per_address_are_capped_and_the_refusal_audited(app, ctx, client):
    app.config["LOGIN_RATE_LIMIT"] = "3/minute"
    for number in range(3):
        assert attempt(client, f"nobody{number}@example.kz", "guess guess guess",
                       ATTACKER_ADDRESS).status_code == 422
    refused = attempt(client, "nobody@example.kz", "guess guess guess", ATTACKER_ADDRESS)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_refused"))
    assert event.data["kind"] == "rate"
    assert attempt(client, "nobody@example.kz", "guess guess guess",
                   "198.51.100.77").status_code == 422  # another address is not affected


def test_a_throttled_sign_in_is_audited_and_logged_without_the_address(app, ctx, client):
    user = make_user("exporter")
    for _ in range(5):
        attempt(client, user.email, "guess guess guess", ATTACKER_ADDRESS)
    assert attempt(client, user.email, address=ATTACKER_ADDRESS).status_code == 429
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_refused"))
    assert (event.object_id, event.data["kind"]) == (user.id, "account")
    rows = db.session.scalars(select(LoginAttempt)).all()
    assert [row.outcome for row in rows] == ["failed"] * 5 + ["refused"]
    assert {row.user_id for row in rows} == {user.id}
    assert all(ATTACKER_ADDRESS not in (row.address_hash or "") for row in rows)
    assert len({row.address_hash for row in rows}) == 1


def test_the_language_one_signs_in_in_becomes_the_accounts_when_chosen(app, client):
    """An account made by an administrator has no language: e-mails went out in English to
    people who work in Kazakh. The page's language at sign-in becomes the account's. A
    language chosen on the sign-in page wins over the account's: the reader who chose
    Kazakh there was shown Chinese once signed in. The browser's language alone does not
    change an account's."""
    with app.app_context():
        newcomer = make_user("exporter", "newcomer@example.kz").email
        for email in ("chosen@example.kz", "kept@example.kz"):
            make_user("exporter", email).locale = "ru"
        db.session.commit()
    assert post(client, "/language", {"locale": "kk"}).status_code == 302
    login(client, newcomer)
    other = app.test_client()
    assert post(other, "/language", {"locale": "zh"}).status_code == 302
    login(other, "chosen@example.kz")
    assert 'lang="zh"' in other.get("/exporter/").get_data(as_text=True)
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    login(browser, "kept@example.kz")
    with app.app_context():
        locales = dict(db.session.execute(select(User.email, User.locale).where(
            User.email.like("%@example.kz"))).all())
    assert locales == {"newcomer@example.kz": "kk", "chosen@example.kz": "zh",
                       "kept@example.kz": "ru"}


def test_password_managers_can_fill_the_sign_in_and_password_forms(ctx, client):
    """The fields said nothing of what they hold, so a browser could not fill the sign-in
    or offer a strong new password."""
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*name="email"', page)
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*name="password"', page)
    assert 'autocomplete="one-time-code"' in page
    login(client, make_user("exporter").email)
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'autocomplete="current-password"[^>]*name="current_password"', page)
    assert len(re.findall(r'autocomplete="new-password"[^>]*name="(?:new|repeat)_password"',
                          page)) == 2
