"""Chinese pages join translated pieces with Chinese punctuation: "，" and "：", never the
", " and ": " written between them in the templates."""

from datetime import date, timedelta

from flask import g

from certtrack.domain.calendar import add_years
from certtrack.extensions import db
from certtrack.models import Region
from certtrack.services import registrations
from certtrack.services.applications import local_today

from factories import make_registration, make_user, move_to_state
from forms import login


def _in_chinese(user) -> None:
    user.locale = "zh"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests


def _flat(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_a_renewal_names_the_registration_it_renews_with_a_chinese_comma(ctx, client):
    registrar = make_user("registrar", "registrar@example.kz")
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(
        registrar, valid_from, category="meat", product="beef_chilled")
    renewal = registrations.start_renewal(exporter, registration)
    move_to_state(renewal, "submitted_to_gacc")
    login(client, registrar.email)
    _in_chinese(registrar)
    page = _flat(client.get(f"/registrar/applications/{renewal.id}"))
    valid_to = registration.valid_to
    assert (f"<code>{registration.china_number}</code>，有效期至"
            f"{valid_to.year}年{valid_to.month}月{valid_to.day}日") in page


def test_a_users_committee_and_regions_are_joined_by_a_chinese_colon(ctx, client):
    admin = make_user("admin", "admin@example.kz")
    make_user("inspector", "inspector@example.kz")  # phytosanitary committee, region KZ-11
    login(client, admin.email)
    _in_chinese(admin)
    page = _flat(client.get("/admin/users"))
    region = db.session.get(Region, "KZ-11").name_in("zh")
    assert f"）：{region}" in page or f"会：{region}" in page
    assert f": {region}" not in page


def test_a_date_in_a_chinese_sentence_has_no_spaces_around_it(ctx, client):
    registrar = make_user("registrar", "registrar@example.kz")
    _exporter, _application, registration = make_registration(registrar, date(2026, 7, 1))
    login(client, registrar.email)
    _in_chinese(registrar)
    page = _flat(client.get(f"/registrar/registrations/{registration.id}"))
    start, end = (f"{day.year}年{day.month}月{day.day}日"
                  for day in (registration.valid_from, registration.valid_to))
    assert f"{start}至{end}" in page and " 至 " not in page


def test_a_registrations_renewal_follows_a_chinese_colon_with_no_space(ctx, client):
    """"延续申请： A-000028": the template wrote a space after the translated colon."""
    registrar = make_user("registrar", "registrar@example.kz")
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(
        registrar, valid_from, category="meat", product="beef_chilled")
    renewal = registrations.start_renewal(exporter, registration)
    login(client, registrar.email)
    _in_chinese(registrar)
    page = _flat(client.get(f"/registrar/registrations/{registration.id}"))
    assert f'延续申请：<a href="/registrar/applications/{renewal.id}">{renewal.reference}' in page
    login(client, exporter.email)
    _in_chinese(exporter)
    page = _flat(client.get("/exporter/registrations"))
    assert f'延续申请：<a href="/exporter/applications/{renewal.id}">{renewal.reference}' in page
