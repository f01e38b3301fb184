"""Kazakhstan's public holidays known by law for any year, and the weekend transfer rule.

Sources (as quoted by zakon.kz, tengrinews.kz and pro1c.kz; the official text on adilet.zan.kz
was not read here):
- Law of the Republic of Kazakhstan No. 267-II of 13 December 2001 "On holidays in the Republic
  of Kazakhstan", Article 1 (national and state holidays, as amended in 2022: 25 October
  Republic Day restored, 1 December and 17 December no longer holidays) and Article 5: the
  holidays are days off; "when a day off and a holiday coincide, the day off is the next
  working day after the holiday" ("при совпадении выходного и праздничного дней выходным днем
  является следующий после праздничного рабочий день").
- Labour Code of the Republic of Kazakhstan of 23 November 2015, Article 84 paragraph 5: the
  first day of Kurban Ait and 7 January (Orthodox Christmas) are days off whatever the work
  schedule; they are religious holidays and are not transferred when they fall on a weekend.
  Article 85 paragraph 3: the Government may move days off to other days in a year, by decree.

Kurban Ait follows the Muslim lunar calendar and the Government's transfers are decided each
year: both come from the reference data (holidays.csv), never from this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

SATURDAY = 5
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class FixedHoliday:
    """A holiday on the same calendar day every year; religious ones are never transferred."""

    month: int
    day: int
    name: str
    transferable: bool = True
    first_year: int = 1


FIXED_HOLIDAYS: tuple[FixedHoliday, ...] = (
    FixedHoliday(1, 1, "New Year"),
    FixedHoliday(1, 2, "New Year"),
    FixedHoliday(1, 7, "Orthodox Christmas", transferable=False),
    FixedHoliday(3, 8, "International Women's Day"),
    FixedHoliday(3, 21, "Nauryz Meirami"),
    FixedHoliday(3, 22, "Nauryz Meirami"),
    FixedHoliday(3, 23, "Nauryz Meirami"),
    FixedHoliday(5, 1, "Kazakhstan People's Unity Day"),
    FixedHoliday(5, 7, "Defender of the Fatherland Day"),
    FixedHoliday(5, 9, "Victory Day"),
    FixedHoliday(7, 6, "Capital Day"),
    FixedHoliday(8, 30, "Constitution Day"),
    FixedHoliday(10, 25, "Republic Day", first_year=2022),
    FixedHoliday(12, 16, "Independence Day"),
)


def fixed_holidays(year: int) -> dict[date, FixedHoliday]:
    """Take a year; return its fixed-date holidays by day (weekends included)."""
    return {date(year, h.month, h.day): h for h in FIXED_HOLIDAYS if year >= h.first_year}


def statutory_days_off(year: int, other_days_off: Iterable[date] = ()) -> dict[date, str]:
    """Take a year and the days off known from data (Kurban Ait, decrees); return the days off
    the law fixes: every fixed-date holiday, and for each non-religious one falling on a
    Saturday or Sunday, the next working day after it (Law "On holidays", Article 5).

    The transferred day skips weekends, holidays, days already given by an earlier transfer
    and `other_days_off`: Nauryz on Saturday 21 and Sunday 22 March 2026 moves to Tuesday 24
    and Wednesday 25 March, Monday 23 March being Nauryz itself. Names say where a day came
    from, e.g. 'Nauryz Meirami (moved from 2026-03-21)'.
    """
    holidays = fixed_holidays(year)
    off: dict[date, str] = {day: h.name for day, h in holidays.items()}
    taken = set(off) | {d for d in other_days_off if d.year == year}
    for day in sorted(holidays):
        holiday = holidays[day]
        if not holiday.transferable or day.weekday() < SATURDAY:
            continue
        moved = day + ONE_DAY
        while moved.weekday() >= SATURDAY or moved in taken:
            moved += ONE_DAY
        off[moved] = f"{holiday.name} (moved from {day.isoformat()})"
        taken.add(moved)
    return off
