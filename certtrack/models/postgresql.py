"""Indexes that only PostgreSQL gets, for the shape of its planner.

PostgreSQL counts a list's rows entry by entry (SQLite counts the entries of an index range
from its b-tree pages): the inspector's queue counted its category's whole range of
ix_application_category_deadline (17,000 entries at the national scale of `make bench`) to
keep the 1,300 in its states and regions, 11-17 ms a page. `ix_application_state_queue` puts
the state first, so that the count reads the open states' ranges of the category: 1.8 ms; the
queue without a category (every open application of the inspector's territory) 55 -> 16 ms.
SQLite is not given it: its planner takes it for the queue's page too (EXPLAIN QUERY PLAN),
over the covering ix_application_category_deadline the page is tuned for, and counts the
category's range in about 1 ms already.

The ORM does not map these indexes: create_all() builds them with the DDL below (the tests'
schema on PostgreSQL), migration 0026 with the same statements, and autogenerate leaves them
out (`is_postgresql_only_index`, used by migrations/env.py).
"""

from sqlalchemy import DDL, event

from certtrack.models.application import Application

POSTGRESQL_ONLY_INDEXES = {
    "ix_application_state_queue": (
        "CREATE INDEX ix_application_state_queue ON application "
        "(state, gacc_category_code, region_code, assignee_id)"),
}


def is_postgresql_only_index(name: str | None, type_: str) -> bool:
    """Whether a reflected index is one of these."""
    return type_ == "index" and name in POSTGRESQL_ONLY_INDEXES


for _statement in POSTGRESQL_ONLY_INDEXES.values():
    event.listen(Application.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
