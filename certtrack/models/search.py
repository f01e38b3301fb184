"""The public register's text search: trigram indexes over the enterprises' names and BINs and
the registrations' China numbers, so that a substring is found without reading every row.

SQLite: FTS5 tables with the trigram tokenizer (case-insensitive, Cyrillic and Chinese
included) over the columns of `enterprise` and `registration` (external content: the text is
not stored twice), kept in sync by triggers. PostgreSQL: GIN indexes with pg_trgm's operator
classes, which serve ILIKE '%text%' directly.

The ORM does not map these objects: create_all() builds them with the DDL below (the tests'
schema), migration 0006 with the same statements, and autogenerate leaves them out
(`is_unmapped_search_object`, used by migrations/env.py). A future batch migration that copies
`enterprise` or `registration` into a new table drops the triggers with the old table: it must
run ENTERPRISE_TRIGGERS or REGISTRATION_TRIGGERS again.
"""

from sqlalchemy import DDL, column, event, table

from certtrack.models.enterprise import Enterprise
from certtrack.models.registration import Registration

# Trigrams: a text shorter than this has none and is matched by scanning.
MIN_INDEXED_LENGTH = 3

ENTERPRISE_COLUMNS = ("name_en", "name_kk", "name_ru", "name_zh", "bin")
REGISTRATION_COLUMNS = ("china_number",)

# The FTS5 tables as SQL expressions: `rowid` is the id of the row in `enterprise` or
# `registration`; the column named like the table takes the MATCH.
enterprise_search = table("enterprise_search", column("rowid"), column("enterprise_search"))
registration_search = table("registration_search", column("rowid"),
                            column("registration_search"))

POSTGRESQL_INDEXES = ("ix_enterprise_search", "ix_registration_search")
_SQLITE_TABLES = ("enterprise_search", "registration_search")


def _fts_table(name: str, source: str, columns: tuple[str, ...]) -> str:
    return (f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join(columns)}, "
            f"content='{source}', content_rowid='id', tokenize='trigram')")


def _fts_triggers(name: str, source: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    listed = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # Our own table and column names, never a user's text.
    insert = f"INSERT INTO {name}(rowid, {listed}) VALUES (new.id, {new});"  # noqa: S608
    delete = (f"INSERT INTO {name}({name}, rowid, {listed}) "  # noqa: S608
              f"VALUES ('delete', old.id, {old});")
    return (
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {insert} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {delete} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {listed} ON {source} "
        f"BEGIN {delete} {insert} END",
    )


def _gin_index(name: str, source: str, columns: tuple[str, ...]) -> str:
    operators = ", ".join(f"{c} gin_trgm_ops" for c in columns)
    return f"CREATE INDEX {name} ON {source} USING gin ({operators})"


ENTERPRISE_TRIGGERS = _fts_triggers("enterprise_search", "enterprise", ENTERPRISE_COLUMNS)
REGISTRATION_TRIGGERS = _fts_triggers("registration_search", "registration",
                                      REGISTRATION_COLUMNS)
SQLITE_DDL = {
    "enterprise": (_fts_table("enterprise_search", "enterprise", ENTERPRISE_COLUMNS),
                   *ENTERPRISE_TRIGGERS),
    "registration": (_fts_table("registration_search", "registration", REGISTRATION_COLUMNS),
                     *REGISTRATION_TRIGGERS),
}
POSTGRESQL_DDL = {
    "enterprise": ("CREATE EXTENSION IF NOT EXISTS pg_trgm",
                   _gin_index("ix_enterprise_search", "enterprise", ENTERPRISE_COLUMNS)),
    "registration": ("CREATE EXTENSION IF NOT EXISTS pg_trgm",
                     _gin_index("ix_registration_search", "registration",
                                REGISTRATION_COLUMNS)),
}


def is_unmapped_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index is one of these (FTS5 tables have shadow tables
    named after them: enterprise_search_data, _idx, _docsize, _config)."""
    if not name:
        return False
    if type_ == "table":
        return any(name == t or name.startswith(f"{t}_") for t in _SQLITE_TABLES)
    return type_ == "index" and name in POSTGRESQL_INDEXES


def _attach(model) -> None:
    name = model.__tablename__
    for statement in SQLITE_DDL[name]:
        event.listen(model.__table__, "after_create",
                     DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL_DDL[name]:
        event.listen(model.__table__, "after_create",
                     DDL(statement).execute_if(dialect="postgresql"))
    event.listen(model.__table__, "before_drop",
                 DDL(f"DROP TABLE IF EXISTS {name}_search").execute_if(dialect="sqlite"))


_attach(Enterprise)
_attach(Registration)
