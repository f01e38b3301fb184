"""The inspector's work queue page: scope, filters, overdue rows, pagination, query count."""

import html
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from certtrack.extensions import db
from certtrack.models import Application, User
from certtrack.services import applications

from factories import make_submitted_application, make_user
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _references(page: str) -> list[str]:
    return re.findall(r'<a href="/inspector/applications/\d+">(A-\d{6})</a>', page)


def _deadline(application, days: int) -> None:
    db.session.execute(update(Application).where(Application.id == application.id).values(
        stage_deadline=applications.local_today() + timedelta(days=days)))
    db.session.commit()


@contextmanager
def counting_queries():
    """Count the SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_queue_shows_the_committees_regional_work_and_what_is_assigned(ctx, client):
    inspector = make_user("inspector")
    _e, mine = make_submitted_application(name="Akmola Grain")
    _e, draft = make_submitted_application(name="Draft Grain", submit=False)
    _e, meat = make_submitted_application(name="Akmola Meat", category="meat",
                                          product="beef_chilled")
    _e, far = make_submitted_application(name="Kostanay Grain", region="KZ-39")
    _e, far_assigned = make_submitted_application(name="Kostanay Assigned", region="KZ-39")
    far_assigned.assignee_id = inspector.id
    db.session.commit()
    login(client, inspector.email)
    page = _page(client.get("/inspector/"))
    assert sorted(_references(page)) == sorted([mine.reference, far_assigned.reference])
    assert draft.reference not in page and meat.reference not in page
    assert far.reference not in page
    assert "Test Inspector" in page and "unassigned" in page


def test_overdue_rows_are_highlighted_and_can_be_shown_alone(ctx, client):
    inspector = make_user("inspector")
    _e, late = make_submitted_application(name="Late LLP")
    _e, on_time = make_submitted_application(name="On Time LLP")
    _deadline(late, -1)
    login(client, inspector.email)
    page = _page(client.get("/inspector/"))
    row = re.search(rf'<tr class="([^"]*)">\s*<td[^>]*><a[^>]*>{late.reference}', page)
    assert row and row.group(1) == "row-overdue"
    assert re.search(rf'<tr class="">\s*<td[^>]*><a[^>]*>{on_time.reference}', page)
    page = _page(client.get("/inspector/?overdue=y"))
    assert _references(page) == [late.reference]


def test_filters_and_sorting_by_enterprise_through_the_page(ctx, client):
    inspector = make_user("inspector", regions=["KZ-11", "KZ-39"])
    _e, beta = make_submitted_application(name="Beta Grain", region="KZ-39")
    _e, alpha = make_submitted_application(name="Alpha Oilseeds", category="oilseeds",
                                           product="soybeans")
    _e, gamma = make_submitted_application(name="Gamma Grain")
    login(client, inspector.email)
    page = _page(client.get("/inspector/?sort=enterprise"))
    assert _references(page) == [alpha.reference, beta.reference, gamma.reference]
    page = _page(client.get("/inspector/?region=KZ-39"))
    assert _references(page) == [beta.reference]
    page = _page(client.get("/inspector/?category=oilseeds"))
    assert _references(page) == [alpha.reference]
    page = _page(client.get("/inspector/?state=under_review"))
    assert _references(page) == []
    page = _page(client.get("/inspector/?region=KZ-39&sort=enterprise"))
    assert re.search(r'<option selected value="KZ-39">', page)
    assert re.search(r'<option selected value="enterprise">', page)


def test_pagination_splits_the_queue(ctx, client):
    inspector = make_user("inspector")
    exporter, first = make_submitted_application()
    made = [first] + [make_submitted_application(exporter)[1] for _ in range(22)]
    login(client, inspector.email)
    first_page = _references(_page(client.get("/inspector/?sort=age")))
    second_page = _references(_page(client.get("/inspector/?sort=age&page=2")))
    assert len(first_page) == 20 and len(second_page) == 3
    assert first_page + second_page == [a.reference for a in made]
    assert "23 in all" in _page(client.get("/inspector/"))


def _queue_query_count(client) -> int:
    """Queries of one queue page, from a clean session: the test client shares the test's
    application context, so whatever the test loaded would otherwise be served from memory."""
    db.session.remove()
    with counting_queries() as statements:
        response = client.get("/inspector/")
    assert response.status_code == 200
    assert "<table" in response.get_data(as_text=True)
    return len(statements)


def _assign_all_to(inspector_id: int) -> None:
    db.session.execute(update(Application).values(assignee_id=inspector_id))
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_rows(ctx, client):
    inspector = make_user("inspector")
    inspector_id = inspector.id
    exporter, _first = make_submitted_application()
    make_submitted_application(exporter)
    other, _ = make_submitted_application(name="Second Grain")
    other_id = other.id
    _assign_all_to(inspector_id)
    login(client, inspector.email)
    client.get("/inspector/")  # fill the per-application caches (working calendar)
    with_3 = _queue_query_count(client)

    other = db.session.get(User, other_id)
    for _ in range(20):
        make_submitted_application(other)
    _assign_all_to(inspector_id)
    with_23 = _queue_query_count(client)
    db.session.remove()
    assert len(_references(_page(client.get("/inspector/")))) == 20
    assert db.session.scalar(select(func.count()).select_from(Application)) == 23
    assert with_23 == with_3


def test_the_queue_opens_on_work_needing_action_and_closed_cases_are_one_click_away(ctx,
                                                                                    client):
    inspector = make_user("inspector")
    _e, waiting = make_submitted_application(name="Waiting Grain")
    _e, returned = make_submitted_application(name="Returned Grain")
    _e, withdrawn = make_submitted_application(name="Withdrawn Grain")
    db.session.execute(update(Application).where(Application.id == returned.id)
                       .values(state="returned"))
    db.session.execute(update(Application).where(Application.id == withdrawn.id)
                       .values(state="withdrawn"))
    db.session.commit()
    login(client, inspector.email)
    page = _page(client.get("/inspector/"))
    assert _references(page) == [waiting.reference]
    assert '<span class="tab current" aria-current="page">Needs your action</span>' in page
    everything = re.search(r'<a class="tab" href="([^"]+)">All, closed included</a>', page)
    page = _page(client.get(everything.group(1)))
    assert sorted(_references(page)) == sorted([waiting.reference, returned.reference,
                                                withdrawn.reference])
    page = _page(client.get("/inspector/?show=open"))
    assert sorted(_references(page)) == sorted([waiting.reference, returned.reference])
    page = _page(client.get("/inspector/?state=withdrawn"))
    assert _references(page) == [withdrawn.reference]
