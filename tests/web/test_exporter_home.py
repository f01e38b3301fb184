"""The exporter's home page: its own applications, filtered, sorted and paginated."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update

from certtrack.extensions import db
from certtrack.models import Application, Establishment, User
from certtrack.services import applications, enterprises, registrations, status_changes
from certtrack.services.applications import local_today
from certtrack.services.enterprises import EstablishmentInput
from certtrack.services.inputs import ApplicationInput, ProductInput, StatusChangeInput

from factories import (
    ESTABLISHMENT,
    QUESTIONNAIRE,
    make_exporter_with_application,
    make_registration,
    make_user,
)
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

HOME = "/exporter/"


def rows(page: str) -> list[tuple[str, str]]:
    """(reference, state code) of every application row on the page, in order."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    if body is None:
        return []
    return re.findall(r">(A-\d{6})</a>.*?badge badge-(\w+)", body.group(1), re.S)


def _add_applications(user: User, count: int, product: str = "wheat",
                      own_establishments: bool = False) -> list[Application]:
    """`count` more drafts of the user's enterprise, each with one product line; with
    `own_establishments`, each at an establishment of its own."""
    establishment = db.session.scalar(
        select(Establishment).where(Establishment.enterprise_id == user.enterprise_id))
    created = []
    for number in range(count):
        if own_establishments:
            establishment = enterprises.add_establishment(
                user, EstablishmentInput.from_mapping(
                    {**ESTABLISHMENT, "name": f"{product} site {number}"}))
        application = applications.create_application(
            user, ApplicationInput.from_mapping(
                {**QUESTIONNAIRE, "establishment_id": establishment.id}))
        applications.add_product(user, application, ProductInput.from_mapping({
            "product_code": product, "annual_volume": 10, "volume_unit": "t"}))
        created.append(application)
    return created


def _set(application: Application, **values) -> None:
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(**values))
    db.session.commit()


def _exporter_with(client, count: int):
    user, _e, _s, first = make_exporter_with_application(complete=False)
    login(client, user.email)
    return user, [first, *_add_applications(user, count - 1)]


def test_home_lists_own_applications_with_their_state(ctx, client):
    other, _e, _s, foreign = make_exporter_with_application("961141000023", complete=False)
    user, own = _exporter_with(client, 2)
    _set(own[0], state="submitted", stage_deadline=date(2026, 12, 3))
    page = client.get(HOME).get_data(as_text=True)
    assert sorted(rows(page)) == sorted([(own[0].reference, "submitted"),
                                         (own[1].reference, "draft")])
    assert foreign.reference not in page
    assert "Submitted" in page and "Draft" in page
    assert "1001 Wheat" in page


def test_home_filters_by_state(ctx, client):
    _user, own = _exporter_with(client, 4)
    for application in own[:2]:
        _set(application, state="submitted")
    submitted = client.get(HOME, query_string={"state": "submitted"}).get_data(as_text=True)
    assert sorted(rows(submitted)) == sorted((a.reference, "submitted") for a in own[:2])
    assert re.search(r'<option value="submitted" selected>\s*Submitted \(2\)', submitted)
    drafts = client.get(HOME, query_string={"state": "draft"}).get_data(as_text=True)
    assert sorted(rows(drafts)) == sorted((a.reference, "draft") for a in own[2:])
    nothing = client.get(HOME, query_string={"state": "registered"})
    assert nothing.status_code == 200
    assert rows(nothing.get_data(as_text=True)) == []
    assert "None of your applications is in this state: Registered in China." in \
        nothing.get_data(as_text=True)


def test_home_paginates(ctx, client):
    _user, own = _exporter_with(client, 25)
    first = client.get(HOME).get_data(as_text=True)
    second = client.get(HOME, query_string={"page": 2}).get_data(as_text=True)
    assert len(rows(first)) == 20
    assert len(rows(second)) == 5
    shown = {reference for reference, _state in rows(first) + rows(second)}
    assert shown == {a.reference for a in own}
    assert "25 in all" in first
    assert 'href="/exporter/?page=2"' in first
    beyond = client.get(HOME, query_string={"page": 3})
    assert beyond.status_code == 200
    assert rows(beyond.get_data(as_text=True)) == []


def test_filter_is_kept_when_paging(ctx, client):
    _user, own = _exporter_with(client, 22)
    for application in own:
        _set(application, state="submitted")
    page = client.get(HOME, query_string={"state": "submitted"}).get_data(as_text=True)
    assert "state=submitted" in re.search(r'<nav class="pager".*?</nav>', page, re.S).group(0)


@pytest.mark.parametrize("sort", ["updated", "created", "deadline", "state", "no-such-order"])
def test_home_accepts_every_sort(ctx, client, sort):
    _user, own = _exporter_with(client, 3)
    response = client.get(HOME, query_string={"sort": sort})
    assert response.status_code == 200
    assert sorted(r for r, _s in rows(response.get_data(as_text=True))) == sorted(
        a.reference for a in own)


def test_sort_by_state_and_by_newest(ctx, client):
    _user, own = _exporter_with(client, 3)
    _set(own[0], state="submitted")
    by_state = rows(client.get(HOME, query_string={"sort": "state"}).get_data(as_text=True))
    assert [state for _r, state in by_state] == ["draft", "draft", "submitted"]
    newest = rows(client.get(HOME, query_string={"sort": "created"}).get_data(as_text=True))
    assert [r for r, _s in newest] == [a.reference for a in reversed(own)]


def test_sort_by_deadline_puts_the_nearest_first_and_none_last(ctx, client):
    _user, own = _exporter_with(client, 3)
    _set(own[1], state="submitted", stage_deadline=date(2026, 12, 10))
    _set(own[2], state="submitted", stage_deadline=date(2026, 12, 3))
    order = rows(client.get(HOME, query_string={"sort": "deadline"}).get_data(as_text=True))
    assert [r for r, _s in order] == [own[2].reference, own[1].reference, own[0].reference]


def _queries_for(app, client, url: str) -> list[str]:
    """The SQL statements one GET of `url` executes (after a warm-up request)."""
    assert client.get(url).status_code == 200
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return statements


def test_home_query_count_does_not_grow_with_applications(app, client):
    with app.test_request_context():
        user, _e, _s, _a = make_exporter_with_application(complete=False)
        email = user.email
        _add_applications(user, 2, product="barley", own_establishments=True)
    login(client, email)
    few = _queries_for(app, client, HOME)
    assert len(rows(client.get(HOME).get_data(as_text=True))) == 3
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _add_applications(user, 20, product="maize", own_establishments=True)
    many = _queries_for(app, client, HOME)
    page = client.get(HOME).get_data(as_text=True)
    assert len(rows(page)) == 20
    assert "1005 Maize (corn)" in page and "maize site 19" in page
    assert len(many) == len(few), "\n".join(many)


def _state_cell(page: str, reference: str) -> str:
    row = page.split(f">{reference}</a>")[1].split("</tr>")[0]
    return re.search(r'<span class="badge badge-([\w-]+)">([^<]+)</span>', row).groups()


def test_a_registered_application_says_when_its_registration_is_no_longer_in_force(ctx,
                                                                                   client):
    """It read "Registered in China" on the home page, where a consignment starts, after GACC
    had suspended or revoked the registration; its renewal reads as the registration does."""
    registrar = make_user("registrar")
    exporter, application, registration = make_registration(  # in its renewal window
        registrar, local_today() - timedelta(days=5 * 365 - 100), category="meat",
        product="beef_chilled")
    renewal = registrations.start_renewal(exporter, registration)
    _set(renewal, state="registered")  # as once GACC renewed it
    login(client, exporter.email)
    page = client.get(HOME).get_data(as_text=True)
    for listed in (application, renewal):
        assert _state_cell(page, listed.reference) == ("registered", "Registered in China")

    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput.from_mapping(
        {"authority": "gacc", "reason": "Khapra beetle found in a consignment",
         "suspended_from": local_today()}))
    page = client.get(HOME).get_data(as_text=True)
    assert _state_cell(page, application.reference) == (
        "registration-suspended", "Registration in China suspended")
    status_changes.change_status(registrar, registration, "revoke", StatusChangeInput.from_mapping(
        {"reason": "False declarations", "reference": "GACC Announcement 2026 No. 88"}))
    page = client.get(HOME).get_data(as_text=True)
    for listed in (application, renewal):
        assert _state_cell(page, listed.reference) == (
            "registration-ended", "Registration in China revoked")
    assert [code for _ref, code in rows(page)].count("registered") == 0
