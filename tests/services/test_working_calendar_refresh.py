"""The working calendar is cached per process: holidays that `load-reference` loaded in a
process of its own (Kurban Ait of a new year) were not seen by the web servers and the worker
until they restarted, and deadlines across that day were a day short."""

from datetime import date

from certtrack.domain.calendar import MOVABLE_KIND
from certtrack.extensions import db
from certtrack.models import Holiday
from certtrack.services import reference

KURBAN_AIT = date(2031, 6, 3)  # a Tuesday, in a year with no holiday data yet


def test_holidays_loaded_by_another_process_count_once_the_cache_time_is_over(ctx, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(reference, "monotonic", lambda: clock[0])
    assert reference.working_calendar().is_working_day(KURBAN_AIT)
    db.session.add(Holiday(day=KURBAN_AIT, kind=MOVABLE_KIND, name_en="Kurban Ait"))
    db.session.commit()  # as another process's load-reference writes it
    clock[0] += reference.CALENDAR_TTL - 1
    assert reference.working_calendar().is_working_day(KURBAN_AIT)  # cached meanwhile
    clock[0] += 2
    assert not reference.working_calendar().is_working_day(KURBAN_AIT)
