"""Warn administrators before the holiday data (Kurban Ait, the Government's transfers) runs out."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import User
from certtrack.services.notifications import notify
from certtrack.services.reference import working_calendar
from certtrack.services.transaction import transaction

WARNING_LEAD = timedelta(days=90)


def missing_holiday_years(start: date, end: date) -> list[int]:
    """The years from `start` to `end` whose holiday data is not loaded: a deadline computed
    across them is right for the holidays the law fixes, but provisional."""
    return working_calendar().missing_years(start, end)


def warn_before_holiday_data_ends(today: date) -> str:
    """Take the day of the daily run; from 90 days before the last loaded year ends, notify the
    administrators once per missing year and return the line the job prints (else '')."""
    ends = working_calendar().data_ends
    if ends is not None and today < ends - WARNING_LEAD:
        return ""
    year = ends.year + 1 if ends is not None else today.year
    message = _l("Holiday data for %(year)s is not loaded yet: deadlines in %(year)s count the "
                 "holidays fixed by law only. Add Kurban Ait and the Government's transfers of "
                 "days off for %(year)s to holidays.csv and run load-reference.", year=year)
    admins = list(db.session.scalars(select(User).where(User.role == Role.admin,
                                                        User.is_active.is_(True))))
    with transaction():
        notify(admins, "holiday_data", message, None, dedupe_key=f"holiday-data:{year}")
    until = ends.isoformat() if ends is not None else "-"
    return (f"holiday data is loaded until {until}: add Kurban Ait and the Government's "
            f"transfers for {year} to holidays.csv, then run load-reference")
