"""Chunked multi-row INSERTs through SQLAlchemy Core, with a progress bar per table."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection

from bench.progress import Progress

CHUNK = 5_000


def insert_rows(conn: Connection, table: Table, rows: Iterable[dict], total: int,
                label: str | None = None) -> int:
    """INSERT `rows` (dicts with the same keys) in chunks, committing each; return the count."""
    statement = table.insert()
    written, batch = 0, []
    with indexes_deferred(conn, table.name), Progress(label or table.name, total) as bar:
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                conn.execute(statement, batch)
                written += len(batch)
                bar.advance(len(batch))
                batch = []
        if batch:
            conn.execute(statement, batch)
            written += len(batch)
            bar.advance(len(batch))
    conn.commit()
    return written


def _plain_indexes(conn: Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that back no constraint."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND tbl_name = :t AND sql IS NOT NULL"), {"t": table})
    else:
        rows = conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = :t AND indexname NOT IN (SELECT conname FROM pg_constraint)"),
            {"t": table})
    return [(name, sql) for name, sql in rows]


@contextmanager
def indexes_deferred(conn: Connection, table: str) -> Iterator[None]:
    """Drop the table's plain indexes while it is loaded and build them again afterwards,
    exactly as the migrations wrote them: one sort per index instead of a random insert per
    row."""
    indexes = _plain_indexes(conn, table)
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    conn.commit()
    try:
        yield
    finally:
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
        conn.commit()


def tune_for_loading(conn: Connection) -> None:
    """SQLite: no fsync and a large page cache while loading (the file is rebuilt on failure)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        conn.exec_driver_sql("PRAGMA temp_store=MEMORY")


def reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: move each id sequence past the ids written explicitly."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        top = conn.scalar(select(func.max(table.c.id))) or 0
        conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
                     {"t": f'"{table.name}"', "v": max(top, 1), "called": top > 0})
    conn.commit()
