"""What every journey shares: signing in as a demo account, today in Kazakhstan, the run's
identity for unique numbers, the certificates a visitor may hold, and the loop of one person."""

import random
import re
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pyotp

from bench.soak.client import Browser, Page, Recorder, Unavailable, Unexpected
from certtrack.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from certtrack.domain.calendar import load_calendar
from certtrack.services.reference import reference_dir

KAZAKHSTAN = ZoneInfo("Asia/Almaty")
CALENDAR = load_calendar(reference_dir() / "holidays.csv")
STATE_RE = re.compile(r'class="badge badge-([a-z_]+)"')


def today() -> date:
    """Today in Kazakhstan, as the app counts it."""
    return datetime.now(KAZAKHSTAN).date()


def outside_hours(values: dict) -> dict:
    """`values` with the outside-working-hours box and its reason on a weekend or holiday."""
    if not CALENDAR.is_working_day(today()):
        values.update(outside_working_hours=True,
                      outside_hours_reason="Soak test run on a day off")
    return values


def state_of(page: Page) -> str | None:
    """The state of the application a page shows (its first state badge)."""
    found = STATE_RE.search(page.text)
    return found.group(1) if found else None


@dataclass
class Shared:
    """What the people of one run share (every field is used under `lock` or is immutable)."""

    base: str
    recorder: Recorder
    run: str  # five capital letters naming this run in batch references and China numbers
    first_application: int = 1  # the first id of an application made during the run
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    certificates: list[tuple[str, str]] = field(default_factory=list)  # (number, code)
    serial: int = 0
    issued_pdf: bytes = b""  # an issued certificate, for the public's seal checks
    steps: Counter = field(default_factory=Counter)  # (role, step) done
    anomalies: Counter = field(default_factory=Counter)  # (role, description) of 4xx etc.

    def next_serial(self) -> int:
        with self.lock:
            self.serial += 1
            return self.serial

    def done(self, role: str, step: str) -> None:
        with self.lock:
            self.steps[(role, step)] += 1

    def odd(self, role: str, what: str) -> None:
        with self.lock:
            self.anomalies[(role, what)] += 1


class Person:
    """One person of a role, signed in with a browser of their own, working in a loop."""

    role = "visitor"

    def __init__(self, shared: Shared, email: str | None, number: int, think: float) -> None:
        self.shared, self.email, self.think = shared, email, think
        self.rng = random.Random(f"{shared.run}-{self.role}-{number}")
        self.browser = Browser(shared.base, self.role, shared.recorder, f"10.20.{number}.7")
        self.signed_in = email is None
        self.totp_step = 0

    def pause(self) -> None:
        """Think a moment between pages, as a person does."""
        if self.think:
            time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))

    def get(self, url: str, expect=(200,)) -> Page:
        self.pause()
        return self._signed_in(self.browser.get(url, expect))

    def submit(self, page: Page, action: str, values: dict | None = None, **kwargs) -> Page:
        self.pause()
        return self._signed_in(self.browser.submit(page, action, values, **kwargs))

    def _signed_in(self, page: Page) -> Page:
        """The page, unless the session ended and the app sent the person to sign in."""
        if self.email and self.signed_in and page.path == "/login":
            self.signed_in = False
            raise Unexpected("sent to the sign-in page")
        return page

    def sign_in(self) -> None:
        """The sign-in form with the password and, for staff, a code of the app not used yet
        (a code works once: after a sign-in lost in an outage the next one is needed)."""
        page = self.get("/login")
        values = {"email": self.email, "password": DEMO_PASSWORD}
        secret = DEMO_TOTP_SECRETS.get(self.email)
        if secret:
            step = max(int(time.time()) // 30, self.totp_step + 1)
            self.totp_step = step
            values["code"] = pyotp.TOTP(secret).at(step * 30)
        page = self.submit(page, r"/login$", values)
        if "/login" in page.path:
            raise Unexpected(f"signing in as {self.email} failed")
        self.signed_in = True

    def step(self) -> None:
        """One piece of work of the role (several pages)."""
        raise NotImplementedError

    def run(self) -> None:
        """Work until the run stops: a step abandoned on a 503 or a refused connection is
        tried again a second later; an unexpected page is counted and the work goes on."""
        while not self.shared.stop.is_set():
            try:
                if not self.signed_in:
                    self.sign_in()
                self.step()
            except Unavailable:
                time.sleep(1)
            except Unexpected as error:
                self.shared.odd(self.role, _shape(str(error)))
                time.sleep(0.5 if self.signed_in else 5)
            except Exception as error:  # noqa: BLE001 - a fault of the soak itself: counted
                self.shared.odd(self.role, _shape(f"soak fault {type(error).__name__}: {error}"))
                traceback.print_exc()
                time.sleep(1)


def _shape(message: str) -> str:
    """A failure's description with its numbers folded, so that alike ones count together."""
    return re.sub(r"\d+", "N", message)[:160]
