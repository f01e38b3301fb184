"""One commit per use case: commit on success, roll back on any error, map races to Conflict;
and which errors mean the database cannot be reached at all (the 503 page)."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from certtrack.extensions import db
from certtrack.services.errors import Conflict

# What the database driver raises, wrapped by SQLAlchemy, and a pool that has no connection to
# give: the classes among which database_unreachable() tells an outage from a bug.
DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, PoolTimeout)


def stale_message() -> str:
    """The translated message shown when an edit lost a race."""
    return _("This record was changed by someone else in the meantime. Reload and try again.")


def check_loaded_version(row, loaded) -> None:
    """Take a row with a `version` and the version its edit page was loaded at (None or ''
    from the API or a script: not checked).

    :raise Conflict: the row was saved by someone else since the page was loaded.
    """
    if loaded not in (None, "") and str(loaded) != str(row.version):
        raise Conflict(stale_message())


def _is_lock_error(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return "database is locked" in text or "could not serialize" in text


@contextmanager
def transaction() -> Iterator[None]:
    """Run the block in the session's transaction and commit once.

    :raise Conflict: a version check failed or the database refused a racing write.
    """
    try:
        yield
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict(stale_message()) from error
    except OperationalError as error:
        db.session.rollback()
        if _is_lock_error(error):
            raise Conflict(stale_message()) from error
        raise
    except BaseException:
        db.session.rollback()
        raise


def database_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached for now (a server restarting or
    down, a connection cut, no connection free in the pool), rather than a fault of the code.

    OperationalError is what psycopg and sqlite3 raise for a refused or lost connection, a
    server shutting down or starting up, a lock held too long; InterfaceError for a connection
    already closed; any driver error SQLAlchemy recognised as a disconnect has
    `connection_invalidated`. An integrity or programming error stays a fault (500).
    """
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    return False


# Set in a connection's info when its transaction runs anything but a SELECT.
_WROTE = "certtrack.wrote"


@event.listens_for(Engine, "begin")
def _transaction_begins(connection) -> None:
    connection.info.pop(_WROTE, None)


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, _cursor, statement: str, _parameters, _context, _many) -> None:
    if _WROTE not in connection.info and statement.lstrip()[:6].upper() != "SELECT":
        connection.info[_WROTE] = True


def _commit_reads() -> None:
    """On PostgreSQL, end a transaction that only read with COMMIT rather than the ROLLBACK of
    closing the session: psycopg forgets every prepared statement at a rollback, so every
    request planned each of its statements afresh (docs/performance.md). A transaction that
    ran any other statement, or whose session holds changes, is left to the rollback."""
    if not db.session.registry.has():
        return
    session = db.session()
    if session.get_transaction() is None or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and _WROTE not in connection.info:
        # Detached first, as closing the session leaves them: loaded, not expired by the
        # commit, for whoever still holds one after the request, job or command.
        session.expunge_all()
        session.commit()


def end_session(error: BaseException | None = None) -> None:
    """Close the session at the end of a request, a job or a command (after a request that
    only read, committing its transaction on PostgreSQL: `_commit_reads`). When the database
    cut its connection after the work was done (a restart between the last query and the end),
    the session is dropped all the same, and the answer already made stands: the pool opens
    a new connection for the next use."""
    try:
        if error is None:
            _commit_reads()
        db.session.remove()
    except DATABASE_ERRORS as error:
        if not database_unreachable(error):
            raise
        db.session.registry.clear()


def abandon() -> None:
    """Roll back the session of a request or job whose database went away, so that the error
    page renders nothing from it and the next use starts on a fresh connection."""
    try:
        db.session.rollback()
    except DATABASE_ERRORS:
        db.session.close()
