"""Parallel guessing against a real server (docs/security.md item 3): the account's limit holds
however many guesses race, and the owner still signs in with the authenticator's code or from
a known device while strangers fail.

The server is werkzeug's, threaded, on an SQLite file (PostgreSQL when
CERTTRACK_TEST_DATABASE_URL is set). Each stranger connects from an address of its own: Linux
routes all of 127.0.0.0/8 to the loopback, so a client socket bound to 127.0.0.N really arrives
from there; no proxy header is involved.
"""

import http.client
import re
import threading
import urllib.parse
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from certtrack.extensions import db
from certtrack.models import AuditEvent, LoginAttempt
from certtrack.services import two_factor

from factories import make_user
from forms import PASSWORD

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COOKIE_RE = re.compile(r"^([^=;]+)=([^;]*)")


class Browser:
    """A client at one source address that keeps its cookies, like a browser."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                                source_address=(self.address, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = COOKIE_RE.match(header).groups()
            self.cookies[name] = value
        connection.close()
        return response.status, text

    def sign_in(self, email: str, password: str, code: str = "") -> int:
        """GET the form (session and CSRF token), then post it; the answer's status."""
        _status, page = self.request("GET", "/login")
        token = CSRF_RE.search(page).group(1)
        return self.sign_in_posting(email, password, code, token)

    def sign_in_posting(self, email, password, code, token) -> int:
        status, _page = self.request("POST", "/login", {
            "csrf_token": token, "email": email, "password": password, "code": code})
        return status


@pytest.fixture
def server(shared_app):
    """The app served on 127.0.0.1 in a thread: (app, port). A long first delay, so that the
    outcome does not depend on how fast the machine runs the guesses."""
    shared_app.config.update(LOGIN_DELAY_FIRST=timedelta(minutes=10),
                             LOGIN_DELAY_MAX=timedelta(minutes=30))
    httpd = make_server("127.0.0.1", 0, shared_app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield shared_app, httpd.server_port
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def _strangers(port: int, count: int) -> list[tuple[Browser, str]]:
    """`count` browsers at 127.0.0.2, .3, … each holding its sign-in form's CSRF token."""
    browsers = []
    for number in range(count):
        browser = Browser(port, f"127.0.0.{number + 2}")
        _status, page = browser.request("GET", "/login")
        browsers.append((browser, CSRF_RE.search(page).group(1)))
    return browsers


def _race(port: int, email: str, count: int, owner=None) -> tuple[list[int], object]:
    """Post `count` wrong passwords at once from distinct addresses; `owner`, a callable, runs
    at the same moment. Returns the strangers' statuses and the owner's result."""
    browsers = _strangers(port, count)
    start = threading.Barrier(count + (1 if owner else 0))
    statuses: list[int] = []
    outcome = {}

    def guess(browser, token):
        start.wait()
        statuses.append(browser.sign_in_posting(email, "a wrong guess here", "", token))

    def owner_run():
        start.wait()
        outcome["owner"] = owner()

    threads = [threading.Thread(target=guess, args=pair) for pair in browsers]
    if owner:
        threads.append(threading.Thread(target=owner_run))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses, outcome.get("owner")


def _count(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == action))


@pytest.mark.parametrize("guesses", [30, 60])
def test_parallel_guesses_from_many_addresses_get_no_more_than_the_limit(server, guesses):
    app, port = server
    with app.app_context():
        email = make_user("exporter").email
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    statuses, _owner = _race(port, email, guesses)
    assert len(statuses) == guesses
    answered = [status for status in statuses if status != 429]
    assert len(answered) <= limit
    assert answered == [422] * limit  # each tried the password and was told it was wrong
    assert _count(app, "login_refused") == guesses - limit
    with app.app_context():
        rows = db.session.scalars(select(LoginAttempt)).all()
    assert {row.outcome for row in rows} == {"failed", "refused"}
    assert all("127.0.0." not in (row.address_hash or "") for row in rows)


def test_staff_sign_in_with_the_app_code_while_strangers_are_failing(server):
    app, port = server
    with app.app_context():
        admin = make_user("admin")
        email, secret = admin.email, admin.totp_secret
    owner = Browser(port, "127.0.0.200")

    def sign_in():
        return owner.sign_in(email, PASSWORD, two_factor.current_code(secret))

    statuses, owner_status = _race(port, email, 30, owner=sign_in)
    assert owner_status == 302
    assert statuses.count(429) >= 30 - app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert owner.request("GET", "/admin/users")[0] == 200
    # Without the code the right password is no use to anyone, and the account waits.
    stranger = Browser(port, "127.0.0.201")
    assert stranger.sign_in(email, PASSWORD) == 429


def test_an_exporter_signs_in_from_a_known_device_while_strangers_are_failing(server):
    app, port = server
    with app.app_context():
        email = make_user("exporter").email
    owner = Browser(port, "127.0.0.210")
    assert owner.sign_in(email, PASSWORD) == 302  # the browser becomes a known device
    assert "certtrack_device" in owner.cookies
    owner.cookies.pop("session")
    statuses, owner_status = _race(port, email, 30, owner=lambda: owner.sign_in(email, PASSWORD))
    assert owner_status == 302
    assert statuses.count(429) >= 30 - app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    # A browser the account has never signed in from waits out the delay, password or not.
    assert Browser(port, "127.0.0.211").sign_in(email, PASSWORD) == 429
