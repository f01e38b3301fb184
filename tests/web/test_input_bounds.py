"""Inputs out of every bound get a 4xx, never a 500 (docs/security.md item 12).

One table of hostile inputs: ids and page numbers of 2^63 on every route that takes them (the
anonymous public register included), a line break in `next`, NaN, sNaN and Infinity in number
fields, year-9999 and year-1 dates. Each row names a role (the client signs in as it), the
request and, for forms, what must not have been stored.
"""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from flask import g
from sqlalchemy import select

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import Application, ApplicationProduct, Inspection
from certtrack.models.consignment import Consignment, ConsignmentLot
from certtrack.services import applications, review
from certtrack.services.applications import local_today

from consignment_factories import make_consignment
from factories import make_exporter_with_application, make_submitted_application, make_user
from forms import csrf_token, login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

HUGE = str(2**63)
_ROUTES_APP = create_app({"TESTING": True, "SECRET_KEY": "routes",
                          "SQLALCHEMY_DATABASE_URI": "sqlite://"})
ID_RULES = sorted({(rule.rule, method) for rule in _ROUTES_APP.url_map.iter_rules()
                   if "<id:" in rule.rule
                   for method in rule.methods - {"HEAD", "OPTIONS"}})


def _concrete(rule: str, number: str) -> str:
    """The rule's URL with every id set to `number` and every `any(...)` to its first choice."""
    url = re.sub(r"<id:\w+>", number, rule)
    return re.sub(r"<any\(([\w]+)[^>]*>", r"\1", url)


def test_every_route_names_its_ids_with_the_bounded_converter():
    integers = [rule.rule for rule in _ROUTES_APP.url_map.iter_rules() if "<int:" in rule.rule]
    assert integers == []
    assert len(ID_RULES) > 60  # the web pages and the API alike


@pytest.mark.parametrize(("rule", "method"), ID_RULES)
def test_an_id_of_2_to_the_63_is_not_found_on_every_route(client, rule, method):
    data = {"csrf_token": csrf_token(client)} if method != "GET" else None
    response = client.open(_concrete(rule, HUGE), method=method, data=data)
    assert response.status_code == 404


@pytest.mark.parametrize("number", ["0", str(2**31), HUGE, "99999999999999999999999"])
def test_ids_outside_an_integer_column_are_not_found(client, number):
    assert client.get(f"/documents/{number}").status_code == 404
    assert client.get(f"/api/v1/exporter/applications/{number}").status_code == 404


PAGED = [  # (role, url) of every list with ?page=
    (None, "/register"),
    ("exporter", "/exporter/"),
    ("exporter", "/exporter/registrations"),
    ("exporter", "/exporter/consignments/"),
    ("exporter", "/notifications"),
    ("inspector", "/inspector/"),
    ("inspector", "/inspector/consignments/"),
    ("registrar", "/registrar/"),
    ("registrar", "/registrar/registrations"),
    ("admin", "/admin/users"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/jobs"),
    ("laboratory", "/laboratory/samples"),
]


def _signed_in(client, role):
    if role == "laboratory":  # an account of an accredited laboratory
        from api_world import make_laboratory
        login(client, make_laboratory("Astana grain laboratory")[1].email)
    elif role is not None:
        login(client, make_user(role).email)
    return client


@pytest.mark.parametrize(("role", "url"), PAGED)
def test_a_page_out_of_range_is_not_found(ctx, client, role, url):
    _signed_in(client, role)
    for page in (HUGE, "0", "-1", "1e3", "abc", "１", str(10**5 + 1)):
        assert client.get(url, query_string={"page": page}).status_code == 404, page
    assert client.get(f"{url}?page=1").status_code == 200
    assert client.get(f"{url}?page=100000").status_code == 200  # past the end: empty


def test_every_paged_list_is_in_the_table():
    """A list view reads its page through page_number(); the table above names each of them."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "certtrack" / "web"
    callers = sorted(path.name for path in root.rglob("*.py")
                     if "page_number()" in path.read_text() and path.name != "bounds.py")
    assert callers == ["admin.py", "admin_audit.py", "admin_jobs.py", "consignment_inspection.py",
                       "consignments.py", "exporter.py", "inspector.py", "lab_portal.py",
                       "notifications.py",
                       "pages.py", "register.py", "registrar.py"]


@pytest.mark.parametrize("target", ["/exporter/\nSet-Cookie: x=1", "/a\r\nb", "/a\tb",
                                    "/a\x00b"])
def test_a_control_character_in_next_is_refused(ctx, client, target):
    user = make_user("exporter")
    assert client.get("/login", query_string={"next": target}).status_code == 400
    response = client.post("/login", data={"email": user.email, "password": "x" * 12,
                                           "next": target, "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    assert client.get("/exporter/").status_code == 302  # not signed in behind the refusal


def test_a_nul_byte_anywhere_is_refused(ctx, client):
    login(client, make_user("admin").email)
    assert client.get("/admin/users", query_string={"q": "a\x00b"}).status_code == 400
    public = client.get("/register", query_string={"q\x00": "1"})
    assert public.status_code == 400
    page = public.get_data(as_text=True)  # what is wrong, not "the form had expired"
    assert "holds a character that no text may contain" in page
    assert "The form had expired" not in page
    assert post(client, "/admin/users/new", {"full_name": "A\x00"}).status_code == 400
    assert client.post("/api/v1/exporter/applications", json={"kind": "new\u0000"},
                       headers={"Authorization": "Bearer ct_x"}).status_code == 400


def test_a_refused_nul_byte_speaks_the_signed_in_users_language(ctx, client):
    """The refusal ran before the user was known: a Russian inspector with a Chinese browser
    read it in Chinese."""
    inspector = make_user("inspector")
    login(client, inspector.email)
    inspector.locale = "ru"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    refused = client.get("/inspector/", query_string={"q": "a\x00"},
                         headers={"Accept-Language": "zh"})
    assert refused.status_code == 400
    assert '<html lang="ru">' in refused.get_data(as_text=True)


HOSTILE_NUMBERS = ["sNaN", "NaN", "-NaN", "Infinity", "-Infinity", "1e999999", HUGE]
HOSTILE_DATES = ["9999-12-31", "0001-01-01", "1990-12-31"]


def _draft(client):
    exporter, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, exporter.email)
    return application


def _questionnaire(application, **changes) -> dict:
    data = {"kind": "new", "establishment_id": str(application.establishment_id),
            "gacc_category_code": "edible_grains", "haccp_status": "certified",
            "traceability": "Lots", "production_capacity": "100", "storage_capacity": "5000",
            "water_source": "municipal", "staff_count": "25",
            "version": str(application.version)}
    return {**data, **changes}


@pytest.mark.parametrize("field", ["production_capacity", "storage_capacity", "staff_count"])
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_hostile_numbers_in_the_questionnaire_are_refused(ctx, client, field, value):
    application = _draft(client)
    response = post(client, f"/exporter/applications/{application.id}/edit",
                    _questionnaire(application, **{field: value}))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Application, application.id).production_capacity == Decimal(100)


@pytest.mark.parametrize(("value", "message"), [
    # A day to come, however far: the field's own rule says it, not the window's bounds.
    ("9999-12-31", "The last official inspection is a past date: enter the day it took place."),
    ("0001-01-01", "Enter a date between Jan 1, 1991 and"),
    ("1990-12-31", "Enter a date between Jan 1, 1991 and"),
])
def test_dates_out_of_the_window_in_the_questionnaire_are_refused(ctx, client, value, message):
    application = _draft(client)
    response = post(client, f"/exporter/applications/{application.id}/edit",
                    _questionnaire(application, last_inspection_date=value))
    assert response.status_code == 422
    error = re.search(r'id="last_inspection_date-error">(.*?)</p>',
                      response.get_data(as_text=True), re.S).group(1)
    assert message in error
    if message.startswith("Enter a date between"):  # and today, not 5 years on: it said
        today = format_date(local_today(), "medium", locale="en")  # both rules at once
        assert html.unescape(error).strip() == f"Enter a date between Jan 1, 1991 and {today}."
    db.session.expire_all()
    assert db.session.get(Application, application.id).last_inspection_date is None


@pytest.mark.parametrize("value", [*HOSTILE_NUMBERS, "100000001"])
def test_hostile_volumes_of_a_product_line_are_refused(ctx, client, value):
    application = _draft(client)
    response = post(client, f"/exporter/applications/{application.id}/products",
                    {"product_code": "wheat", "annual_volume": value, "volume_unit": "t"})
    assert 400 <= response.status_code < 500
    assert db.session.scalars(select(ApplicationProduct)).all() == []


@pytest.mark.parametrize(("field", "value"), [
    *(("net_weight", value) for value in HOSTILE_NUMBERS),
    *(("packages_number", value) for value in (HUGE, "-1", "1e3")),
])
def test_hostile_weights_and_counts_of_a_lot_are_refused(ctx, client, field, value):
    exporter, _i, _r, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    lots_before = len(db.session.scalars(select(ConsignmentLot)).all())
    lot = {"product_code": "wheat", "net_weight": "10", "gross_weight": "11",
           "weight_unit": "t", "packages_number": "1", "packages_kind": "bulk", field: value}
    response = post(client, f"/exporter/consignments/{consignment.id}/lots", lot)
    assert response.status_code == 422
    assert len(db.session.scalars(select(ConsignmentLot)).all()) == lots_before
    # The field's own bounds, never the storage's ("below 2,147,483,647").
    assert "2,147,483,647" not in response.get_data(as_text=True)


@pytest.fixture
def reviewing(ctx, client):
    """An application under review by a signed-in inspector."""
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    login(client, inspector.email)
    return application


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_hostile_measurements_are_refused(reviewing, client, value):
    response = post(client, f"/inspector/applications/{reviewing.id}/measurements", {
        "measured_product": "wheat", "measure": "moisture", "measured_value": value})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_an_inspection_scheduled_out_of_the_window_is_refused(reviewing, client, value):
    response = post(client, f"/inspector/applications/{reviewing.id}/schedule", {
        "mode": "on_site", "scheduled_for": value,
        "inspector_ids": [str(reviewing.assignee_id)]})
    assert response.status_code == 422
    assert db.session.scalars(select(Inspection)).all() == []


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_a_consignment_inspected_out_of_the_window_is_refused(ctx, client, value):
    _e, inspector, _r, consignment = make_consignment("phyto")
    login(client, inspector.email)
    base = f"/inspector/consignments/{consignment.id}"
    assert post(client, f"{base}/start_inspection",
                {"version": str(consignment.version)}).status_code == 302
    response = post(client, f"{base}/inspection", {"inspected_on": value, "place": "Dostyk",
                                                   "result": "satisfactory"})
    assert 400 <= response.status_code < 500
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).inspected_on is None


def test_the_window_moves_with_today(ctx, client):
    """Five years ahead is still accepted; a day more is not."""
    application = _draft(client)
    last = applications.local_today()
    edge = last.replace(year=last.year + 5) if (last.month, last.day) != (2, 29) else \
        last.replace(year=last.year + 5, day=28)
    url = f"/exporter/applications/{application.id}/edit"
    response = post(client, url, _questionnaire(
        application, last_inspection_date=(edge + timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    response = post(client, url, _questionnaire(
        application, last_inspection_date=local_today().isoformat()))
    assert response.status_code == 302


def _lot_errors(client, consignment, **changes) -> str:
    lot = {"product_code": "wheat", "net_weight": "10", "gross_weight": "11",
           "weight_unit": "t", "packages_number": "1", "packages_kind": "bulk", **changes}
    response = post(client, f"/exporter/consignments/{consignment.id}/lots", lot)
    assert response.status_code == 422
    match = re.search(r'<p class="error" id="net_weight-error">(.*?)</p>',
                      response.get_data(as_text=True), re.S)
    return match.group(1).strip()


def test_letters_for_a_weight_give_one_message_and_a_range_in_the_readers_digits(ctx, client):
    """"abc" is not a number: that alone is said, not a range besides. A weight over the
    bound names the bound as the reader writes numbers."""
    exporter, _i, _r, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    exporter.locale = "kk"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    lots = len(db.session.scalars(select(ConsignmentLot)).all())
    letters = _lot_errors(client, consignment, net_weight="abc")
    assert "100000000" not in letters and "100\xa0000\xa0000" not in letters
    assert letters.count(".") == 1
    too_heavy = _lot_errors(client, consignment, net_weight="100000001")
    assert "100\xa0000\xa0000" in too_heavy and "100000000" not in too_heavy
    assert len(db.session.scalars(select(ConsignmentLot)).all()) == lots


def test_a_negative_weight_and_a_zero_weight_are_refused_with_one_message(ctx, client):
    """-5 said "Введите число от 0 до 100 000 000" (from 0), then 0 "Введите вес больше
    нуля" (above zero): the two contradicted each other."""
    exporter, _i, _r, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    assert post(client, "/language", {"locale": "ru"}).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    negative = _lot_errors(client, consignment, net_weight="-5")
    assert negative == _lot_errors(client, consignment, net_weight="0") == html.escape(
        "Введите вес больше нуля.")
    assert "от 0" not in negative


def test_a_questionnaire_bound_and_a_date_window_are_written_in_the_readers_way(ctx, client):
    """Kazakh read "1,000,000,000-ден кіші" (English separators) and "1991-01-01"."""
    application = _draft(client)
    assert post(client, "/language", {"locale": "kk"}).status_code == 302
    g.pop("_flask_babel", None)
    page = post(client, f"/exporter/applications/{application.id}/edit", _questionnaire(
        application, storage_capacity="1 000 000 000 000 000")).get_data(as_text=True)
    error = re.search(r'id="storage_capacity-error">(.*?)</p>', page, re.S).group(1)
    assert "100,000,000" not in error and "100\xa0000\xa0000" in error  # the field's own
    page = post(client, f"/exporter/applications/{application.id}/edit", _questionnaire(
        application, last_inspection_date="1990-12-31")).get_data(as_text=True)
    error = re.search(r'id="last_inspection_date-error">(.*?)</p>', page, re.S).group(1)
    assert "1991-01-01" not in error and "1991\u202fж. 01 қаң." in error


def test_a_last_official_inspection_in_the_future_is_refused(ctx, client):
    application = _draft(client)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = post(client, f"/exporter/applications/{application.id}/edit",
                    _questionnaire(application, last_inspection_date=tomorrow))
    assert response.status_code == 422
    assert "The last official inspection is a past date" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).last_inspection_date is None
