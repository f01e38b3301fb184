"""Fixtures of the real-browser journey: the app served live on 127.0.0.1, Debian's Chromium
driven by Playwright, and numbered screenshots under tests/e2e/screenshots/ (git-ignored)."""

import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from certtrack import create_app
from certtrack.extensions import db
from certtrack.services import accounts, officials, two_factor
from certtrack.services.inputs import OfficialInput
from certtrack.services.permissions import SYSTEM
from certtrack.services.reference import load_reference

from forms import PASSWORD, totp_code

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Upper bounds, reached only when something is wrong (or the machine is very busy: issuing a
# certificate renders its PDF while the browser waits).
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)
ACCOUNTS = {
    "exporter": {"email": "aigerim@steppe-grain.kz", "full_name": "Aigerim Nurlanovna",
                 "role": "exporter"},
    "inspector": {"email": "inspector@akmola.gov.kz", "full_name": "Daulet Seitkali",
                  "role": "inspector", "committee": "phytosanitary", "regions": ["KZ-11"]},
    "registrar": {"email": "registrar@minagri.gov.kz", "full_name": "Saule Omarova",
                  "role": "registrar"},
}


def _find_chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def _apt_install_chromium() -> str:
    """Install Debian's chromium with apt-get (as root, or with password-less sudo)."""
    if shutil.which("apt-get") is None:
        return "apt-get is not available on this system"
    prefix: list[str] = []
    if os.geteuid() != 0:
        sudo_ok = shutil.which("sudo") and subprocess.run(
            ["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
        if not sudo_ok:
            return "not root and no password-less sudo"
        prefix = ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(prefix + command, capture_output=True, text=True, env=env,
                              timeout=900, check=False)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}"
    return ""


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; installed with apt-get when missing. Never a Playwright download."""
    path = _find_chromium()
    if path is None:
        problem = _apt_install_chromium()
        path = _find_chromium()
        if path is None:
            pytest.fail("The browser journey needs Debian's Chromium (/usr/bin/chromium) and it "
                        f"could not be installed ({problem or 'not found after apt-get'}). "
                        "Run `make system-deps` or `sudo apt-get install -y chromium`.")
    return path


@dataclass
class LiveServer:
    """The app answering on 127.0.0.1 in a background thread, with its SQLite file."""

    app: object
    url: str
    errors: list = field(default_factory=list)
    cookies: dict = field(default_factory=dict)  # by e-mail: the browser of its first sign-in

    def resume(self, page, email: str, sign_in) -> None:
        """Sign `page` in as `email`: the first time through `sign_in(page, self, email)` (the
        form), later with that sign-in's cookies, as a browser still signed in. A staff code
        works once, so each form sign-in after the second within 30 seconds waited for the
        next code: most of the phone and accessibility checks' time."""
        if email not in self.cookies:
            sign_in(page, self, email)
            self.cookies[email] = page.context.cookies()
            return
        page.context.add_cookies(self.cookies[email])
        page.goto(self.url + "/")
        expect(page.locator("header.signed-in")).to_be_attached()

    def today(self):
        """Today in Kazakhstan, as the app counts it (dates typed into the forms)."""
        from certtrack.services.applications import local_today

        with self.app.app_context():
            return local_today()


def _live_app(folder: Path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "e2e-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'certtrack.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.test_request_context():
        db.create_all()
        load_reference()
        for account in ACCOUNTS.values():
            user = accounts.create_user(SYSTEM, accounts.AccountInput.from_mapping(
                {"committee": None, "regions": [], **account, "password": PASSWORD}))
            if two_factor.required(user):  # staff hold an authenticator app with this secret
                two_factor.set_known_secret(user, pyotp.random_base32())
            if user.role == "inspector":  # the name a consignment certificate prints
                officials.save_official_profile(user, OfficialInput(
                    name_kk="Дәулет Сейітқали", name_en="Daulet Seitkali",
                    position_kk="Бас инспектор", position_en="Chief inspector"))
        db.session.remove()
    return app


def _read_whole(app):
    """`app` with each response body read and closed before the server writes it. Werkzeug's
    development server leaves a body unclosed when the browser drops the connection while it
    drains the request (a favicon fetch cut short): the open static file then surfaced as a
    ResourceWarning in whichever test ran next."""
    def application(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return application


@contextmanager
def _serving(app):
    """Serve `app` on a free port of 127.0.0.1; server-side exceptions go to `errors`."""
    from flask import got_request_exception

    server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
    live = LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    # The certificate's QR code and verification link are built from the public base URL.
    app.config["PUBLIC_BASE_URL"] = live.url
    got_request_exception.connect(lambda sender, exception, **extra:
                                  live.errors.append(repr(exception)), app, weak=False)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app on a free port of 127.0.0.1, with one account per role and nothing else."""
    with _serving(_live_app(tmp_path_factory.mktemp("e2e"))) as live:
        yield live


def _demo_config(folder: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "e2e-demo-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'certtrack.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def _seed_demo(folder: Path) -> None:
    """The demo data that `make run` seeds (every state, every role's accounts) in `folder`."""
    app = create_app(_demo_config(folder))
    with app.app_context():
        db.create_all()
        load_reference()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()  # the database file closed, whole, before it is copied


_DEMO_SEEDED: list[Path] = []  # the folder seeded once per test process


def _demo_app(folder: Path, tmp_path_factory):
    """The app on a copy of the demo data. Seeding takes ten seconds: it is done once per test
    process, by the first module that asks (its documents one-page stand-ins, as every
    module's were), and each module's server starts from a copy of its database and files."""
    if not _DEMO_SEEDED:
        seeded = tmp_path_factory.mktemp("e2e-demo-seeded")
        _seed_demo(seeded)
        _DEMO_SEEDED.append(seeded)
    for item in _DEMO_SEEDED[0].iterdir():
        if item.is_dir():
            shutil.copytree(item, folder / item.name)
        else:
            shutil.copy2(item, folder / item.name)
    return create_app(_demo_config(folder))


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The app on the demo data, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("e2e-demo")
    with _serving(_demo_app(folder, tmp_path_factory)) as live:
        yield live


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Headless Chromium of the system, launched by path with a fresh profile."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Screenshots:
    """Saves tests/e2e/screenshots/NN-name.png, numbered in the order the steps are taken."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def __call__(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def save_image(self, source: Path, name: str) -> Path:
        """Keep an image made outside the browser (a PDF page) among the numbered steps."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        shutil.copyfile(source, path)
        return path


@pytest.fixture(scope="module")
def shot():
    return Screenshots(SCREENSHOTS)


class Person:
    """One person at one browser: a context of their own, and a watch on what goes wrong."""

    def __init__(self, browser, server, shot):
        self.context = browser.new_context(locale="en-US", viewport={"width": 1280,
                                                                      "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.server, self.shot, self.problems = server, shot, []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("response", self._watch)

    def _console(self, message):
        # Chromium asks for /favicon.ico on its own; the app has none (noted, not a failure).
        if message.type == "error" and not message.location.get("url", "").endswith(
                "/favicon.ico"):
            self.problems.append(message.text)

    def _watch(self, response):
        if response.request.resource_type == "document" and response.status >= 400:
            self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def open(self, path: str = "/"):
        self.page.goto(self.server.url + path)

    def snap(self, name: str):
        assert not self.problems, self.problems
        assert not self.server.errors, self.server.errors
        self.shot(self.page, name)

    def flash(self, text: str):
        expect(self.page.locator(".flashes")).to_contain_text(text)

    def state(self, text: str):
        expect(self.page.locator("dl.facts .badge").first).to_have_text(text)

    def button(self, name: str, within=None):
        (within or self.page).get_by_role("button", name=name, exact=True).click()

    def sign_in(self, email: str):
        self.open("/")
        self.page.get_by_role("link", name="Sign in").click()
        form = self.page.locator("main form")
        form.get_by_label("E-mail").fill(email)
        form.get_by_label("Password").fill(PASSWORD)
        # Staff type the current code of their authenticator app; others leave it empty.
        form.get_by_label("Authentication code").fill(totp_code(self.server.app, email))
        self.button("Sign in", form)

    def sign_out(self):
        self.button("Sign out")
        self.flash("You have signed out.")
        self.context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that fixtures can see whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_person(request, browser, live_server, shot):
    """Makes a Person (a fresh browser context); on failure each one's page is photographed."""
    people: list[Person] = []

    def make() -> Person:
        people.append(Person(browser, live_server, shot))
        return people[-1]

    yield make
    failed = getattr(request.node, "report_call", None) is not None and \
        request.node.report_call.failed
    for number, person in enumerate(people, start=1):
        if failed and not person.page.is_closed():
            shot(person.page, f"failure-person-{number}")
        person.context.close()
