"""Working days, service-level deadlines and GACC registration renewal windows."""

from __future__ import annotations

import bisect
import csv
import os
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from certtrack.domain.holidays import statutory_days_off

ONE_DAY = timedelta(days=1)
SATURDAY = 5

# Service levels in working days: the MoA's public-service standards (eGov.kz).
SLA_WORKING_DAYS = {
    "completeness_check": 2,
    "phytosanitary_certificate": 5,
    "veterinary_certificate": 2,
    "veterinary_sanitary_conclusion": 4,
}

# Renewal regimes: GACC Decree 248, Art. 20 (3-6 months before expiry), then GACC Decree 280
# (see domain.renewal: the regime in force when a registration ends decides).
REGIME_248 = "248"  # GACC Decree 248, in force from 2022-01-01
REGIME_280 = "280"  # GACC Order 280, replaces Decree 248
REGIME_280_START = date(2026, 6, 1)
REGISTRATION_VALIDITY_YEARS = 5

# Per regime: how many months before expiry the renewal window opens and closes.
_WINDOW_MONTHS = {REGIME_248: (6, 3), REGIME_280: (12, 3)}
_REMINDER_LEAD = timedelta(days=30)

HOLIDAY_KIND = "holiday"  # a day off by a Government decree (Labour Code Art. 85 para. 3)
WORKING_DAY_KIND = "working_day"  # a weekend day worked by such a decree
MOVABLE_KIND = "movable"  # a movable religious holiday (Kurban Ait), never transferred
HOLIDAY_KINDS = (HOLIDAY_KIND, WORKING_DAY_KIND, MOVABLE_KIND)


def _require_date(value: object, name: str) -> date:
    """Refuse datetimes: a datetime never equals a date, so holiday look-ups would silently miss."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _count_in(ordinals: list[int], first: int, last: int) -> int:
    """How many of the sorted `ordinals` lie in (first, last]."""
    return bisect.bisect_right(ordinals, last) - bisect.bisect_right(ordinals, first)


class WorkingCalendar:
    """A five-day week with public holidays and weekend days declared working days.

    With ``statutory=True`` the fixed-date holidays of Kazakh law and their weekend transfers
    are generated for any year (domain.holidays); the given days then only add what data must
    tell (Kurban Ait, the Government's transfers). ``loaded_years`` are the years whose data
    is loaded: a date in another year is computed from the law alone and is provisional.
    """

    def __init__(
        self, holidays: Iterable[date] = (), working_weekends: Iterable[date] = (), *,
        statutory: bool = False, loaded_years: Iterable[int] = (),
    ) -> None:
        """Take the days off (weekdays included) and the Saturdays/Sundays that are worked.

        Raises ValueError when a working weekend day is not a Saturday or Sunday, or when a
        day is listed both as a holiday and as a working day.
        """
        self._holidays = frozenset(_require_date(d, "holiday") for d in holidays)
        self._working_weekends = frozenset(
            _require_date(d, "working weekend") for d in working_weekends
        )
        weekdays = sorted(d for d in self._working_weekends if d.weekday() < SATURDAY)
        if weekdays:
            raise ValueError(f"not a Saturday or Sunday: {weekdays[0].isoformat()}")
        clashes = sorted(self._holidays & self._working_weekends)
        if clashes:
            raise ValueError(f"both a holiday and a working day: {clashes[0].isoformat()}")
        self.statutory = statutory
        self.loaded_years = frozenset(loaded_years)
        # Per year, the sorted ordinals of the weekday days off, for counting by bisection:
        # lists show an age per row, so a count must not walk the calendar day by day. Filled
        # on first use; a race only computes the same list twice.
        self._year_off: dict[int, list[int]] = {}
        self._worked_weekends = sorted(d.toordinal() for d in self._working_weekends)

    def _days_off_in(self, year: int) -> list[int]:
        ordinals = self._year_off.get(year)
        if ordinals is None:
            given = {d for d in self._holidays if d.year == year}
            days = given | (set(statutory_days_off(year, given)) if self.statutory else set())
            ordinals = sorted(d.toordinal() for d in days
                              if d.weekday() < SATURDAY and d not in self._working_weekends)
            self._year_off[year] = ordinals
        return ordinals

    def is_working_day(self, d: date) -> bool:
        """Return True for a weekday that is not a holiday, or for a weekend day declared worked."""
        _require_date(d, "d")
        if d in self._working_weekends:
            return True
        if d.weekday() >= SATURDAY:
            return False
        ordinals = self._days_off_in(d.year)
        index = bisect.bisect_left(ordinals, d.toordinal())
        return index == len(ordinals) or ordinals[index] != d.toordinal()

    def missing_years(self, start: date, end: date) -> list[int]:
        """The years from ``start`` to ``end`` (either order) whose holiday data is not loaded.

        A deadline in such a year is right for the holidays the law fixes but may miss Kurban
        Ait or a Government transfer: it is provisional. Empty for a calendar of given days.
        """
        if not self.statutory:
            return []
        first, last = sorted((start.year, end.year))
        return [year for year in range(first, last + 1) if year not in self.loaded_years]

    @property
    def data_ends(self) -> date | None:
        """The last day of the last year whose holiday data is loaded (None: none is)."""
        return date(max(self.loaded_years), 12, 31) if self.loaded_years else None

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day after ``start`` (``start`` itself is never counted).

        Something received on a Friday with a 2-working-day limit is due on the Tuesday.
        With n == 0, returns ``start`` if it is a working day, else the next working day.
        Raises ValueError when n is negative.
        """
        _require_date(start, "start")
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
            return day
        remaining = n
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days in (start, end]: ``start`` excluded, ``end`` included.

        Returns 0 when ``end`` is not after ``start``. Used for the age of an application in
        its stage and for how far past a deadline it is.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        first, last = start.toordinal(), end.toordinal()
        if last <= first:
            return 0
        weeks, rest = divmod(last - first, 7)
        weekday = start.weekday()
        count = weeks * 5 + sum(1 for i in range(1, rest + 1) if (weekday + i) % 7 < SATURDAY)
        holidays = sum(_count_in(self._days_off_in(year), first, last)
                       for year in range(start.year, end.year + 1))
        return count - holidays + _count_in(self._worked_weekends, first, last)

    def sla_deadline(self, received: date, service: str) -> date:
        """Return the last on-time day for ``service`` (a key of SLA_WORKING_DAYS) received then.

        Raises ValueError for an unknown service.
        """
        if service not in SLA_WORKING_DAYS:
            raise ValueError(f"unknown service level: {service!r}")
        return self.add_working_days(received, SLA_WORKING_DAYS[service])

    def is_overdue(self, deadline: date, today: date) -> bool:
        """Return True when ``today`` is after ``deadline`` (the deadline day itself is on time)."""
        _require_date(deadline, "deadline")
        _require_date(today, "today")
        return today > deadline


def load_calendar(path: str | os.PathLike[str]) -> WorkingCalendar:
    """Read a holiday CSV (columns date, kind, ...) and return Kazakhstan's WorkingCalendar.

    ``kind`` is 'movable' (a movable religious holiday such as Kurban Ait: a day off, never
    transferred, and the mark that the year's data is loaded), 'holiday' (a day off by a
    Government decree) or 'working_day' (a weekend day worked by such a decree); the fixed-date
    holidays and their transfers are generated (domain.holidays). Other columns are ignored.
    Raises OSError if the file cannot be read and ValueError for a missing column, a date that
    is not ISO YYYY-MM-DD, an unknown kind or a date listed twice.
    """
    rows: list[tuple[date, str]] = []
    seen: set[date] = set()
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not {"date", "kind"} <= set(reader.fieldnames or ()):
            raise ValueError(f"{path}: the header needs the columns 'date' and 'kind'")
        for row in reader:
            where = f"{path}, line {reader.line_num}"
            try:
                day = date.fromisoformat(row["date"].strip())
            except (AttributeError, ValueError) as exc:
                raise ValueError(f"{where}: bad date {row['date']!r}") from exc
            if day in seen:
                raise ValueError(f"{where}: {day.isoformat()} is listed twice")
            seen.add(day)
            kind = (row["kind"] or "").strip()
            if kind not in HOLIDAY_KINDS:
                raise ValueError(f"{where}: unknown kind {kind!r}")
            rows.append((day, kind))
    return kazakh_calendar(rows)


def kazakh_calendar(rows: Iterable[tuple[date, str]]) -> WorkingCalendar:
    """Take (day, kind) pairs of the holiday data; return the statutory calendar they complete.

    The years loaded are those with a 'movable' row (Kurban Ait falls in every year).
    """
    rows = list(rows)
    return WorkingCalendar(
        holidays=[day for day, kind in rows if kind in (HOLIDAY_KIND, MOVABLE_KIND)],
        working_weekends=[day for day, kind in rows if kind == WORKING_DAY_KIND],
        statutory=True, loaded_years={day.year for day, kind in rows if kind == MOVABLE_KIND})


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - ONE_DAY).day


def add_months(d: date, n: int) -> date:
    """Return ``d`` moved by n calendar months (n may be negative), clamped to the month's end.

    31 August minus 6 months is 28 February (29 in a leap year). Raises OverflowError past
    the range of ``date``.
    """
    year, month_index = divmod(d.month - 1 + n, 12)
    year += d.year
    month = month_index + 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    return date(year, month, min(d.day, _days_in_month(year, month)))


def add_years(d: date, n: int) -> date:
    """Return ``d`` moved by n years; 29 February becomes 28 February in a common year."""
    return add_months(d, 12 * n)


def registration_valid_to(valid_from: date, years: int = REGISTRATION_VALIDITY_YEARS) -> date:
    """Return the last valid day (inclusive) of a registration starting on ``valid_from``.

    That is ``valid_from`` + ``years`` - 1 day: 2026-06-15 gives 2031-06-14. A start on
    29 February runs to 28 February, so the term is never cut short by the clamping.
    """
    if (valid_from.month, valid_from.day) == (2, 29):
        return add_years(valid_from - ONE_DAY, years)
    return add_years(valid_from, years) - ONE_DAY


def regime_for(listing_date: date) -> str:
    """Return the GACC renewal regime in force on ``listing_date``: REGIME_280 or REGIME_248."""
    return REGIME_280 if listing_date >= REGIME_280_START else REGIME_248


def renewal_window(valid_to: date, regime: str, on_gacc_list: bool) -> tuple[date, date] | None:
    """Return the (opens, closes) days, both inclusive, for applying to renew a registration.

    Takes the last valid day, the regime (REGIME_248 or REGIME_280) and whether the product is on
    GACC's list of foods that must still apply under Order 280. Decree 248: 6 to 3 months before
    ``valid_to``, whatever the list. Order 280: None (renewal is automatic) unless on the list,
    then 12 to 3 months before. Raises ValueError for an unknown regime.
    """
    if regime not in _WINDOW_MONTHS:
        raise ValueError(f"unknown renewal regime: {regime!r}")
    if regime == REGIME_280 and not on_gacc_list:
        return None
    opens_before, closes_before = _WINDOW_MONTHS[regime]
    return add_months(valid_to, -opens_before), add_months(valid_to, -closes_before)


def reminder_dates(window: tuple[date, date]) -> list[date]:
    """Return the reminder days for a renewal window, sorted and without duplicates.

    Takes (opens, closes). Reminders go out on the opening day, at the midpoint (opening plus
    half the window's length in days, rounded down) and 30 days before closing; none falls
    before the opening. Raises ValueError when the window closes before it opens.
    """
    opens, closes = window
    if closes < opens:
        raise ValueError("a renewal window cannot close before it opens")
    midpoint = opens + timedelta(days=(closes - opens).days // 2)
    candidates = {opens, midpoint, closes - _REMINDER_LEAD}
    return sorted(d for d in candidates if d >= opens)
