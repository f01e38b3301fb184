"""Named job locks: one holder at a time across servers (racing threads on a real database),
lapsing after their time; the daily run does nothing while another server holds its lock."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import JobLock
from certtrack.models.base import utcnow
from certtrack.services.jobs import release_lock, take_lock
from certtrack.services.scheduled import DAILY_LOCK, DAILY_LOCK_TTL

RACERS = 6


def test_a_lock_has_one_holder_until_released(ctx):
    token = take_lock("daily", timedelta(minutes=5))
    assert token is not None
    assert take_lock("daily", timedelta(minutes=5)) is None
    release_lock("daily", "someone-else")
    assert take_lock("daily", timedelta(minutes=5)) is None
    release_lock("daily", token)
    assert take_lock("daily", timedelta(minutes=5)) is not None


def test_a_crashed_holders_lock_lapses(ctx):
    assert take_lock("daily", timedelta(minutes=5)) is not None
    db.session.execute(update(JobLock).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert take_lock("daily", timedelta(minutes=5)) is not None


def test_racing_servers_take_the_daily_lock_once(shared_app):
    barrier = threading.Barrier(RACERS)

    def server(_index):
        barrier.wait()
        with shared_app.app_context():
            return take_lock(DAILY_LOCK, DAILY_LOCK_TTL)

    with ThreadPoolExecutor(RACERS) as pool:
        tokens = list(pool.map(server, range(RACERS)))
    assert len([t for t in tokens if t is not None]) == 1


def test_the_daily_command_does_nothing_while_another_server_runs_it(app, runner):
    with app.app_context():
        token = take_lock(DAILY_LOCK, DAILY_LOCK_TTL)
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 0
    assert "in progress on another server" in result.output
    assert "registrations expired" not in result.output
    with app.app_context():
        release_lock(DAILY_LOCK, token)
    result = runner.invoke(args=["daily"])
    assert "registrations expired: 0" in result.output
