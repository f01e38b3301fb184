"""Objects that only PostgreSQL gets, for the shape of its planner.

`ix_registration_shown_by_enterprise` (enterprise_id, valid_to) INCLUDE (status), partial on
the statuses the public register shows: a register search counts the registrations in force of
the enterprises whose names match, one index descent per enterprise. In
ix_registration_enterprise_in_force that was one descent per enterprise and status, and a
heap visit per match ("Grain", 1,975 enterprises, `make bench`: the count 11.4 -> 8.3 ms).
SQLite finds the same rows through its full-text tables and that index already.

`application_state_count`, a tally of the applications per state: rows (state, applications)
whose sums by state are the application table's counts. Triggers on `application` add a row
per state a statement changed (+n inserted into it, -n taken out of it), so writers only
ever insert and never wait on one another; the daily run folds the rows into one per state
(`services.state_counts.fold`). The registrar's list of every application but the drafts
counts 94,000 index entries otherwise, 8-10 ms on PostgreSQL (`make bench`), where SQLite
counts a b-tree's pages in under 1 ms and keeps doing that.

The ORM does not map these objects: create_all() builds them with the DDL below (the tests'
schema on PostgreSQL), migrations 0027 and 0028 with the same statements, and autogenerate
leaves them out (`is_postgresql_only`, used by migrations/env.py).
"""

from sqlalchemy import DDL, event

from certtrack.models.application import Application
from certtrack.models.registration import Registration

POSTGRESQL_ONLY_INDEXES = {
    "ix_registration_shown_by_enterprise": (
        Registration.__table__,
        "CREATE INDEX ix_registration_shown_by_enterprise ON registration "
        "(enterprise_id, valid_to) INCLUDE (status) "
        "WHERE status IN ('active', 'suspended')"),
}

STATE_COUNT_TABLE = "application_state_count"
_TALLY = ("INSERT INTO application_state_count (state, applications) "
          "SELECT state, sum(change) FROM ({changes}) AS changes "
          "GROUP BY state HAVING sum(change) <> 0")
_CHANGES = {
    "insert": "SELECT state, 1 AS change FROM new_rows",
    "update": "SELECT state, 1 AS change FROM new_rows UNION ALL SELECT state, -1 FROM old_rows",
    "delete": "SELECT state, -1 AS change FROM old_rows",
}
_TRANSITION_TABLES = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}
# In dependency order; a trigger with transition tables serves one event only. TRUNCATE
# fires no row or statement trigger of those events: a trigger of its own empties the tally.
STATE_COUNT_DDL = (
    "CREATE TABLE application_state_count (state VARCHAR(32) NOT NULL, "
    "applications BIGINT NOT NULL)",
    *(f"CREATE OR REPLACE FUNCTION application_state_count_{event_}() RETURNS trigger "
      f"LANGUAGE plpgsql AS $$ BEGIN {_TALLY.format(changes=changes)}; RETURN NULL; END $$"
      for event_, changes in _CHANGES.items()),
    "CREATE OR REPLACE FUNCTION application_state_count_truncate() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN DELETE FROM application_state_count; RETURN NULL; END $$",
    *(f"CREATE TRIGGER application_state_count_{event_} AFTER {event_.upper()} "
      f"ON application REFERENCING {tables} FOR EACH STATEMENT "
      f"EXECUTE FUNCTION application_state_count_{event_}()"
      for event_, tables in _TRANSITION_TABLES.items()),
    "CREATE TRIGGER application_state_count_truncate AFTER TRUNCATE ON application "
    "FOR EACH STATEMENT EXECUTE FUNCTION application_state_count_truncate()",
)
_EVENTS = ("insert", "update", "delete", "truncate")
STATE_COUNT_DROP = (
    *(f"DROP TRIGGER IF EXISTS application_state_count_{event_} ON application"
      for event_ in _EVENTS),
    *(f"DROP FUNCTION IF EXISTS application_state_count_{event_}()" for event_ in _EVENTS),
    "DROP TABLE IF EXISTS application_state_count",
)


def is_postgresql_only(name: str | None, type_: str) -> bool:
    """Whether a reflected index or table is one of these."""
    return ((type_ == "index" and name in POSTGRESQL_ONLY_INDEXES)
            or (type_ == "table" and name == STATE_COUNT_TABLE))


for _table, _statement in POSTGRESQL_ONLY_INDEXES.values():
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in STATE_COUNT_DDL:
    event.listen(Application.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
event.listen(Application.__table__, "before_drop",
             DDL(STATE_COUNT_DROP[-1]).execute_if(dialect="postgresql"))
