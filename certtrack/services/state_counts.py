"""How many applications are in each state, exactly, at the cost of the engine's cheapest read.

SQLite counts an index range (or the table's b-tree pages) in well under a millisecond at the
national scale. PostgreSQL visits every index entry it counts, 8-10 ms for the 94,000
applications past their draft (`make bench`), so on PostgreSQL the counts come from the tally
its triggers keep (models/postgresql.py): the sum of a few rows per state.
"""

from sqlalchemy import bindparam, func, select, text

from certtrack.domain.workflow import State
from certtrack.extensions import db
from certtrack.models import Application
from certtrack.models.postgresql import STATE_COUNT_TABLE

_TALLIED = text(f"SELECT coalesce(sum(applications), 0) FROM {STATE_COUNT_TABLE} "  # noqa: S608
                "WHERE state <> :draft").bindparams(draft=State.draft.value)
_BY_STATE = text(f"SELECT state, sum(applications) FROM {STATE_COUNT_TABLE} "  # noqa: S608
                 "WHERE state IN :states GROUP BY state HAVING sum(applications) <> 0") \
    .bindparams(bindparam("states", expanding=True))
# One row per state again: the deleted rows' sums, in one statement (rows a concurrent
# writer adds meanwhile are not in its snapshot and stay as they are).
_FOLD = text(f"WITH folded AS (DELETE FROM {STATE_COUNT_TABLE} "  # noqa: S608
             "RETURNING state, applications) "
             f"INSERT INTO {STATE_COUNT_TABLE} (state, applications) "
             "SELECT state, sum(applications) FROM folded GROUP BY state "
             "HAVING sum(applications) <> 0")


def _tallied() -> bool:
    return db.engine.dialect.name == "postgresql"


def submitted_count() -> int:
    """Every application but the drafts."""
    if _tallied():
        return int(db.session.scalar(_TALLIED))
    # The table's count less the drafts' index range, where `state != 'draft'` would read
    # every entry of an index. One statement of two counts.
    everything = select(func.count()).select_from(Application).scalar_subquery()
    drafts = select(func.count()).select_from(Application).where(
        Application.state == State.draft).scalar_subquery()
    return db.session.scalar(select(everything - drafts))


def by_state(states: list[str]) -> dict[str, int]:
    """{state: applications} of those of `states` that have any."""
    if _tallied():
        return {state: int(count) for state, count in db.session.execute(
            _BY_STATE, {"states": list(states)})}
    return dict(db.session.execute(select(Application.state, func.count())
                                   .where(Application.state.in_(states))
                                   .group_by(Application.state)).all())


def fold() -> tuple[int, int] | None:
    """PostgreSQL: fold the tally's rows into one per state, in the caller's transaction;
    return (rows before, rows after). None on SQLite, which keeps no tally."""
    if not _tallied():
        return None
    before = db.session.scalar(text(f"SELECT count(*) FROM {STATE_COUNT_TABLE}"))  # noqa: S608
    after = db.session.execute(_FOLD).rowcount
    return before, after
