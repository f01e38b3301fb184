"""Dates and moments in messages, written as the reader's language writes them (CLDR).

One format per language everywhere: a date in CLDR's medium form ("8 Dec 2026", "08.12.2026 ж.",
"2026年12月8日"), a moment as that date and the short time in the users' time zone. A message
keeps a `LocalDate` and not a string, so that a notification rendered under the recipient's
locale (`notifications.notify`) shows the date in the recipient's language. CSV files and audit
data keep ISO 8601.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import dates
from flask import current_app
from flask_babel import get_locale, get_timezone

DATE_FORMAT = "medium"
TIME_FORMAT = "short"


def local_today() -> date:
    """Today in Kazakhstan, where deadlines are counted."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def format_day(value: date | None, locale=None) -> str:
    """A date in the one format of `locale` (by default the current one)."""
    if value is None:
        return "—"
    return dates.format_date(value, DATE_FORMAT, locale=locale or get_locale())


def local_day(value: datetime) -> date:
    """The day a moment fell on in Kazakhstan, where deadlines are counted (naive is UTC)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone).date()


def format_moment(value: datetime | None, locale=None, zone=None) -> str:
    """A moment in the users' time zone (naive values are UTC), in the one format of `locale`."""
    if value is None:
        return "—"
    locale = locale or get_locale()
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(
        zone or get_timezone())
    pattern = dates.get_datetime_format(DATE_FORMAT, locale=locale).replace("'", "")
    time = local.time().replace(microsecond=0, tzinfo=None)
    return (pattern.replace("{0}", dates.format_time(time, TIME_FORMAT, locale=locale))
            .replace("{1}", format_day(local.date(), locale)))


class LocalDate:
    """A date that writes itself in the locale current when the message is rendered."""

    __slots__ = ("value",)

    def __init__(self, value: date | None):
        self.value = value

    def __str__(self) -> str:
        return format_day(self.value)


class LocalName:
    """A name kept in every language it has (an enterprise's, an establishment's), that writes
    itself in the locale current when the message is rendered (English, then Kazakh, when it
    has none there)."""

    __slots__ = ("names",)

    def __init__(self, names: dict[str, str]):
        self.names = {language: text for language, text in names.items() if text}

    @classmethod
    def of(cls, row) -> "LocalName":
        """The names of a row that has `name_in` (each of the four languages)."""
        return cls({language: row.name_in(language) for language in ("en", "kk", "ru", "zh")})

    def __str__(self) -> str:
        names = self.names
        return names.get(str(get_locale())) or names.get("en") or names.get("kk") or ""


class LocalMoment(LocalDate):
    """A moment that writes itself in the locale and time zone current when rendered."""

    def __str__(self) -> str:
        return format_moment(self.value)
