"""The renewals of given registrations are looked up in an index of the renewals alone.

With every application in one index of `renewal_of_id`, most without a renewal, SQLite's
statistics counted their NULLs as one key holding nearly every row, and its planner scanned
the whole table to find a registration's renewal: 16 ms of the exporter's home page and 26 ms
of the registrar's dashboard at the national scale (`make bench`)."""

from datetime import timedelta

from sqlalchemy import event, text

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services.applications import local_today
from certtrack.services.registrations import renewals_due

from factories import make_registration, make_user


def _statements_of(call) -> list[tuple[str, tuple]]:
    seen = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_the_renewals_of_registrations_are_looked_up_not_scanned(ctx):
    _exporter, _application, registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=5 * 365 - 100))
    columns = ", ".join(c.name for c in Application.__table__.columns if c.name != "id")
    for _ in range(9):  # 512 applications, none of them a renewal, as most are
        db.session.execute(text(f"INSERT INTO application ({columns}) "  # noqa: S608
                                f"SELECT {columns} FROM application"))
    if db.engine.dialect.name != "sqlite":  # PostgreSQL's statistics keep NULLs apart
        assert "WHERE (renewal_of_id IS NOT NULL)" in db.session.scalar(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_application_renewal_of_id'"))
        return
    db.session.execute(text("ANALYZE"))
    [(statement, parameters)] = [
        seen for seen in _statements_of(lambda: renewals_due([registration], local_today()))
        if "renewal_of_id" in seen[0]]
    cursor = db.session.connection().connection.cursor()  # the statement as sent, with its
    plan = " ".join(row[-1] for row in cursor.execute(  # parameters
        "EXPLAIN QUERY PLAN " + statement, parameters))
    assert "USING INDEX ix_application_renewal_of_id" in plan, plan
