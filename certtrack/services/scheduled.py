"""The scheduled daily run, guarded by a database lock so that two servers never run it at once.

The lock is a job_lock row (services/jobs.py): whichever server's worker or cron moves it first
runs the day; another finds it held and does nothing. The run itself is idempotent, so a second
run the same day after the first finished changes nothing either.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from certtrack.services import state_counts
from certtrack.services.daily import (
    DailyReport,
    refresh_planner_statistics,
    run_daily,
    send_waiting_emails,
    waiting_emails,
)
from certtrack.services.jobs import release_lock, take_lock
from certtrack.services.transaction import transaction

DAILY_LOCK = "daily"
# Longer than any run takes; a server that died mid-run leaves the lock for this long.
DAILY_LOCK_TTL = timedelta(hours=2)


@dataclass
class DailyOutcome:
    """A daily run: its report, whether ANALYZE ran, PostgreSQL's tally of applications by
    state recounted (or None), e-mails (sent, failed) or None, waiting."""

    report: DailyReport
    analyzed: bool
    recounted: state_counts.Recount | None
    emails: tuple[int, int] | None
    waiting: int


def run_daily_once(today: date, config) -> DailyOutcome | None:
    """Take a day and the app's config; run the daily jobs unless another server is running
    them (then return None). Sends the outbox when MAIL_SERVER is set.
    """
    token = take_lock(DAILY_LOCK, DAILY_LOCK_TTL)
    if token is None:
        return None
    try:
        report = run_daily(today)
        analyzed = refresh_planner_statistics()
        with transaction():
            recounted = state_counts.recount()
        emails = send_waiting_emails(config) if config.get("MAIL_SERVER") else None
        return DailyOutcome(report, analyzed, recounted, emails, waiting_emails())
    finally:
        release_lock(DAILY_LOCK, token)


def send_emails(config) -> tuple[int, int] | None:
    """Take the app's config; send the waiting outbox over SMTP, one server at a time.

    Returns (sent, failed), or None when MAIL_SERVER is unset or another server is sending.
    """
    if not config.get("MAIL_SERVER"):
        return None
    token = take_lock("outbox", timedelta(minutes=10))
    if token is None:
        return None
    try:
        return send_waiting_emails(config)
    finally:
        release_lock("outbox", token)
