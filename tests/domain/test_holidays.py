"""Tests for the holidays Kazakh law fixes for every year and the weekend transfer rule."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from certtrack.domain.calendar import WorkingCalendar, kazakh_calendar, load_calendar
from certtrack.domain.holidays import fixed_holidays, statutory_days_off

HOLIDAYS_CSV = Path(__file__).resolve().parents[2] / "certtrack" / "reference" / "holidays.csv"
D = date.fromisoformat

# The days off of the published 2025 and 2026 calendars (Ministry of Labour / egov.kz, as
# reported in the press), weekend days included: the reference the generated calendar must meet.
PUBLISHED = {
    2025: "01-01 01-02 01-03 01-07 03-08 03-10 03-21 03-22 03-23 03-24 03-25 05-01 05-07 05-09 "
          "06-06 07-06 07-07 08-30 09-01 10-25 10-27 12-16",
    2026: "01-01 01-02 01-07 03-08 03-09 03-21 03-22 03-23 03-24 03-25 05-01 05-07 05-09 05-11 "
          "05-27 07-06 08-30 08-31 10-25 10-26 12-16",
}
STATUTORY = [(1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9),
             (7, 6), (8, 30), (10, 25), (12, 16)]


@pytest.fixture(scope="module")
def kz():
    """The Kazakh calendar as shipped: the law's holidays plus the reference data."""
    return load_calendar(HOLIDAYS_CSV)


def _days_off(calendar: WorkingCalendar, year: int) -> set[date]:
    day, off = date(year, 1, 1), set()
    while day.year == year:
        weekend = day.weekday() >= 5
        if not calendar.is_working_day(day) and not weekend:
            off.add(day)
        day += timedelta(days=1)
    return off


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_generated_calendar_matches_the_published_one(kz, year):
    published = {D(f"{year}-{md}") for md in PUBLISHED[year].split()}
    assert _days_off(kz, year) == {d for d in published if d.weekday() < 5}


@pytest.mark.parametrize("year", [2025, 2028, 2031, 2040, 2100])
def test_every_fixed_holiday_is_known_for_any_year(year):
    assert {(d.month, d.day) for d in fixed_holidays(year)} == set(STATUTORY)
    assert {date(year, m, d) for m, d in STATUTORY} <= set(statutory_days_off(year))


@pytest.mark.parametrize(
    ("year", "moved"),
    [
        (2028, {"2028-01-03", "2028-01-04", "2028-05-08", "2028-12-18"}),  # 1-2 Jan, 7 May, 16 Dec
        (2029, {"2029-12-17"}),  # 7 January is a Sunday too, but Christmas is not moved
        (2030, {"2030-03-25", "2030-07-08"}),  # Nauryz on Saturday 23 March; 6 July Saturday
    ],
)
def test_weekend_holidays_move_to_the_next_working_day(year, moved):
    generated = statutory_days_off(year)
    transfers = {d.isoformat() for d, name in generated.items() if "moved from" in name}
    assert transfers == moved


def test_religious_holidays_are_not_moved():
    # 7 January 2029 is a Sunday: Orthodox Christmas stays there, Monday 8 January is worked.
    off = statutory_days_off(2029)
    assert D("2029-01-07") in off and D("2029-01-08") not in off
    # Kurban Ait from data on a Sunday (16 May 2027) is not moved either.
    calendar = kazakh_calendar([(D("2027-05-16"), "movable")])
    assert calendar.is_working_day(D("2027-05-17"))


def test_a_transfer_skips_a_movable_holiday():
    # If Kurban Ait fell on Monday 8 May 2028, Sunday 7 May's day off would move to Wednesday 10
    # (9 May is Victory Day).
    calendar = kazakh_calendar([(D("2028-05-08"), "movable")])
    assert [calendar.is_working_day(D(f"2028-05-{d:02d}")) for d in (8, 9, 10, 11)] == \
        [False, False, False, True]


@pytest.mark.parametrize(
    ("start", "n", "expected", "missing"),
    [
        # Across New Year into 2028 (no data rows): 1-2 Jan fall on the weekend, moved to 3-4 Jan.
        ("2027-12-31", 1, "2028-01-05", [2028]),
        ("2027-12-30", 3, "2028-01-06", [2028]),
        # Nauryz 2028, Tuesday to Thursday.
        ("2028-03-20", 1, "2028-03-24", [2028]),
        # Nauryz 2030: Saturday 23 March moves to Monday 25 March.
        ("2030-03-20", 1, "2030-03-26", [2030]),
        # 7 May 2028 is a Sunday: moved to Monday 8 May; 9 May is Victory Day.
        ("2028-05-05", 1, "2028-05-10", [2028]),
        # A deadline inside a loaded year is not provisional.
        ("2026-03-20", 2, "2026-03-27", []),
        ("2026-12-31", 2, "2027-01-06", []),
    ],
)
def test_deadlines_in_years_without_data(kz, start, n, expected, missing):
    deadline = kz.add_working_days(D(start), n)
    assert deadline == D(expected)
    assert kz.missing_years(D(start), deadline) == missing


def test_the_data_ends_with_the_last_loaded_year(kz):
    assert kz.loaded_years == {2025, 2026, 2027}
    assert kz.data_ends == D("2027-12-31")


def test_a_calendar_of_given_days_is_never_provisional():
    plain = WorkingCalendar([D("2026-03-23")], [])
    assert plain.missing_years(D("2026-01-01"), D("2040-01-01")) == []
    assert plain.data_ends is None
    assert plain.is_working_day(D("2040-03-21"))  # no rule: only the days given
