"""Guidance for a first-time exporter: the product finder that names the GACC category, and the
submit checklist whose items lead to where each is fixed."""

import html
import re

import pytest
from flask import g
from sqlalchemy import update
from test_query_counts_pages import _queries

from certtrack.extensions import db
from certtrack.models import Application, Document
from certtrack.services import catalogue

from factories import make_exporter_with_application
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

NEW = "/exporter/applications/new"
TAGS = re.compile(r"<[^>]+>")


def _signed_in(client, complete=True):
    user, _enterprise, _establishment, application = make_exporter_with_application(
        complete=complete)
    login(client, user.email)
    return user, application


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", fragment)).split())


def _results(page: str) -> list[dict]:
    """The finder's rows: HS code, product, category, market access and the choice's link."""
    table = re.search(r'<table[^>]*id="finder-results".*?<tbody>(.*?)</tbody>', page, re.S)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1) if table else "", re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        link = re.search(r'href="([^"]+)"', cells[4])
        rows.append({"hs": _text(cells[0]), "product": _text(cells[1]),
                     "category": _text(cells[2]), "access": _text(cells[3]),
                     "link": html.unescape(link.group(1))})
    return rows


def _find(client, text: str) -> str:
    response = client.get(NEW, query_string={"find": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _speak(user, language: str) -> None:
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)


def _selected(page: str, select_id: str) -> list[str]:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                      match.group(1)) if match else []


def _selected_value(page: str, select_id: str) -> str | None:
    found = [a or b for a, b in _selected(page, select_id)]
    return found[0] if found else None


# The product finder -----------------------------------------------------------------------------


def test_wheat_is_found_by_name_and_hs_code_in_edible_grains(ctx, client):
    _signed_in(client)
    for text in ("wheat", "1001", " WHEAT "):
        rows = _results(_find(client, text))
        wheat = next(row for row in rows if row["hs"] == "1001")
        assert wheat["product"] == "Wheat"
        assert wheat["category"] == "Edible grains"
        assert wheat["access"] == "Protocol in force"
        assert "category=edible_grains" in wheat["link"]


def test_the_finder_explains_that_the_category_comes_first(ctx, client):
    _signed_in(client)
    text = _text(client.get(NEW).get_data(as_text=True))
    assert "Find your product by name or HS code" in text
    assert "Choose the GACC category first" in text
    assert "One application covers one establishment and one GACC category" in text


def test_choosing_a_found_product_preselects_its_category(ctx, client):
    _signed_in(client)
    link = next(row["link"] for row in _results(_find(client, "1001")) if row["hs"] == "1001")
    page = client.get(link).get_data(as_text=True)
    assert _selected_value(page, "gacc_category_code") == "edible_grains"
    assert next(row for row in _results(page) if row["hs"] == "1001")  # the search is kept
    assert _selected_value(client.get(NEW).get_data(as_text=True), "gacc_category_code") is None
    unknown = client.get(NEW, query_string={"category": "nonsense"})
    assert unknown.status_code == 200
    assert _selected_value(unknown.get_data(as_text=True), "gacc_category_code") is None


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("БИДАЙ", "kk", {("1001", "Бидай", "Тағамдық астық"),
                     ("1101", "Бидай ұны",
                      "Ұн тарту өнеркәсібінің өнімдері және уыт")}),
    ("小麦", "zh", {("1001", "小麦", "食用谷物")}),
    ("пшеница", "ru", {("1001", "Пшеница", "Продовольственное зерно")}),
])
def test_products_are_found_by_a_name_in_any_language_whatever_the_case(ctx, client, text,
                                                                        language, expected):
    user, _a = _signed_in(client)
    _speak(user, language)
    found = {(row["hs"], row["product"], row["category"]) for row in _results(_find(client, text))}
    assert expected <= found
    assert all(row[0][:2] in ("10", "11", "23") for row in found)


def test_an_hs_prefix_finds_every_product_under_it_and_only_those(ctx, client):
    _signed_in(client)
    rows = _results(_find(client, "10"))
    assert [row["hs"] for row in rows] == ["1001", "1003", "1005"]
    assert {row["category"] for row in rows} == {"Edible grains"}
    assert [row["hs"] for row in _results(_find(client, "0713.10"))] == ["071310"]


def test_a_product_without_a_protocol_says_china_does_not_accept_it(ctx, client):
    _signed_in(client)
    rows = {row["hs"]: row for row in _results(_find(client, "seed"))}
    assert rows["1205"]["access"] == "No protocol with China: China does not accept it yet."
    assert rows["1206"]["access"].startswith("Trial arrangement only")
    assert rows["1204"]["access"] == "Protocol in force"


@pytest.mark.parametrize("text", ["", "   ", "%", "' OR 1=1 --", "zzzz"])
def test_an_empty_or_unknown_search_shows_the_form_without_results(ctx, client, text):
    _signed_in(client)
    page = _find(client, text)
    assert _results(page) == []
    assert 'id="find"' in page
    if text.strip():
        assert "No product of the catalogue matches" in html.unescape(page)


def test_an_oversized_search_is_refused_with_a_message(ctx, client):
    _signed_in(client)
    page = _find(client, "1001" * 500)
    assert _results(page) == []
    assert f"Type at most {catalogue.MAX_QUERY_LENGTH} characters" in page


def test_results_are_bounded(ctx, client):
    _signed_in(client)
    page = _find(client, "e")  # a letter of most English names
    assert len(_results(page)) == catalogue.MAX_MATCHES
    assert f"Only the first {catalogue.MAX_MATCHES} products are shown" in page


def test_the_finder_queries_do_not_grow_with_its_matches(ctx, client):
    _signed_in(client)
    client.get(NEW)  # per-process caches
    one = _queries(client, NEW, query_string={"find": "1001"})
    twenty = _queries(client, NEW, query_string={"find": "e"})
    none = _queries(client, NEW, query_string={"find": "zzzz"})
    assert twenty == one
    assert none <= one


# The submit checklist ---------------------------------------------------------------------------


def _checklist(page: str) -> dict[str, str]:
    """The checklist's items: their words, and where each leads."""
    card = re.search(r'<ul class="missing"[^>]*>(.*?)</ul>', page, re.S)
    return {_text(words): html.unescape(href) for href, words in re.findall(
        r'<li><a href="([^"]+)">(.*?)</a></li>', card.group(1) if card else "")}


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def test_each_missing_item_links_to_where_it_is_fixed(ctx, client):
    _user, application = _signed_in(client, complete=False)
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(staff_count=None))
    db.session.commit()
    url = f"/exporter/applications/{application.id}"
    page = client.get(url).get_data(as_text=True)
    checklist = _checklist(page)
    assert checklist["At least one product with its annual volume."] == "#products"
    assert checklist["Document: HACCP plan or certificate."] == "#required-haccp"
    assert checklist["Questionnaire: Staff."] == f"{url}/edit#staff_count"
    on_page = _ids(page)
    for address in checklist.values():
        if address.startswith("#"):
            assert address[1:] in on_page, address
    assert "staff_count" in _ids(client.get(f"{url}/edit").get_data(as_text=True))


def test_a_rejected_document_is_missing_again_and_its_row_says_so(ctx, client):
    _user, application = _signed_in(client)
    url = f"/exporter/applications/{application.id}"
    assert _checklist(client.get(url).get_data(as_text=True)) == {}
    db.session.execute(update(Document).where(Document.document_type_code == "haccp")
                       .values(review_status="rejected"))
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert _checklist(page) == {"Document: HACCP plan or certificate.": "#required-haccp"}
    row = re.search(r'<li id="required-haccp">(.*?)</li>', page, re.S).group(1)
    assert "rejected: upload a new version" in row


def test_the_upload_link_of_a_missing_document_chooses_its_type(ctx, client):
    _user, application = _signed_in(client, complete=False)
    url = f"/exporter/applications/{application.id}"
    page = client.get(url).get_data(as_text=True)
    row = re.search(r'<li id="required-haccp">(.*?)</li>', page, re.S).group(1)
    link = html.unescape(re.search(r'href="([^"]+)"', row).group(1))
    assert link == f"{url}?document=haccp#document_type"
    upload = client.get(link).get_data(as_text=True)
    assert _selected_value(upload, "document_type") == "haccp"
    assert _selected_value(client.get(f"{url}?document=../etc").get_data(as_text=True),
                           "document_type") != "../etc"
