"""One commit per use case: commit on success, roll back on any error, map races to Conflict."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from certtrack.extensions import db
from certtrack.services.errors import Conflict


def stale_message() -> str:
    """The translated message shown when an edit lost a race."""
    return _("This record was changed by someone else in the meantime. Reload and try again.")


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
