"""The public register: registrations in force, searched by name in any language, BIN or China
number, filtered by category and region, paginated, exported as CSV, in constant queries."""

import csv
import html
import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import event, select

from certtrack.extensions import db
from certtrack.models import Registration
from certtrack.services import register as register_service
from certtrack.services import status_changes
from certtrack.services.applications import local_today
from certtrack.services.inputs import StatusChangeInput

from factories import make_registration, make_user
from forms import post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

CSV_HEADER = ["Enterprise", "BIN", "Establishment", "Region", "Category",
              "China registration number", "Valid from", "Valid until", "Status",
              "Products (HS)", "For products produced on or after", "Suspended until"]
PRODUCTS_CELL = "0201 Beef, chilled"  # the products of the registration's application


@pytest.fixture
def registrar(ctx):
    return make_user("registrar")


def _listed(registrar, **options):
    """A registration listed a month ago, and its enterprise."""
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30), **options)
    return registration


def _rename(registration, **names) -> None:
    for key, value in names.items():
        setattr(registration.enterprise, key, value)
    db.session.commit()


@pytest.fixture
def register(registrar):
    """Three registrations in force (one suspended) and two that are not."""
    grain = _listed(registrar)
    _rename(grain, name_en="Steppe Grain LLP", name_kk="Дала Астығы ЖШС", name_zh="草原粮食")
    meat = _listed(registrar, category="meat", product="beef_chilled", region="KZ-39")
    _rename(meat, name_en="Kostanay Meat JSC", name_ru="АО Костанай Мясо")
    suspended = _listed(registrar, region="KZ-39")
    status_changes.change_status(registrar, suspended, "suspend", StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "Site audit",
        "suspended_until": local_today() + timedelta(days=40)}))
    revoked = _listed(registrar)
    status_changes.change_status(registrar, revoked, "revoke",
                                StatusChangeInput.from_mapping(
                                    {"reference": "GACC 1", "reason": "Fraud found"}))
    lapsed = _listed(registrar)
    lapsed.valid_to = local_today() - timedelta(days=1)
    db.session.commit()
    return {"grain": grain, "meat": meat, "suspended": suspended, "revoked": revoked,
            "lapsed": lapsed}


def _numbers(client, **query) -> set[str]:
    response = client.get("/register", query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return {number for number in _all_numbers() if number in page}


def _all_numbers() -> list[str]:
    return list(db.session.scalars(select(Registration.china_number)))


def test_registrations_in_force_and_suspended_ones_are_on_two_tabs(client, register):
    assert _numbers(client) == {register[k].china_number for k in ("grain", "meat")}
    page = client.get("/register").get_data(as_text=True)
    assert '<span class="tab current" aria-current="page">In force (2)</span>' in page
    suspended = re.search(r'<a class="tab" href="([^"]+)">Suspended \(1\)</a>', page)
    page = client.get(html.unescape(suspended.group(1))).get_data(as_text=True)
    assert {n for n in _all_numbers() if n in page} == {register["suspended"].china_number}
    # the tab said "whose registration is in force today", and not until when
    assert "whose registration is suspended today" in page
    until = local_today() + timedelta(days=40)
    assert (f'<span class="muted suspended-until">until {until:%b} {until.day}, '
            f'{until.year}</span>') in page
    rows = _csv_rows(client.get("/register.csv", query_string={
        "q": register["suspended"].china_number}))
    assert (rows[1][8], rows[1][10:]) == ("Suspended", ["", until.isoformat()])
    assert "These registrations are suspended, by China’s customs (GACC), by the Kazakh " \
        "authority or at the enterprise’s own request" in html.unescape(page)


def test_a_resumed_registrations_row_says_which_products_it_covers(client, register):
    """Resumed for products produced from a day on, the register showed it in force, no more."""
    registrar = make_user("registrar", "resuming@example.kz")
    resumed = register["suspended"]
    status_changes.change_status(registrar, resumed, "resume", StatusChangeInput.from_mapping({
        "products_produced_from": local_today()}))
    page = client.get("/register", query_string={"q": resumed.china_number}).get_data(
        as_text=True)
    today = local_today()
    row = re.search(rf"<tr>(?:(?!</tr>).)*{resumed.china_number}.*?</tr>", page, re.S).group(0)
    assert (f"for products produced on or after {today:%b} {today.day}, {today.year}<"
            in row)
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    russian = client.get("/register", query_string={"q": resumed.china_number},
                         headers={"Accept-Language": "ru"})
    assert "для продукции, произведённой начиная с" in russian.get_data(as_text=True)
    others = client.get("/register", query_string={"q": register["grain"].china_number})
    assert "produced on or after" not in others.get_data(as_text=True)
    rows = _csv_rows(client.get("/register.csv", query_string={"q": resumed.china_number}))
    assert rows[1][5] == resumed.china_number and rows[1][10] == today.isoformat()


PRODUCT_SEARCHES = [
    ("1001", {"grain"}), ("10.01", {"grain"}), ("wheat", {"grain"}), ("ПШЕНИЦА", {"grain"}),
    ("бидай", {"grain"}), ("小麦", {"grain"}), ("0201", {"meat"}), ("beef", {"meat"}),
    ("02", {"meat"}), ("honey", set()),
]


def test_the_register_finds_products_by_name_in_any_language_and_hs_code(client, register):
    """Each product typed in turn on one register, in force and suspended."""
    found = {product: (_numbers(client, product=product),
                       _numbers(client, product=product, status="suspended"))
             for product, _expected in PRODUCT_SEARCHES}
    assert found == {product: ({register[k].china_number for k in expected},
                               {register["suspended"].china_number} if "grain" in expected
                               else set())
                     for product, expected in PRODUCT_SEARCHES}


@pytest.mark.parametrize("product", ["мёд", "мед", "МЕД", "Мед натуральный"])
def test_the_product_filter_reads_yo_as_ye(client, register, registrar, product):
    """"мёд" found both honey registrations, "мед" (as Russian is usually typed) none."""
    honey = {_listed(registrar, category="bee_products", product="honey").china_number
             for _ in range(2)}
    assert _numbers(client, product=product) == honey


def test_the_register_names_each_registrations_products_with_their_hs_code(client, register):
    page = client.get("/register", query_string={"category": "meat"}).get_data(as_text=True)
    assert re.search(r"Beef[^<]*<span class=\"muted\"> \(HS 0201", page)


@pytest.mark.parametrize(("language", "code"), [("ru", "ТН ВЭД"), ("kk", "СЭҚ ТН")])
def test_the_product_code_is_named_as_the_visitor_knows_it(client, register, language, code):
    """Kazakhstan's customs call the HS code ТН ВЭД (СЭҚ ТН): the filter said so, the rows
    said "HS"."""
    assert post(client, "/language", {"locale": language}).status_code == 302
    g.pop("_flask_babel", None)  # the test's app context outlives the request: its locale too
    page = client.get("/register", query_string={"category": "meat"}).get_data(as_text=True)
    assert f"({code} 0201)" in page and "(HS " not in page


FILTERS = [
    ({"q": "steppe grain"}, {"grain"}),
    ({"q": "Дала Астығы"}, {"grain"}),
    ({"q": "草原"}, {"grain"}),
    ({"q": "АО Костанай"}, {"meat"}),
    ({"category": "meat"}, {"meat"}),
    ({"region": "KZ-39"}, {"meat"}),
    ({"region": "KZ-39", "status": "suspended"}, {"suspended"}),
    ({"region": "KZ-39", "category": "edible_grains"}, set()),
    ({"q": "nothing like this"}, set()),
]


def test_search_and_filters(client, register):
    """Each search and filter in turn on one register."""
    found = [_numbers(client, **query) for query, _expected in FILTERS]
    assert found == [{register[k].china_number for k in expected}
                     for _query, expected in FILTERS]


def test_search_by_bin_and_china_number(client, register):
    grain = register["grain"]
    assert _numbers(client, q=grain.enterprise.bin) == {grain.china_number}
    assert _numbers(client, q=grain.china_number.lower()) == {grain.china_number}


def test_pages(app, client, register):
    app.config["PER_PAGE"] = 1
    first = client.get("/register").get_data(as_text=True)
    second = client.get("/register", query_string={"page": 2}).get_data(as_text=True)
    in_force = [register[k].china_number for k in ("grain", "meat")]
    on_first = [n for n in in_force if n in first]
    on_second = [n for n in in_force if n in second]
    assert len(on_first) == 1 and len(on_second) == 1
    assert set(on_first) | set(on_second) == set(in_force)
    assert "2 in all" in first


def _numbers_in_order(client, **query) -> list[str]:
    page = client.get("/register", query_string=query).get_data(as_text=True)
    return sorted((n for n in _all_numbers() if n in page), key=page.index)


@pytest.mark.parametrize(("query", "rows"), [({}, 3), ({"q": "LLP"}, 3), ({"q": "Meat"}, 1),
                                             ({"region": "KZ-39"}, 2),
                                             ({"category": "edible_grains"}, 2),
                                             ({"status": "suspended"}, 1)])
def test_pages_follow_the_enterprise_name_then_the_china_number(app, client, register,
                                                                 registrar, monkeypatch,
                                                                 query, rows):
    """Whatever way SQLite takes to the rows (the one the counts choose, a walk of the names,
    or the filters' indexes and a sort), the pages list them by enterprise name, then China
    number, with no row twice."""
    namesake = _listed(registrar, region="KZ-39")  # same name: ordered by its China number
    _rename(namesake, name_en=register["grain"].enterprise.name_en)
    _rename(register["suspended"], name_en="Aral Fish LLP")
    _rename(register["meat"], name_en="Zhetysu Meat LLP")
    app.config["PER_PAGE"] = 2
    chosen = register_service._walks_names
    for way in ("chosen", "walk", "sort"):  # each on the same rows
        monkeypatch.setattr(register_service, "_walks_names", chosen if way == "chosen"
                            else lambda *counts, walk=way == "walk": walk)
        listed = [n for number in (1, 2, 3)
                  for n in _numbers_in_order(client, page=number, **query)]
        in_force = db.session.scalars(select(Registration).where(
            Registration.china_number.in_(listed))).all()
        expected = sorted(in_force, key=lambda r: (r.enterprise.name_en, r.china_number))
        assert (way, listed) == (way, [r.china_number for r in expected])
        assert (way, len(listed)) == (way, rows)


@pytest.mark.parametrize(("matches", "rows_to_page_end", "walks"), [
    (28_965, 20, True),     # the whole register: its first page is at the start of the names
    (2_907, 20, True),      # "Grain": one registration in 19 matches; 20 are near the start
    (2_907, 220, False),    # ...but page 11 is 4,000 rows in: sorting 2,907 is shorter
    (28, 20, False),        # a BIN's digits: sort the few matches
    (0, 20, False),
])
def test_sqlite_walks_the_names_when_it_reaches_the_page_sooner(matches, rows_to_page_end,
                                                                 walks):
    """Figures from `make bench`'s national register: 55,099 registrations, 28,965 in force."""
    assert register_service._walks_names(matches, 55_099, rows_to_page_end) is walks
    assert register_service._walks_names(matches, None, rows_to_page_end) is False


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_has_the_same_rows_as_the_filters(client, register):
    rows = _csv_rows(client.get("/register.csv", query_string={"region": "KZ-39"}))
    assert rows[0] == CSV_HEADER
    by_number = {row[5]: row for row in rows[1:]}
    assert set(by_number) == {register["meat"].china_number, register["suspended"].china_number}
    meat = register["meat"]
    assert by_number[meat.china_number] == [
        "Kostanay Meat JSC", meat.enterprise.bin, meat.establishment.name, "Kostanay Region",
        "Meat and meat products", meat.china_number, meat.valid_from.isoformat(),
        meat.valid_to.isoformat(), "Active", PRODUCTS_CELL, "", ""]
    assert by_number[register["suspended"].china_number][8] == "Suspended"


@pytest.mark.parametrize(("language", "first", "status"), [
    ("kk", "Кәсіпорын", "Күшінде"), ("zh", "企业", "有效")])
def test_the_csv_reads_in_the_visitors_language_from_its_first_line(
        client, register, language, first, status):
    assert post(client, "/language", {"locale": language}).status_code == 302
    g.pop("_flask_babel", None)  # the test's app context outlives the request: its locale too
    rows = _csv_rows(client.get("/register.csv", query_string={"region": "KZ-39"}))
    assert rows[0][0] == first and "enterprise" not in rows[0] and "bin" not in rows[0]
    assert len(rows[0]) == len(CSV_HEADER) and rows[1][8] == status


def test_csv_cells_never_run_as_formulas(client, register):
    _rename(register["grain"], name_en="=HYPERLINK(\"http://evil\")")
    rows = _csv_rows(client.get("/register.csv", query_string={"q": "HYPERLINK"}))
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")"


@contextmanager
def _counting():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries(client, url: str) -> int:
    with _counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_query_count_does_not_grow_with_the_rows(client, registrar):
    for _ in range(3):
        _listed(registrar)
    few = {url: _queries(client, url) for url in ("/register", "/register.csv")}
    for _ in range(20):
        _listed(registrar, region="KZ-39")
    many = {url: _queries(client, url) for url in ("/register", "/register.csv")}
    assert many == few
    assert "23 in all" in client.get("/register").get_data(as_text=True)
    assert len(_csv_rows(client.get("/register.csv"))) == 24


NAME_SEARCHES = [
    ("STEPPE gRAIN", {"grain"}),  # any case
    ("костанай мяс", {"meat"}),  # part of the Russian name, lower case
    ("ДАЛА АСТЫҒ", {"grain"}),  # Kazakh letters, upper case
    ("原粮食", {"grain"}),  # part of the Chinese name
    ("Meat JSC", {"meat"}),
    ("Steppe Meat", set()),  # words of two names are not one name
    ("grain steppe", {"grain"}),  # each word, in any order
    ("草原 粮食", {"grain"}),  # words apart that the name writes together (草原粮食)
]


def test_search_finds_a_part_of_a_name_in_any_language_and_case(client, register):
    """Each search in turn on one register (building one per search was most of the time)."""
    found = {text: _numbers(client, q=text) for text, _expected in NAME_SEARCHES}
    assert found == {text: {register[k].china_number for k in expected}
                     for text, expected in NAME_SEARCHES}


def test_search_finds_a_part_of_a_bin_or_a_china_number(client, register):
    grain, meat = register["grain"], register["meat"]
    grain.enterprise.bin = "990440001234"
    meat.enterprise.bin = "990440005678"
    grain.china_number = "CKAZGR000000070007"
    db.session.commit()
    assert _numbers(client, q="0440001") == {grain.china_number}
    assert _numbers(client, q="044000") == {grain.china_number, meat.china_number}
    assert _numbers(client, q="zgr0000000700") == {grain.china_number}


def test_search_lists_suspended_but_never_revoked_or_lapsed_registrations(client, register):
    for key in ("suspended", "revoked", "lapsed"):
        _rename(register[key], name_en=f"Aral Flour {key}")
    assert _numbers(client, q="aral flour", status="suspended") == {
        register["suspended"].china_number}
    for key in ("suspended", "revoked", "lapsed"):  # the page repeats the text searched for
        expected = {register[key].china_number} if key == "suspended" else set()
        assert _numbers(client, q=register[key].china_number[1:], status="suspended") == \
            expected


def test_search_follows_a_renamed_enterprise(client, register):
    grain = register["grain"]
    assert _numbers(client, q="Steppe") == {grain.china_number}
    _rename(grain, name_en="Tobyl Harvest LLP", name_ru="ТОО Тобыл Урожай")
    assert _numbers(client, q="Steppe") == set()
    assert _numbers(client, q="tobyl harv") == {grain.china_number}
    assert _numbers(client, q="урожай") == {grain.china_number}


def test_search_takes_wildcards_and_quotes_literally(client, register):
    _rename(register["meat"], name_en='Meat "100%" Kostanay')
    assert _numbers(client, q="100%") == {register["meat"].china_number}
    assert _numbers(client, q='"100%"') == {register["meat"].china_number}
    assert _numbers(client, q="%%") == set()
    assert _numbers(client, q="S_eppe") == set()


def test_search_of_three_characters_or_more_reads_the_index(app, client, register):
    """SQLite: the FTS5 trigram tables, kept in sync by triggers; PostgreSQL: ILIKE, which
    its trigram indexes serve."""
    with _counting() as statements:
        assert _numbers(client, q="Steppe") == {register["grain"].china_number}
    searched = " ".join(statements)
    if db.engine.dialect.name == "sqlite":
        assert "enterprise_search MATCH" in searched
        assert "registration_search MATCH" in searched
    else:
        assert "ILIKE" in searched.upper()
    with _counting() as statements:  # too short for a trigram: scanned
        assert _numbers(client, q="草原") == {register["grain"].china_number}
    assert "MATCH" not in " ".join(statements)


@pytest.mark.parametrize("bound", [500, 0])
def test_a_text_in_one_name_and_another_china_number_finds_both_once(client, register,
                                                                     monkeypatch, bound):
    """The name's registrations and the number's, each counted once in the tabs even when one
    registration matches both ways; on PostgreSQL with the matched numbers bound as ids, and
    selected in the statement when there are more than MATCHED_NUMBERS_BOUND."""
    from certtrack.services import register as register_service

    monkeypatch.setattr(register_service, "MATCHED_NUMBERS_BOUND", bound)
    grain, meat = register["grain"], register["meat"]
    grain.china_number = "CKAZGR000000071234"
    meat.china_number = "CKAZME000000079999"
    grain.enterprise.name_en = "Steppe Grain 7999 LLP"  # its name and meat's number
    db.session.commit()
    page = client.get("/register", query_string={"q": "7999"}).get_data(as_text=True)
    assert {n for n in _all_numbers() if n in page} == {grain.china_number, meat.china_number}
    assert "2 in all" in page
    grain.china_number = "CKAZGR000000077999"  # now by its name and its number
    db.session.commit()
    page = client.get("/register", query_string={"q": "7999"}).get_data(as_text=True)
    assert {n for n in _all_numbers() if n in page} == {grain.china_number, meat.china_number}
    assert "2 in all" in page


def test_a_link_naming_no_such_category_says_so_and_shows_the_register(client, register):
    """/register?category=zzz answered "no enterprises found", as if the register were empty."""
    for query in ({"category": "zzz"}, {"region": "KZ-00"}):
        response = client.get("/register", query_string=query)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'id="unknown-filter"' in page
        assert {n for n in _all_numbers() if n in page} == {
            register[k].china_number for k in ("grain", "meat")}
    assert 'id="unknown-filter"' not in client.get(
        "/register", query_string={"category": "edible_grains"}).get_data(as_text=True)
