"""The task queue (huey): SQLite storage in the instance folder, Redis when REDIS_URL is set.

Jobs are defined in certtrack.tasks.jobs on the one module-level `huey`; `init_app` points its
storage at the application's queue and remembers the application, so that a worker thread runs
each job inside its own request context. Tests run jobs at once (`TASK_QUEUE_IMMEDIATE`,
following TESTING by default). A job that fails on its last attempt is recorded in job_failure
for the administrator's page; one interrupted by a worker's shutdown is queued again.
"""

import ctypes
import ctypes.util
import functools
import gc
import logging
import os

from flask import Flask, current_app, has_app_context
from huey import Huey, signals
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from certtrack.extensions import db
from certtrack.services.transaction import end_session

log = logging.getLogger(__name__)
QUEUE_NAME = "certtrack"

huey = Huey(QUEUE_NAME, storage_class=MemoryStorage, results=False, utc=True)
_apps: list[Flask] = []


def storage_for(app: Flask):
    """The storage the application's queue lives in: Redis, or an SQLite file."""
    url = app.config.get("REDIS_URL")
    if url:
        return RedisStorage(QUEUE_NAME, url=url)
    path = app.config.get("TASK_QUEUE_FILE") or os.path.join(app.instance_path, "tasks.sqlite3")
    return SqliteStorage(QUEUE_NAME, filename=path)


def init_app(app: Flask) -> None:
    """Point the queue at the application's storage (or run jobs at once) and keep the app."""
    immediate = app.config.get("TASK_QUEUE_IMMEDIATE")
    if immediate is None:
        immediate = app.testing
    huey.immediate = bool(immediate)
    if not huey.immediate:
        huey.storage = storage_for(app)
    _apps[:] = [app]
    from certtrack.tasks import jobs  # noqa: F401 - defines the jobs and registers them


def app_for_jobs() -> Flask:
    """The application jobs run in (the one init_app saw last)."""
    return _apps[0]


def in_app(function):
    """Run `function` in the caller's application context, or in a fresh application context
    of the configured application (a worker thread has none; the services need no request);
    the session is removed after."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with app_for_jobs().app_context():
            try:
                return function(*args, **kwargs)
            finally:
                end_session()
    return run


@huey.signal(signals.SIGNAL_ERROR)
def _record_final_failure(signal, task, exc=None):
    """On the last failed attempt, keep the job in job_failure for the administrators."""
    if task.retries:
        return
    _record(task.name, list(task.args or ()), repr(exc),
            getattr(task, "default_retries", 0) + 1)


@in_app
def _record(name: str, args: list, error: str, attempts: int) -> None:
    from certtrack.services.jobs import record_failure

    db.session.rollback()
    record_failure(name, args, error, attempts)
    current_app.logger.error("job %s%r failed for good: %s", name, tuple(args), error)


@huey.signal(signals.SIGNAL_INTERRUPTED)
def _requeue_interrupted(signal, task, *args):
    """A job cut short by the worker's shutdown runs again when a worker next starts."""
    log.warning("job %s interrupted; queued again", task.name)
    huey.enqueue(task)


def _libc_malloc_trim():
    """glibc's malloc_trim, or None on another C library (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _libc_malloc_trim()


@huey.post_execute()
def _give_memory_back(task, task_value, exc):
    """After each job a worker runs: free the job's reference cycles, then give the heap's free
    pages back to the system. A render builds hundreds of megabytes of short-lived objects in a
    thread's own malloc arena; without the trim glibc keeps those pages, and a worker that has
    rendered for an hour holds the high-water mark of every thread (docs/performance.md, Soak)."""
    if huey.immediate:
        return
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)
