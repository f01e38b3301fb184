"""Failure counters that slow guessing down without locking anyone out.

A key (an account, a client address, a known device, a verification address) gets `free`
attempts; from then on each attempt must wait a delay that doubles, from `first` up to `most`.
An attempt takes its slot before the password is checked, in one atomic statement: an upsert
(`INSERT … ON CONFLICT … DO UPDATE … WHERE not blocked RETURNING`, SQLite ≥ 3.35 and
PostgreSQL) or, when Redis is configured, one Lua script. Racing attempts therefore cannot pass
the limit together (docs/security.md item 3). Failures are forgotten after `window` seconds
without one. Addresses are kept only as a keyed hash (HMAC-SHA-256 with a key derived from
SECRET_KEY).
"""

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from certtrack.extensions import db
from certtrack.models import ThrottleCounter


@dataclass(frozen=True)
class Policy:
    """How many free attempts, how long the first and the longest delay, and how long failures
    are remembered, all in seconds."""

    free: int
    first: float
    most: float
    window: float

    def delay(self, failures: int) -> float | None:
        """The wait after `failures` attempts, None while attempts are free."""
        if failures < self.free:
            return None
        return min(self.first * 2 ** (failures - self.free), self.most)

    def steps(self) -> list[tuple[int, float]]:
        """(failures, delay) for every failure count whose delay is below the longest."""
        steps, failures = [], self.free
        while (delay := self.delay(failures)) < self.most:
            steps.append((failures, delay))
            failures += 1
        return steps


@dataclass(frozen=True)
class Decision:
    """Whether the attempt may go on; if not, in how many seconds it may."""

    allowed: bool
    retry_after: int = 0


def keyed_hash(value: str | None, purpose: str = "address") -> str:
    """HMAC-SHA-256 of `value` under a key derived from SECRET_KEY for `purpose` (hex)."""
    secret = current_app.config["SECRET_KEY"]
    key = hmac.new(secret.encode(), f"certtrack {purpose} hash".encode(), hashlib.sha256)
    return hmac.new(key.digest(), (value or "unknown").encode(), hashlib.sha256).hexdigest()


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def login_policy(kind: str) -> Policy:
    """The sign-in policy of a key kind: `account` (also device and TOTP keys) or `address`."""
    config = current_app.config
    free = config["LOGIN_MAX_FAILURES_PER_ADDRESS" if kind == "address"
                  else "LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    return Policy(free, _seconds(config["LOGIN_DELAY_FIRST"]), _seconds(config["LOGIN_DELAY_MAX"]),
                  _seconds(config["LOGIN_THROTTLE_WINDOW"]))


def _redis_url() -> str | None:
    config = current_app.config
    storage = config.get("THROTTLE_STORAGE")
    if storage == "database":
        return None
    url = config.get("THROTTLE_REDIS_URL") or config.get("REDIS_URL")
    return url if storage == "redis" or url else None


def take(key: str, policy: Policy, now: float | None = None) -> Decision:
    """Count one attempt under `key`, or refuse it while the key waits out its delay."""
    now = time.time() if now is None else now
    url = _redis_url()
    if url:
        return _take_redis(url, key, policy, now)
    return _take_sql(key, policy, now)


def clear(key: str) -> None:
    """Forget the failures of `key` (after a success), in the caller's transaction."""
    url = _redis_url()
    if url:
        _redis(url).delete(f"certtrack:throttle:{key}")
    else:
        db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == key))


def refund(key: str, policy: Policy) -> None:
    """Take back the attempt just counted under `key`, which did not fail (a sign-in that
    succeeded), in the caller's transaction: the key counts failures only, and a count back
    under the free attempts waits no more. Many people signing in correctly from one office's
    address never make it wait; a guesser's failures still count, whatever it signs in between.
    """
    url = _redis_url()
    if url:
        _redis(url).register_script(_REFUND_LUA)(keys=[f"certtrack:throttle:{key}"],
                                                 args=[policy.free])
        return
    table = ThrottleCounter.__table__
    left = table.c.failures - 1
    db.session.execute(table.update().where(table.c.key == key, table.c.failures > 0).values(
        failures=left, blocked_until=case((left < policy.free, None),
                                          else_=table.c.blocked_until)))


def _insert(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert(ThrottleCounter)


def _blocked_until(failures, policy: Policy, now: float):
    """The SQL expression of the new `blocked_until` for the new failure count."""
    whens = [(failures == count, literal(now + delay)) for count, delay in policy.steps()]
    whens.append((failures >= policy.free, literal(now + policy.most)))
    return case(*whens, else_=None)


def _take_sql(key: str, policy: Policy, now: float) -> Decision:
    table = ThrottleCounter.__table__
    failures = case((table.c.updated_at < now - policy.window, 1),
                    else_=table.c.failures + 1)
    first = policy.delay(1)
    insert = _insert(db.engine.dialect.name).values(
        key=key, failures=1, updated_at=now, blocked_until=None if first is None else now + first)
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"failures": failures, "updated_at": now,
              "blocked_until": _blocked_until(failures, policy, now)},
        where=(table.c.blocked_until.is_(None)) | (table.c.blocked_until <= now),
    ).returning(table.c.failures)
    if db.session.execute(statement).first() is not None:
        return Decision(True)
    until = db.session.scalar(select(ThrottleCounter.blocked_until)
                              .where(ThrottleCounter.key == key)) or now
    return Decision(False, max(1, math.ceil(until - now)))


# KEYS[1]: the counter's hash. ARGV: now, free, first, most, window. Returns {allowed, until}.
_LUA = """
local now, free, first, most, window = tonumber(ARGV[1]), tonumber(ARGV[2]),
  tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked_until') or '0')
if blocked > now then return {0, tostring(blocked)} end
local updated = tonumber(redis.call('HGET', KEYS[1], 'updated_at') or '0')
local failures
if updated < now - window then
  redis.call('HSET', KEYS[1], 'failures', 1)
  failures = 1
else
  failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
end
local blocked_until = 0
if failures >= free then
  blocked_until = now + math.min(first * 2 ^ (failures - free), most)
end
redis.call('HSET', KEYS[1], 'blocked_until', tostring(blocked_until), 'updated_at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(window + most))
return {1, tostring(blocked_until)}
"""


# KEYS[1]: the counter's hash. ARGV: free. One failure less; no wait under the free attempts.
_REFUND_LUA = """
local failures = tonumber(redis.call('HGET', KEYS[1], 'failures') or '0')
if failures <= 0 then return 0 end
failures = redis.call('HINCRBY', KEYS[1], 'failures', -1)
if failures < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'blocked_until', '0') end
return failures
"""


@cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def _take_redis(url: str, key: str, policy: Policy, now: float) -> Decision:
    script = _redis(url).register_script(_LUA)
    allowed, until = script(keys=[f"certtrack:throttle:{key}"],
                            args=[now, policy.free, policy.first, policy.most, policy.window])
    if int(allowed):
        return Decision(True)
    return Decision(False, max(1, math.ceil(float(until) - now)))


def purge_counters(now: float | None = None) -> int:
    """Delete database counters idle for longer than their longest memory (daily)."""
    now = time.time() if now is None else now
    config = current_app.config
    horizon = max(_seconds(config["LOGIN_THROTTLE_WINDOW"]) + _seconds(config["LOGIN_DELAY_MAX"]),
                  _seconds(config["VERIFY_WINDOW"]) * 2)
    result = db.session.execute(delete(ThrottleCounter).where(
        ThrottleCounter.updated_at < now - horizon, (ThrottleCounter.blocked_until.is_(None))
        | (ThrottleCounter.blocked_until < now)))
    return result.rowcount or 0
