"""services.state_counts: the count of every application but the drafts is exact after every
kind of write, on either engine; on PostgreSQL it comes from the tally its triggers keep,
which the daily run counts again from the table and which never makes one writer wait on
another."""

import runpy
import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, inspect, literal, select, text, union_all, update

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.models.postgresql import STATE_COUNT_DDL, STATE_COUNT_DROP, STATE_COUNT_TABLE
from certtrack.services import state_counts

from factories import make_submitted_application, make_user

STATES = ("draft", "submitted", "under_review", "recommended", "registered", "rejected")


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _real_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Application)
                             .where(Application.state != "draft"))


def _tally_rows() -> int:
    return db.session.scalar(text(f"SELECT count(*) FROM {STATE_COUNT_TABLE}"))  # noqa: S608


def _copies(template_id: int, state: str, how_many: int) -> None:
    """`how_many` applications in `state`, copies of `template_id`, in one INSERT statement."""
    if not how_many:
        return
    columns = [c for c in Application.__table__.c if c.name not in ("id", "state")]
    one = select(*columns, literal(state)).where(Application.id == template_id)
    db.session.execute(insert(Application).from_select(
        [c.name for c in columns] + ["state"], union_all(*[one] * how_many)))


def test_the_count_follows_inserts_updates_and_deletes(ctx):
    make_user("registrar")
    _e, draft = make_submitted_application(submit=False)
    _e, first = make_submitted_application(name="First LLP")
    _e, second = make_submitted_application(name="Second LLP")
    assert state_counts.submitted_count() == 2

    # One statement moving several applications, as a GACC decision does.
    db.session.execute(update(Application).where(Application.id.in_([first.id, second.id]))
                       .values(state="under_review"))
    db.session.commit()
    assert state_counts.submitted_count() == 2
    # An update that leaves the state alone changes nothing.
    db.session.execute(update(Application).values(conclusion="read"))
    db.session.commit()
    assert state_counts.submitted_count() == 2

    db.session.execute(update(Application).where(Application.id == draft.id)
                       .values(state="submitted"))
    db.session.execute(update(Application).where(Application.id == first.id)
                       .values(state="draft"))
    db.session.commit()
    assert state_counts.submitted_count() == 2 == _real_count()

    _copies(second.id, "registered", 3)
    db.session.commit()
    assert state_counts.submitted_count() == 5 == _real_count()

    db.session.execute(delete(Application).where(Application.state == "registered",
                                                 Application.id != second.id))
    db.session.commit()
    assert state_counts.submitted_count() == 2 == _real_count()


def test_a_rolled_back_change_is_not_counted(ctx):
    _e, application = make_submitted_application()
    db.session.execute(update(Application).values(state="draft"))
    assert state_counts.submitted_count() == 0  # the transaction's own view
    db.session.rollback()
    assert state_counts.submitted_count() == 1


def test_the_daily_recount_keeps_the_count_and_one_row_per_state_on_postgresql(ctx):
    _e, application = make_submitted_application()
    for state in ("under_review", "recommended", "submitted", "under_review"):
        db.session.execute(update(Application).where(Application.id == application.id)
                           .values(state=state))
        db.session.commit()
    assert state_counts.submitted_count() == 1

    recounted = state_counts.recount()
    db.session.commit()

    assert state_counts.submitted_count() == 1
    if _postgresql():
        # The draft's insert (one row), the submission (two: -1 draft, +1 submitted) and
        # two for each of the four moves.
        assert recounted == state_counts.Recount(1 + 2 + 4 * 2, 1, 0)
        assert _tally_rows() == 1
        tallied = db.session.execute(text(
            f"SELECT state, applications FROM {STATE_COUNT_TABLE}")).all()  # noqa: S608
        assert tallied == [("under_review", 1)]
    else:
        assert recounted is None


def test_the_recount_corrects_a_tally_left_wrong_by_a_change_made_with_triggers_off(ctx):
    """As a restore tool does with `session_replication_role = replica`: the applications it
    writes fire no trigger, the tally misses them until the daily run counts it again."""
    _e, application = make_submitted_application()
    db.session.commit()
    if not _postgresql():
        assert state_counts.recount() is None
        return
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    _copies(application.id, "registered", 3)
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(state="draft"))
    db.session.commit()
    assert state_counts.submitted_count() == 1 != _real_count() == 3

    recounted = state_counts.recount()
    db.session.commit()

    assert recounted.corrected == 3 + 1 + 1  # three registered missing, one submitted, one draft
    assert state_counts.submitted_count() == 3 == _real_count()
    assert state_counts.by_state(["draft", "submitted", "registered"]) == {
        "draft": 1, "registered": 3}


def test_truncating_the_applications_empties_the_tally(ctx):
    """TRUNCATE fires no row or statement triggers of its own kind: a trigger of its own
    empties the tally. SQLite has no TRUNCATE and no tally (its schema has no such table)."""
    make_submitted_application()
    if _postgresql():
        db.session.execute(text("TRUNCATE application CASCADE"))
        db.session.commit()
        assert _tally_rows() == 0
        assert state_counts.submitted_count() == 0
    else:
        assert not inspect(db.engine).has_table(STATE_COUNT_TABLE)
        assert state_counts.submitted_count() == 1


def test_two_writers_moving_applications_of_one_state_do_not_wait_on_each_other(shared_app):
    """On PostgreSQL both transactions are open at once and each commits; SQLite has one
    writer at a time, so there the second writes after the first commits."""
    with shared_app.app_context():
        _e, first = make_submitted_application(name="First LLP")
        _e, second = make_submitted_application(name="Second LLP")
        ids = first.id, second.id
        db.session.remove()
    postgresql = shared_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    first_wrote, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer(application_id: int, wait_for: threading.Event | None,
               wrote: threading.Event, hold_until: threading.Event | None) -> None:
        try:
            with shared_app.app_context():
                if wait_for is not None:
                    wait_for.wait(10)
                if postgresql:
                    db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
                db.session.execute(update(Application).where(Application.id == application_id)
                                   .values(state="under_review"))
                wrote.set()
                if hold_until is not None:
                    hold_until.wait(10 if postgresql else 0)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
            wrote.set()

    holder = threading.Thread(target=writer, args=(ids[0], None, first_wrote, second_done))
    other = threading.Thread(target=writer, args=(ids[1], first_wrote, second_done, None))
    holder.start()
    other.start()
    other.join(15)
    holder.join(15)

    assert errors == []
    with shared_app.app_context():
        assert state_counts.submitted_count() == 2
        assert db.session.scalar(select(func.count()).select_from(Application)
                                 .where(Application.state == "under_review")) == 2
        db.session.remove()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["insert", "move", "delete", "recount"]),
                                st.sampled_from(STATES), st.sampled_from(STATES),
                                st.integers(min_value=0, max_value=3)),
                      max_size=12))
def test_any_sequence_of_writes_keeps_the_count_exact(ctx, steps):
    """Inserts of several rows, moves of every application of one state to another, deletes
    and recounts, in any order: the count is the table's own, and nothing stays behind."""
    template = _template()
    try:
        for action, state, target, how_many in steps:
            if action == "insert":
                _copies(template, state, how_many)
            elif action == "move":
                db.session.execute(update(Application).where(
                    Application.state == state, Application.id != template).values(state=target))
            elif action == "delete":
                db.session.execute(delete(Application).where(
                    Application.state == state, Application.id != template))
            else:
                state_counts.recount()
            assert state_counts.submitted_count() == _real_count()
    finally:
        db.session.rollback()


def _template() -> int:
    """An application to copy (made once per test; each example rolls its writes back)."""
    existing = db.session.scalar(select(Application.id).order_by(Application.id).limit(1))
    if existing is not None:
        return existing
    _e, application = make_submitted_application(submit=False)
    return application.id


def test_migration_0028_writes_the_tally_the_models_create():
    """A PostgreSQL database made by the migrations and one made by create_all() (the tests')
    get the same table, functions and triggers."""
    migration = runpy.run_path(str(Path(__file__).parents[2] / "migrations" / "versions"
                                   / "0028_postgresql_state_tally.py"))
    assert migration["STATE_COUNT_DDL"] == STATE_COUNT_DDL
    assert migration["DROP"] == STATE_COUNT_DROP
