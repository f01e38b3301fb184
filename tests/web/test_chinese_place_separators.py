"""In Chinese an establishment and its region are joined by "，" ("科克舍套粮仓，阿克莫拉州"), not
by an ASCII ", " that reads as a typing slip, on every list and page naming them together."""

from datetime import timedelta

from flask import g

from certtrack.extensions import db
from certtrack.services.applications import local_today

from factories import make_registration, make_submitted_application, make_user
from forms import login, post


def _in_chinese(client, user) -> None:
    login(client, user.email)
    user.locale = "zh"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests


def _joined(page: str) -> bool:
    return "Kokshetau elevator，阿克莫拉州" in page and "Kokshetau elevator, " not in page


def test_the_staff_lists_join_an_establishment_and_its_region_with_a_chinese_comma(ctx, client):
    registrar = make_user("registrar")
    exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30))
    make_submitted_application(exporter)
    _in_chinese(client, registrar)
    for path in ("/registrar/", "/registrar/registrations",
                 f"/registrar/registrations/{registration.id}"):
        assert _joined(client.get(path).get_data(as_text=True)), path
    client.post("/logout")
    inspector = make_user("inspector", regions=["KZ-11"])
    _in_chinese(client, inspector)
    assert _joined(client.get("/inspector/").get_data(as_text=True))


def test_the_exporter_registrations_join_them_with_a_chinese_comma(ctx, client):
    exporter, _application, _registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=30))
    _in_chinese(client, exporter)
    assert _joined(client.get("/exporter/registrations").get_data(as_text=True))


def test_chinese_pages_write_a_remark_in_chinese_brackets(ctx, client):
    """It read "Kokshetau elevator (粮食仓储库), 阿克莫拉州": ASCII brackets and comma inside
    Chinese text."""
    exporter, application, _registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=30))
    _in_chinese(client, exporter)
    page = client.get(f"/exporter/applications/{application.id}").get_data(as_text=True)
    assert "Kokshetau elevator（粮食仓储库），阿克莫拉州" in page
    listed = client.get("/exporter/").get_data(as_text=True)
    assert "已在华注册（1）" in listed and "已在华注册 (1)" not in listed  # the state filter


def test_the_register_tabs_and_region_choices_put_their_remark_in_chinese_brackets(ctx, client):
    """"有效 (1)" on the register's tab, "阿克莫拉州 (KZ-11)" in the list of regions."""
    exporter, _application, _registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=30))
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    g.pop("_flask_babel", None)
    register = client.get("/register").get_data(as_text=True)
    assert "有效（1）" in register and "有效 (1)" not in register
    _in_chinese(client, exporter)
    form = client.get("/exporter/establishments/new").get_data(as_text=True)
    assert "阿克莫拉州（KZ-11）" in form and "阿克莫拉州 (KZ-11)" not in form
