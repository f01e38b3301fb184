"""The demo's clock: each demo story is played at past moments, through the real services.

A story starts some days ago (`story(days_ago)`); each step of it waits a realistic number of
working days first (`wait(stage)`), never past the real present. Outside a story `wait` does
nothing, so a step taken on its own happens now. Only the demo moves the clock; the services
read it as they always do.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from flask import current_app

from certtrack.services.reference import working_calendar

# Working days a step of the workflow usually waits for, as (fewest, most).
STAGE_DAYS = {
    "prepare": (3, 10),       # the exporter assembles the documents, then submits
    "check": (1, 6),          # submitted, until the inspector opens the completeness check
    "review": (2, 7),         # the documents are checked and the inspection is scheduled
    "inspection": (3, 9),     # scheduled, until the inspection takes place
    "sampling": (1, 3),       # inspected, until the samples go to the laboratory
    "laboratory": (6, 14),    # the laboratory's work
    "conclusion": (1, 4),     # the inspector writes the conclusion
    "recommendation": (3, 8),  # the registrar recommends the establishment to GACC
    "consignment": (1, 2),    # a consignment's inspection and certificate (5 working days)
}
# A step never lands later than this before the real present.
MARGIN = timedelta(minutes=10)


@dataclass
class _Story:
    travel: object  # time_machine's coordinates: move_to() moves the frozen clock
    present: datetime  # the real present (UTC) when the story began
    chance: random.Random
    moment: datetime


_stories: list[_Story] = []


def zone() -> ZoneInfo:
    """Kazakhstan's time zone, where the demo's working days are counted."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _office_hours(day: date, chance: random.Random) -> datetime:
    """A moment of a working day between 9:00 and 17:00, local time."""
    local = datetime.combine(day, time(9), tzinfo=zone())
    return (local + timedelta(minutes=chance.randrange(8 * 60))).astimezone(UTC)


def _ceiling(present: datetime) -> datetime:
    """The latest moment a step may take: before the real present, in the office hours of a
    working day (a step held back to the present read "Under review since" a Sunday)."""
    calendar, local = working_calendar(), (present - MARGIN).astimezone(zone())
    day = local.date()
    if calendar.is_working_day(day) and local.time() >= time(9):
        closing = datetime.combine(day, time(17), tzinfo=zone()).astimezone(UTC)
        return min(present - MARGIN, closing)
    day -= timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(16, 30), tzinfo=zone()).astimezone(UTC)


def _go(current: _Story, moment: datetime) -> None:
    """Move the clock forward to `moment`, at most to the last office hour before the real
    present."""
    moment = min(moment, _ceiling(current.present))
    if moment > current.moment:
        current.moment = moment
        current.travel.move_to(moment)


def first_day(days_ago: int, present: datetime | None = None) -> date:
    """The working day a story begun `days_ago` days ago starts on."""
    present = present or datetime.now(UTC)
    return working_calendar().add_working_days(
        present.astimezone(zone()).date() - timedelta(days=days_ago), 0)


def last_working_day_ago(present: datetime | None = None) -> int:
    """How many days ago the last working day before today was (on a Monday, the Friday's 3)."""
    today = (present or datetime.now(UTC)).astimezone(zone()).date()
    day = today - timedelta(days=1)
    while not working_calendar().is_working_day(day):
        day -= timedelta(days=1)
    return (today - day).days


@contextmanager
def story(days_ago: int) -> Iterator[None]:
    """Play what follows as if it began `days_ago` days ago, on the working day then."""
    if _stories:
        raise RuntimeError("demo stories do not nest")
    present = datetime.now(UTC)
    chance = random.Random(days_ago)  # noqa: S311 - demo durations, not secrets
    start = min(_office_hours(first_day(days_ago, present), chance), _ceiling(present))
    with time_machine.travel(start, tick=False) as travel:
        _stories.append(_Story(travel, present, chance, start))
        try:
            yield
        finally:
            _stories.pop()


@contextmanager
def night_of(day: date) -> Iterator[None]:
    """Play what follows early on `day` (00:30 local time), as the scheduled daily job runs
    each night, working day or not (certtrack.tasks.jobs)."""
    if _stories:
        raise RuntimeError("demo stories do not nest")
    moment = datetime.combine(day, time(0, 30), tzinfo=zone()).astimezone(UTC)
    with time_machine.travel(min(moment, datetime.now(UTC) - MARGIN), tick=False):
        yield


def wait(stage: str) -> None:
    """Let the working days a `stage` usually takes go by (nothing outside a story)."""
    if not _stories:
        return
    current = _stories[-1]
    fewest, most = STAGE_DAYS[stage]
    today = current.moment.astimezone(zone()).date()
    day = working_calendar().add_working_days(today, current.chance.randint(fewest, most))
    _go(current, _office_hours(day, current.chance))


def reachable(day: date) -> date:
    """`day`, or the last working day a story can still reach when `day` is past the real
    present (an inspection scheduled ahead, recorded on the day it was scheduled for)."""
    if not _stories:
        return day
    last = _ceiling(_stories[-1].present).astimezone(zone()).date()
    return max(min(day, last), _stories[-1].moment.astimezone(zone()).date())


def move_to(day: date) -> None:
    """Go forward to `day` (a working day at office hours); nothing outside a story."""
    if _stories:
        current = _stories[-1]
        _go(current, _office_hours(working_calendar().add_working_days(day, 0), current.chance))
