"""How many applications are in each state, exactly, at the cost of the engine's cheapest read.

SQLite counts an index range (or the table's b-tree pages) in well under a millisecond at the
national scale. PostgreSQL visits every index entry it counts, 8-10 ms for the 94,000
applications past their draft (`make bench`), so on PostgreSQL the counts come from the tally
its triggers keep (models/postgresql.py): the sum of a few rows per state.
"""

from dataclasses import dataclass

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
# The tally counted again from the table, in one statement (one snapshot): the rows it deletes
# and the counts it inserts are of the same moment, so a change made with the triggers off is
# corrected, and rows a concurrent writer adds meanwhile (not in the snapshot, nor is their
# change) stay as they are. Returns the rows before and after and how far the tally was off.
_RECOUNT = text(f"WITH old AS (DELETE FROM {STATE_COUNT_TABLE} "  # noqa: S608
                "RETURNING state, applications), "
                f"fresh AS (INSERT INTO {STATE_COUNT_TABLE} (state, applications) "
                "SELECT state, count(*) FROM application GROUP BY state "
                "RETURNING state, applications) "
                "SELECT (SELECT count(*) FROM old), (SELECT count(*) FROM fresh), "
                "(SELECT coalesce(sum(abs(off)), 0) FROM (SELECT state, sum(change) AS off FROM "
                "(SELECT state, applications AS change FROM fresh UNION ALL "
                "SELECT state, -applications FROM old) AS changes GROUP BY state) AS states)")


@dataclass(frozen=True)
class Recount:
    """The tally's rows before and after a recount, and by how many applications its counts
    were off (0 unless a change was made with its triggers off)."""

    rows_before: int
    rows_after: int
    corrected: int


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


def recount() -> Recount | None:
    """PostgreSQL: count the tally again from the table, one row per state, in the caller's
    transaction. None on SQLite, which keeps no tally."""
    if not _tallied():
        return None
    before, after, off = db.session.execute(_RECOUNT).one()
    return Recount(int(before), int(after), int(off))
