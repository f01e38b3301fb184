"""Deadlines that staff set for exporters: a term ends on a working day.

A term whose last day is a weekend day or a public holiday ends on the next working day (the
Civil Code's rule, see docs/domain.md), so a deadline typed on a day off would say one day and
mean another: it is refused, with the working day that follows it.
"""

from datetime import date

from flask_babel import gettext as _

from certtrack.services.local_dates import LocalDate
from certtrack.services.reference import working_calendar


def day_off_error(deadline: date) -> str | None:
    """Take a deadline; return why it cannot be set when it falls on a day off, else None."""
    calendar = working_calendar()
    if calendar.is_working_day(deadline):
        return None
    return _("%(date)s is a weekend day or a public holiday: a deadline falls on a working day. "
             "Choose %(next)s or another working day.", date=LocalDate(deadline),
             next=LocalDate(calendar.add_working_days(deadline, 0)))
