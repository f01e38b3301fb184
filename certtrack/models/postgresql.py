"""Indexes that only PostgreSQL gets, for the shape of its planner.

`ix_registration_shown_by_enterprise` (enterprise_id, valid_to) INCLUDE (status), partial on
the statuses the public register shows: a register search counts the registrations in force of
the enterprises whose names match, one index descent per enterprise. In
ix_registration_enterprise_in_force that was one descent per enterprise and status, and a
heap visit per match ("Grain", 1,975 enterprises, `make bench`: the count 11.4 -> 8.3 ms).
SQLite finds the same rows through its full-text tables and that index already.

The ORM does not map these indexes: create_all() builds them with the DDL below (the tests'
schema on PostgreSQL), migration 0027 with the same statement, and autogenerate leaves them
out (`is_postgresql_only_index`, used by migrations/env.py).
"""

from sqlalchemy import DDL, event

from certtrack.models.registration import Registration

POSTGRESQL_ONLY_INDEXES = {
    "ix_registration_shown_by_enterprise": (
        Registration.__table__,
        "CREATE INDEX ix_registration_shown_by_enterprise ON registration "
        "(enterprise_id, valid_to) INCLUDE (status) "
        "WHERE status IN ('active', 'suspended')"),
}


def is_postgresql_only_index(name: str | None, type_: str) -> bool:
    """Whether a reflected index is one of these."""
    return type_ == "index" and name in POSTGRESQL_ONLY_INDEXES


for _table, _statement in POSTGRESQL_ONLY_INDEXES.values():
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
