"""Tests for working days, service levels, renewal windows and the holiday list."""

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from certtrack.domain.calendar import (
    REGIME_248,
    REGIME_280,
    SLA_WORKING_DAYS,
    WorkingCalendar,
    add_months,
    add_years,
    load_calendar,
    regime_for,
    registration_valid_to,
    reminder_dates,
    renewal_window,
)

HOLIDAYS_CSV = Path(__file__).resolve().parents[2] / "certtrack" / "reference" / "holidays.csv"
D = date.fromisoformat


@pytest.fixture(scope="module")
def kz():
    """The Kazakh calendar as shipped in the reference data."""
    return load_calendar(HOLIDAYS_CSV)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-03-19", True),  # Thursday
        ("2026-03-21", False),  # Saturday and Nauryz
        ("2026-03-23", False),  # Monday, Nauryz
        ("2026-03-24", False),  # Tuesday, moved from Saturday 21 March
        ("2026-03-25", False),  # Wednesday, moved from Sunday 22 March
        ("2026-03-26", True),
        ("2026-02-14", False),  # ordinary Saturday
        ("2025-01-03", False),  # Friday made a day off by transfer
        ("2025-01-05", True),  # Sunday made a working day by the same transfer
        ("2026-05-27", False),  # Kurban Ait
        ("2027-01-04", False),  # Monday, moved from Saturday 2 January
    ],
)
def test_is_working_day(kz, day, working):
    assert kz.is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-13", 2, "2026-02-17"),  # Friday + 2 over a plain weekend is Tuesday
        ("2026-03-20", 2, "2026-03-27"),  # Friday before Nauryz: 21-25 March are all off
        ("2026-03-20", 4, "2026-03-31"),
        ("2026-03-20", 5, "2026-04-01"),
        ("2026-05-06", 2, "2026-05-12"),  # 7 May holiday, 8 May, 9-10 weekend, 11 May moved
        ("2026-05-26", 2, "2026-05-29"),  # Kurban Ait on 27 May
        ("2025-01-02", 1, "2025-01-05"),  # 3 January off, Sunday 5 January worked
        ("2026-12-31", 2, "2027-01-06"),  # 1 Jan, weekend, 4 Jan moved from 2 Jan
        ("2026-03-19", 1, "2026-03-20"),
    ],
)
def test_add_working_days(kz, start, n, expected):
    assert kz.add_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-03-19", "2026-03-19"),  # a working day is returned as is
        ("2026-03-21", "2026-03-26"),  # Saturday in Nauryz: next working day
        ("2026-03-23", "2026-03-26"),  # weekday holiday
        ("2025-01-05", "2025-01-05"),  # working Sunday
    ],
)
def test_add_zero_working_days(kz, start, expected):
    assert kz.add_working_days(D(start), 0) == D(expected)


def test_add_negative_working_days_is_refused(kz):
    with pytest.raises(ValueError, match="negative"):
        kz.add_working_days(D("2026-03-19"), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-20", "2026-03-27", 2),
        ("2026-03-20", "2026-03-25", 0),  # only days off in between
        ("2026-02-13", "2026-02-16", 1),  # Friday to Monday: the Monday counts
        ("2026-03-20", "2026-03-20", 0),
        ("2026-03-27", "2026-03-20", 0),  # end before start
        ("2025-12-31", "2026-12-31", 246),  # published 2026 total for a five-day week
    ],
)
def test_working_days_between(kz, start, end, expected):
    assert kz.working_days_between(D(start), D(end)) == expected


def test_working_days_between_agrees_with_a_day_by_day_count(kz):
    # The count is arithmetic (lists show an age per row); walking the calendar is the reference.
    start = D("2025-12-01")
    for offset in range(0, 430, 3):
        first = start + timedelta(days=offset)
        for length in (0, 1, 2, 5, 6, 7, 8, 13, 40, 200):
            last = first + timedelta(days=length)
            walked = sum(kz.is_working_day(first + timedelta(days=i)) for i in range(1, length + 1))
            assert kz.working_days_between(first, last) == walked, (first, last)


@pytest.mark.parametrize("start", ["2026-03-18", "2026-03-20", "2026-03-21", "2026-12-30"])
@pytest.mark.parametrize("n", [1, 2, 5, 10])
def test_working_days_between_undoes_add_working_days(kz, start, n):
    deadline = kz.add_working_days(D(start), n)
    assert kz.working_days_between(D(start), deadline) == n


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("completeness_check", "2026-03-27"),
        ("veterinary_certificate", "2026-03-27"),
        ("veterinary_sanitary_conclusion", "2026-03-31"),
        ("phytosanitary_certificate", "2026-04-01"),
    ],
)
def test_sla_deadline(kz, service, expected):
    assert kz.sla_deadline(D("2026-03-20"), service) == D(expected)


def test_sla_constants():
    assert SLA_WORKING_DAYS == {
        "completeness_check": 2,
        "phytosanitary_certificate": 5,
        "veterinary_certificate": 2,
        "veterinary_sanitary_conclusion": 4,
    }


def test_unknown_service_level_is_refused(kz):
    with pytest.raises(ValueError, match="unknown service level"):
        kz.sla_deadline(D("2026-03-20"), "lab_testing")


@pytest.mark.parametrize(
    ("today", "overdue"),
    [("2026-03-26", False), ("2026-03-27", False), ("2026-03-28", True), ("2026-04-01", True)],
)
def test_is_overdue(kz, today, overdue):
    assert kz.is_overdue(D("2026-03-27"), D(today)) is overdue


def test_calendar_without_holidays_counts_weekdays_only():
    plain = WorkingCalendar([], [])
    assert plain.add_working_days(D("2026-03-20"), 2) == D("2026-03-24")


@pytest.mark.parametrize(
    ("holidays", "working_weekends", "message"),
    [
        ([], [D("2026-03-19")], "not a Saturday or Sunday"),
        ([D("2026-03-21")], [D("2026-03-21")], "both a holiday and a working day"),
    ],
)
def test_inconsistent_calendar_is_refused(holidays, working_weekends, message):
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(holidays, working_weekends)


def test_datetime_is_refused(kz):
    with pytest.raises(TypeError):
        kz.is_working_day(datetime(2026, 3, 23, 9, 0))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("day,kind\n2026-03-23,holiday\n", "columns"),
        ("date,kind\n2026-03-23,vacation\n", "unknown kind"),
        ("date,kind\n23.03.2026,holiday\n", "bad date"),
        ("date,kind\n2026-03-23,holiday\n2026-03-23,holiday\n", "listed twice"),
    ],
)
def test_load_calendar_refuses_bad_files(tmp_path, content, message):
    path = tmp_path / "holidays.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_calendar(path)


def _reference_rows():
    with HOLIDAYS_CSV.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["date", "kind", "name_en", "name_ru", "source"]
        return list(reader)


def test_reference_rows_are_complete_and_sourced():
    # Only what the law cannot fix: Kurban Ait and the Government's transfers (the fixed-date
    # holidays and their weekend transfers are generated, tests/domain/test_holidays.py).
    for row in _reference_rows():
        assert row["kind"] in {"movable", "holiday", "working_day"}
        assert row["name_en"] and row["name_ru"] and row["source"]


@pytest.mark.parametrize(
    ("listing_date", "regime"),
    [("2022-01-01", REGIME_248), ("2026-05-31", REGIME_248), ("2026-06-01", REGIME_280)],
)
def test_regime_for(listing_date, regime):
    assert regime_for(D(listing_date)) == regime


@pytest.mark.parametrize(
    ("valid_to", "regime", "on_list", "expected"),
    [
        ("2031-06-14", REGIME_248, False, ("2030-12-14", "2031-03-14")),
        ("2031-06-14", REGIME_248, True, ("2030-12-14", "2031-03-14")),
        ("2031-06-14", REGIME_280, False, None),  # automatic renewal
        ("2031-06-14", REGIME_280, True, ("2030-06-14", "2031-03-14")),
        ("2026-08-31", REGIME_248, False, ("2026-02-28", "2026-05-31")),  # clamped
        ("2028-08-31", REGIME_248, False, ("2028-02-29", "2028-05-31")),  # leap year
        ("2031-05-31", REGIME_280, True, ("2030-05-31", "2031-02-28")),
        ("2029-11-30", REGIME_248, False, ("2029-05-30", "2029-08-30")),
    ],
)
def test_renewal_window(valid_to, regime, on_list, expected):
    window = renewal_window(D(valid_to), regime, on_list)
    assert window == (None if expected is None else (D(expected[0]), D(expected[1])))


def test_unknown_regime_is_refused():
    with pytest.raises(ValueError, match="unknown renewal regime"):
        renewal_window(D("2031-06-14"), "999", False)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (("2030-12-14", "2031-03-14"), ["2030-12-14", "2031-01-28", "2031-02-12"]),  # 90 days
        (("2030-06-14", "2031-03-14"), ["2030-06-14", "2030-10-28", "2031-02-12"]),  # 273 days
        (("2026-03-01", "2026-03-20"), ["2026-03-01", "2026-03-10"]),  # 30 days before: too early
        (("2026-01-01", "2026-03-02"), ["2026-01-01", "2026-01-31"]),  # midpoint = closing - 30
        (("2026-03-01", "2026-03-01"), ["2026-03-01"]),
    ],
)
def test_reminder_dates(window, expected):
    assert reminder_dates((D(window[0]), D(window[1]))) == [D(day) for day in expected]


def test_reminder_window_closing_before_opening_is_refused():
    with pytest.raises(ValueError, match="close before it opens"):
        reminder_dates((D("2026-03-02"), D("2026-03-01")))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-08-31", -6, "2026-02-28"),
        ("2028-08-31", -6, "2028-02-29"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-01-15", -1, "2025-12-15"),
        ("2026-05-31", -12, "2025-05-31"),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(D(day), months) == D(expected)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        ("2024-02-29", 1, "2025-02-28"),
        ("2024-02-29", 4, "2028-02-29"),
        ("2026-06-15", 5, "2031-06-15"),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(D(day), years) == D(expected)


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        ("2026-06-15", "2031-06-14"),
        ("2026-01-01", "2030-12-31"),
        ("2024-03-01", "2029-02-28"),
        ("2027-03-01", "2032-02-29"),  # the term ends on a leap day
        ("2024-02-29", "2029-02-28"),  # not 27 February: the term is never cut short
    ],
)
def test_registration_valid_to_is_the_last_valid_day(valid_from, valid_to):
    assert registration_valid_to(D(valid_from)) == D(valid_to)
