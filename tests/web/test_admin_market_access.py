"""Administrators edit a product's protocol with China: the gate applies it at once, the edit
is audited and survives a reload of the reference data; bad input keeps what was typed."""

from datetime import date

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, MarketAccess, Product
from certtrack.models.base import utcnow
from certtrack.services import market_access
from certtrack.services.errors import ValidationFailed
from certtrack.services.reference import load_reference

from factories import make_user
from forms import login, post

FORM = {"protocol_status": "none", "protocol_name": "", "protocol_date": "",
        "accepted_regions": "", "source": "GACC notice 2026 No. 12 (suspension)",
        "confidence": "V"}


def _admin(app, client):
    with app.app_context():
        make_user("admin", email="admin@example.kz")
    login(client, "admin@example.kz")


def test_setting_no_protocol_refuses_the_product_and_survives_a_reload(app, client):
    _admin(app, client)
    answer = post(client, "/admin/market-access/wheat", FORM, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Saved. The gate applies it from the next application or consignment." in page
    with app.test_request_context():
        wheat = db.session.get(Product, "wheat")
        assert market_access.refusal(wheat) is not None
        load_reference()
        db.session.commit()
        row = db.session.get(MarketAccess, ("wheat", "CN"))
        assert (row.protocol_status, row.source) == ("none", FORM["source"])
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "market_access_updated")).one()
        assert event.data["after"]["protocol_status"] == "none"
        assert event.data["before"]["protocol_status"] != "none"


def test_unknown_regions_and_a_missing_protocol_name_are_refused_with_what_was_typed(app,
                                                                                   client):
    _admin(app, client)
    with app.app_context():
        before = db.session.get(MarketAccess, ("beef_frozen", "CN")).accepted_regions
    answer = post(client, "/admin/market-access/beef_frozen", {
        **FORM, "protocol_status": "in_force", "accepted_regions": "KZ-11 KZ-99"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Unknown region codes: KZ-99." in page
    assert "Name the protocol" in page
    assert 'value="KZ-11 KZ-99"' in page
    with app.app_context():
        assert db.session.get(MarketAccess, ("beef_frozen", "CN")).accepted_regions == before


def test_a_protocol_signed_on_a_future_day_is_refused_beside_its_date(app, client):
    """2030-01-01 was saved as the day a protocol in force was signed."""
    _admin(app, client)
    with app.app_context():
        before = db.session.get(MarketAccess, ("beef_chilled", "CN")).protocol_date
    answer = post(client, "/admin/market-access/beef_chilled", {
        **FORM, "protocol_status": "in_force", "protocol_name": "Protocol on chilled beef",
        "protocol_date": "2030-01-01", "protocol_date_precision": "day"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert ('id="protocol_date-error">A protocol is signed before it applies: enter the day it '
            "was signed, not a future one.") in page
    with app.app_context():
        assert db.session.get(MarketAccess, ("beef_chilled", "CN")).protocol_date == before


def test_the_service_refuses_a_future_signing_day_too(app):
    with app.test_request_context():
        admin = make_user("admin", email="admin@example.kz")
        row = db.session.get(MarketAccess, ("beef_chilled", "CN"))
        data = market_access.MarketAccessInput.from_mapping({
            **FORM, "protocol_status": "in_force", "protocol_name": "Protocol on chilled beef",
            "protocol_date": date(2030, 1, 1), "protocol_date_precision": "day",
            "version": str(row.version)})
        with pytest.raises(ValidationFailed) as refused:
            market_access.update_market_access(admin, row, data)
        assert list(refused.value.errors) == ["protocol_date"]


def test_the_list_shows_every_product_with_its_status(app, client):
    _admin(app, client)
    page = client.get("/admin/market-access/").get_data(as_text=True)
    with app.app_context():
        count = len(db.session.scalars(select(MarketAccess)).all())
    assert page.count('id="product-') == count > 0
    assert "Protocol in force" in page


def test_the_protocols_names_in_other_languages_are_saved_and_shown_in_that_language(app,
                                                                                   client):
    _admin(app, client)
    post(client, "/admin/market-access/wheat", {
        **FORM, "protocol_status": "in_force", "protocol_name": "Protocol of 2026 on wheat",
        "protocol_name_kk": "Бидай туралы 2026 жылғы хаттама", "protocol_name_zh": ""})
    with app.app_context():
        row = db.session.get(MarketAccess, ("wheat", "CN"))
        assert (row.protocol_name, row.protocol_name_kk, row.protocol_name_zh) == (
            "Protocol of 2026 on wheat", "Бидай туралы 2026 жылғы хаттама", "")
    post(client, "/language", {"locale": "kk"})
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "Бидай туралы 2026 жылғы хаттама" in page
    post(client, "/language", {"locale": "zh"})
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "Protocol of 2026 on wheat" in page  # no Chinese name: the English one
    assert "关于哈萨克斯坦大麦输华植物检疫要求的议定书" in page  # barley, from the file


def test_the_sources_read_in_the_page_language_and_an_edited_one_as_written(app, client):
    _admin(app, client)
    post(client, "/admin/market-access/wheat", {**FORM, "protocol_status": "in_force",
                                                "protocol_name": "Protocol of 2015 on wheat"})
    post(client, "/language", {"locale": "kk"})
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "Келіссөздер жүріп жатыр (АШМ баспасөз хабарламалары)" in page
    assert "Under negotiation (MoA press releases)" not in page
    assert FORM["source"] in page  # wheat's, as the administrator wrote it
    post(client, "/language", {"locale": "zh"})
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "正在谈判中（农业部新闻稿）" in page


def test_an_edited_row_of_an_older_database_gets_the_files_names_and_keeps_its_edit(app):
    with app.app_context():
        edited = db.session.get(MarketAccess, ("barley", "CN"))
        renamed = db.session.get(MarketAccess, ("maize", "CN"))
        for row in (edited, renamed):
            row.protocol_name_ru = row.protocol_name_kk = row.protocol_name_zh = ""
            row.source, row.edited_at = "as edited", utcnow()
        renamed.protocol_name = "An administrator's title"
        db.session.commit()
        load_reference()
        db.session.commit()
        assert (edited.source, edited.protocol_name_zh) == (
            "as edited", "关于哈萨克斯坦大麦输华植物检疫要求的议定书")
        assert (renamed.protocol_name, renamed.protocol_name_zh) == (
            "An administrator's title", "")


def _row_of(page: str, product: str) -> str:
    start = page.index(f'id="product-{product}"')
    return page[start:page.index("</tr>", start)]


def test_a_protocol_date_known_only_to_its_year_or_month_prints_as_that(app, client):
    _admin(app, client)
    page = client.get("/admin/market-access/").get_data(as_text=True)
    flour = _row_of(page, "wheat_flour")  # the file: "2019", the day and month not verified
    assert "(2019)" in flour and "Jan" not in flour
    assert "(September 2015)" in _row_of(page, "wheat")  # the file: "2015-09"
    post(client, "/language", {"locale": "zh"})
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "（2019年）" in _row_of(page, "wheat_flour")
    assert "（2015年9月）" in _row_of(page, "wheat")
    post(client, "/language", {"locale": "ru"})
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "(сентябрь 2015\u202fг.)" in _row_of(page, "wheat")


def test_the_administrator_says_how_much_of_the_date_is_known(app, client):
    _admin(app, client)
    form = {**FORM, "protocol_status": "in_force", "protocol_name": "Protocol on linseed",
            "protocol_date": "2021-06-15"}
    answer = post(client, "/admin/market-access/linseed",
                  {**form, "protocol_date_precision": "month"})
    assert answer.status_code == 302
    with app.app_context():
        row = db.session.get(MarketAccess, ("linseed", "CN"))
        assert (row.protocol_date.isoformat(), row.protocol_date_precision) == (
            "2021-06-01", "month")
    page = client.get("/admin/market-access/").get_data(as_text=True)
    assert "(June 2021)" in _row_of(page, "linseed")
    edit = client.get("/admin/market-access/linseed").get_data(as_text=True)
    assert '<option selected value="month">' in edit

    answer = post(client, "/admin/market-access/linseed",
                  {**form, "protocol_date_precision": "week"})
    assert answer.status_code == 422
    assert "Not a valid choice" in answer.get_data(as_text=True)
    answer = post(client, "/admin/market-access/linseed",
                  {**form, "protocol_date_precision": "day"})
    with app.app_context():
        row = db.session.get(MarketAccess, ("linseed", "CN"))
        assert (row.protocol_date.isoformat(), row.protocol_date_precision) == (
            "2021-06-15", "day")
    assert "(Jun 15, 2021)" in _row_of(client.get("/admin/market-access/").get_data(
        as_text=True), "linseed")
