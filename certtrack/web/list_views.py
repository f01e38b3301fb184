"""List rows as the page shows them: every label, name, date, age and link worked out once per
page in Python, so that a row of the template only prints values.

A table of 20-95 rows that called a helper per cell (a translated label, a localized name, a
date, a URL) spent most of its page in those calls: each goes through Jinja's context, and the
same state, category or date came back on every other row. Here each distinct value is worked
out once per page and the links are one `url_for` per list with the id put in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import get_locale, get_translations, gettext

from certtrack.domain.bounds import MAX_ID
from certtrack.domain.workflow import TERMINAL_STATES
from certtrack.services.applications import local_today
from certtrack.services.list_rows import ApplicationRow, RegisterRow, status_days
from certtrack.services.local_dates import DATE_FORMAT, local_day
from certtrack.services.reference import working_calendar
from certtrack.web import labels
from certtrack.web.templating import format_date_in, label_in


class _Page:
    """The language, today and the page's caches of labels, dates and ages."""

    def __init__(self):
        self.locale = get_locale()
        self.language = str(self.locale)
        self.catalog = get_translations()
        self.today = local_today()
        self._dates: dict[date, str] = {}
        self._ages: dict[date, str] = {}
        self._dues: dict[date, str] = {}

    def label(self, codes: dict, value: str) -> str:
        return label_in(self.language, codes, value)

    def date(self, value: date | None) -> str:
        if value is None:
            return ""
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = format_date_in(value, DATE_FORMAT, self.locale)
        return text

    def due(self, value: "date | None") -> str:  # `date`: the method above, in here
        """"due <date>", worked out once per date."""
        if value is None:
            return ""
        text = self._dues.get(value)
        if text is None:
            text = self._dues[value] = gettext("due %(date)s", date=self.date(value))
        return text

    def age(self, moment: datetime) -> str:
        """"N working days" since `moment`, the age of an application in its stage, counted
        from the day it fell on in Kazakhstan (its UTC date is the day before until 05:00)."""
        day = local_day(moment)
        text = self._ages.get(day)
        if text is None:
            days = working_calendar().working_days_between(day, self.today)
            text = self._ages[day] = self.catalog.ungettext(
                "%(num)d working day", "%(num)d working days", days) % {"num": days}
        return text


def id_link(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """The URL of `endpoint` for any id given as `key`, built once per list (url_for per row
    costs more than the rest of the row): the address of the largest id, with the id put in."""
    sample = url_for(endpoint, **values, **{key: MAX_ID})
    before, found, after = sample.partition(str(MAX_ID))
    if not found:
        return lambda id_: url_for(endpoint, **values, **{key: id_})
    return lambda id_: f"{before}{id_}{after}"


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """An application's row, every cell as the page prints it."""

    id: int
    reference: str
    url: str
    kind: str
    kind_label: str
    enterprise: str
    bin: str
    establishment: str
    region: str
    category: str
    state: str
    state_label: str
    badge: str  # the badge's class: the state, or the registration's when no longer in force
    deadline: str  # "" without a deadline
    due: str  # "due <deadline>", "" without a deadline
    overdue: bool
    age: str
    assignee: str | None
    batch_url: str | None
    batch_reference: str | None
    products: tuple[tuple[str, str], ...]  # (HS code, name)


# An application closed for good has no stage running: its age would count on for years.
CLOSED = frozenset(str(state) for state in TERMINAL_STATES)


def _state(page: _Page, row: ApplicationRow) -> tuple[str, str]:
    """The state's label and badge class: a registered application whose registration is
    suspended or has ended says so ("Registration in China revoked") rather than
    "Registered in China"."""
    status = row.registration_status
    if row.state != "registered" or status in (None, "active"):
        return page.label(labels.STATES, row.state), row.state
    return (page.label(labels.REGISTRATION_NOW, status),
            "registration-suspended" if status == "suspended" else "registration-ended")


def application_views(rows: list[ApplicationRow], endpoint: str) -> list[ApplicationView]:
    """Take a list's rows and the endpoint an application's link leads to (its
    `application_id`); return the rows as the page prints them."""
    page = _Page()
    link = id_link(endpoint, "application_id")
    batch_link = id_link("registrar.batch", "batch_id")
    language, today = page.language, page.today
    return [ApplicationView(
        id=row.id, reference=row.reference, url=link(row.id), kind=row.kind,
        kind_label=page.label(labels.KINDS, row.kind),
        enterprise=row.enterprise.name_in(language), bin=row.bin,
        establishment=row.establishment.name_in(language),
        region=row.region.name_in(language),
        category=row.category.name_in(language), state=row.state,
        state_label=state_label, badge=badge,
        deadline=page.date(row.stage_deadline), due=page.due(row.stage_deadline),
        overdue=row.stage_deadline is not None and today > row.stage_deadline,
        age="—" if row.state in CLOSED else page.age(row.state_changed_at),
        assignee=row.assignee,
        batch_url=batch_link(row.batch_id) if row.batch_id else None,
        batch_reference=row.batch_reference,
        products=tuple((line.hs_code, line.name_in(language)) for line in row.products))
        for row, (state_label, badge) in ((row, _state(page, row)) for row in rows)]


@dataclass(frozen=True, slots=True)
class RegisterView:
    """A registration's row of the public register, every cell as the page prints it."""

    enterprise: str
    bin: str
    establishment: str
    region: str
    category: str
    products: tuple[tuple[str, str], ...]  # (HS code, name)
    china_number: str
    valid_from: str
    valid_to: str
    status: str
    status_label: str
    produced_from: str  # the resumption's condition, '' when there is none
    suspended_until: str  # a time-boxed suspension's last day, '' when there is none


def register_views(rows: list[RegisterRow]) -> list[RegisterView]:
    """The public register's rows as the page prints them."""
    page = _Page()
    language = page.language
    return [RegisterView(
        enterprise=row.enterprise.name_in(language), bin=row.bin,
        establishment=row.establishment.name_in(language),
        region=row.region.name_in(language),
        category=row.category.name_in(language),
        products=tuple((line.hs_code, line.name_in(language)) for line in row.products),
        china_number=row.china_number,
        valid_from=page.date(row.valid_from), valid_to=page.date(row.valid_to),
        status=row.status, status_label=page.label(labels.REGISTRATION_STATUSES, row.status),
        produced_from=page.date(produced_from), suspended_until=page.date(until))
        for row, (produced_from, until) in ((row, status_days(row)) for row in rows)]
