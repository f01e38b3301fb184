"""The throttle's counters (services/throttle.py) on the database and on Redis: free attempts,
then a doubling delay, never a permanent lock; and the 90-day purge of sign-in records."""

import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import LoginAttempt, ThrottleCounter, VerificationLog
from certtrack.models.base import utcnow
from certtrack.services import sign_in, throttle, verification
from certtrack.services.transaction import transaction

POLICY = throttle.Policy(free=3, first=60, most=600, window=3600)


def _take(key, now):
    with transaction():
        return throttle.take(key, POLICY, now=now)


def _run(now: float, times: int, key: str = "account:x"):
    return [_take(key, now) for _ in range(times)]


def test_free_attempts_then_a_doubling_delay_capped(ctx):
    now = 1_000_000.0
    assert [d.allowed for d in _run(now, 4)] == [True, True, True, False]
    assert _take("account:x", now).retry_after == 60
    assert _take("account:x", now + 60).allowed  # the 4th failure: 120 s to wait
    assert _take("account:x", now + 61).retry_after == 119
    assert _take("account:x", now + 180).allowed
    later = now + 180
    for _ in range(5):  # 240, 480, then 600 s at most
        later += 600
        assert _take("account:x", later).allowed
    assert _take("account:x", later + 1).retry_after == 599


def test_failures_are_forgotten_after_the_window(ctx):
    now = 2_000_000.0
    _run(now, 3)
    assert not _take("account:x", now + 30).allowed
    assert [d.allowed for d in _run(now + 3600 + 61, 3)] == [True, True, True]


def test_keys_are_counted_apart_and_cleared_after_a_success(ctx):
    now = 3_000_000.0
    _run(now, 3, "account:a")
    assert not _take("account:a", now).allowed
    assert _take("account:b", now).allowed
    with transaction():
        throttle.clear("account:a")
    assert _take("account:a", now).allowed


def test_addresses_are_stored_only_as_keyed_hashes(app, ctx):
    digest = throttle.keyed_hash("203.0.113.9")
    assert "203.0.113.9" not in digest and len(digest) == 64
    assert digest == throttle.keyed_hash("203.0.113.9")
    app.config["SECRET_KEY"] = "another key"
    assert throttle.keyed_hash("203.0.113.9") != digest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A private redis-server on a free port (the package `redis-server`, a system dependency)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: run `make system-deps`"
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.PIPE, text=True)
    for line in process.stdout:  # the server says when it listens
        if "Ready to accept connections" in line:
            break
    with redis.Redis(port=port) as client:
        assert client.ping()
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


def test_on_redis_the_same_rules_hold_and_the_database_is_untouched(app, ctx, redis_url):
    app.config["THROTTLE_REDIS_URL"] = redis_url
    now = 4_000_000.0
    assert [d.allowed for d in _run(now, 4, "account:r")] == [True, True, True, False]
    assert _take("account:r", now).retry_after == 60
    assert _take("account:r", now + 60).allowed
    assert _take("account:r", now + 61).retry_after == 119
    with transaction():
        throttle.clear("account:r")
    assert _take("account:r", now + 62).allowed
    assert db.session.scalar(select(func.count()).select_from(ThrottleCounter)) == 0
    app.config["THROTTLE_STORAGE"] = "database"
    assert _take("account:r", now).allowed
    assert db.session.scalar(select(func.count()).select_from(ThrottleCounter)) == 1


def _refund(key):
    with transaction():
        throttle.refund(key, POLICY)


@pytest.mark.parametrize("storage", ["database", "redis"])
def test_an_attempt_taken_back_counts_no_failure_and_lifts_a_wait_it_began(
        request, app, ctx, storage):
    if storage == "redis":
        app.config["THROTTLE_REDIS_URL"] = request.getfixturevalue("redis_url")
    now, key = 5_000_000.0, f"address:{storage}"
    for _ in range(10):  # ten correct sign-ins: each taken back
        assert _take(key, now).allowed
        _refund(key)
    assert [d.allowed for d in _run(now, 2, key)] == [True, True]  # two failures
    assert _take(key, now).allowed  # the third attempt starts a wait...
    assert not _take(key, now).allowed
    _refund(key)  # ...until it turns out a success: two failures, no wait
    assert _take(key, now).allowed  # a third failure: 60 s to wait
    assert _take(key, now).retry_after == 60
    assert _take(key, now + 60).allowed  # a fourth: 120 s
    _refund(key)  # taken back, the third failure's wait (over the free ones) stands
    assert _take(key, now + 61).retry_after == 119
    _refund("address:never-counted")  # nothing to take back: no counter made
    assert _take("address:never-counted", now).allowed


def test_the_daily_purge_drops_records_older_than_ninety_days(ctx):
    old, recent = utcnow() - timedelta(days=91), utcnow() - timedelta(days=89)
    with transaction():
        db.session.add_all([LoginAttempt(at=old, outcome="failed", address_hash="a" * 64),
                            LoginAttempt(at=recent, outcome="refused", address_hash="b" * 64),
                            VerificationLog(at=old, channel="form", result="not_found"),
                            VerificationLog(at=recent, channel="form", result="not_found"),
                            ThrottleCounter(key="account:old", failures=9, blocked_until=None,
                                            updated_at=time.time() - 90 * 86400)])
    assert sign_in.purge_attempts() == 1
    assert verification.purge_log() == 1
    assert db.session.scalars(select(LoginAttempt.address_hash)).all() == ["b" * 64]
    assert db.session.scalar(select(func.count()).select_from(VerificationLog)) == 1
    assert db.session.scalar(select(func.count()).select_from(ThrottleCounter)) == 0
