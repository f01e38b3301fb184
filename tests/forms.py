"""Posting forms as a browser does: with the CSRF token read from a page of the session."""

import re
import time

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import User
from certtrack.services import two_factor

PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """A CSRF token of the client's session, read from a page's form as a browser would."""
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def without_csrf_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: they carry the second they were made, so two
    answers compared for sameness would otherwise differ across a second's boundary."""
    return CSRF_RE.sub('name="csrf_token" value=""', page)


def post(client, url: str, data: dict | None = None, csrf_url: str = "/login", **kwargs):
    """POST with the session's CSRF token (read from `csrf_url`) added, like a form in the
    browser."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, csrf_url))
    return client.post(url, data=data, **kwargs)


def totp_code(app, email: str) -> str:
    """The code an authenticator app holding the account's secret would offer now ("" when the
    account has no second factor): the current step's, or the next one's when the current code
    was already used (two sign-ins within 30 seconds, as a person would wait for). When every
    code the server accepts now was used, it waits for the next one, as a person would."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None or not user.has_totp:
            return ""
        step = max(two_factor.current_step(), (user.totp_last_step or 0) + 1)
        while step > two_factor.current_step() + two_factor.DRIFT:
            time.sleep(1)
        return two_factor.code_at(user.totp_secret, step)


def login(client, email: str, password: str = PASSWORD):
    """Sign in as a person does: e-mail, password and, for staff, the app's current code."""
    data = {"email": email, "password": password, "code": totp_code(client.application, email)}
    response = post(client, "/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
RECOVERY_RE = re.compile(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>")


def enrol(client) -> tuple[str, list[str]]:
    """Set up two-step sign-in as a person does: start, read the key beside the QR code, enter
    the app's code; return the secret and the recovery codes shown once."""
    import pyotp

    assert post(client, "/account/two-factor/start", {},
                csrf_url="/account/two-factor").status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = SECRET_RE.search(page).group(1)
    done = post(client, "/account/two-factor/confirm", {"code": pyotp.TOTP(secret).now()},
                csrf_url="/account/two-factor")
    assert done.status_code == 200, done.get_data(as_text=True)[:2000]
    return secret, RECOVERY_RE.findall(done.get_data(as_text=True))


def flashes(page: str) -> list[str]:
    """The messages flashed on a page, as read: their text without markup."""
    return [re.sub(r"<[^>]+>", "", message)
            for message in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page, re.S)]
