"""What each row of the lists shows, in the reader's language: the exporter's applications, the
inspector's queue, the registrar's queues and the public register."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale, dates
from flask import g, url_for
from sqlalchemy import update

from certtrack.domain.bounds import MAX_ID
from certtrack.extensions import db
from certtrack.models import Application, GaccCategory, Product, Region
from certtrack.services.applications import local_today
from certtrack.services.local_dates import local_day
from certtrack.services.reference import working_calendar
from certtrack.web.list_views import id_link

from factories import make_registration, make_submitted_application, make_user, move_to_state
from forms import login, post


def _speak(user, language: str) -> None:
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests


def _row(page: str, marker: str) -> str:
    """The table row holding `marker`."""
    found = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(marker)}.*?</tr>", page, re.S)
    assert found, f"no row with {marker}"
    return found.group(0)


def _date(value, language: str) -> str:
    return dates.format_date(value, "medium", locale=Locale.parse(language))


def _age(application: Application) -> int:
    return working_calendar().working_days_between(
        local_day(application.state_changed_at), local_today())


def _set(application: Application, **values) -> None:
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(**values))
    db.session.commit()
    db.session.refresh(application)


def test_an_exporters_row_in_russian(ctx, client):
    exporter, application = make_submitted_application()
    yesterday = local_today() - timedelta(days=1)
    _set(application, state_changed_at=datetime.now(UTC) - timedelta(days=20),
         stage_deadline=yesterday)
    login(client, exporter.email)
    _speak(exporter, "ru")
    row = _row(client.get("/exporter/").get_data(as_text=True), application.reference)
    wheat = db.session.get(Product, "wheat")
    assert f'<a href="/exporter/applications/{application.id}">{application.reference}</a>' in row
    assert db.session.get(GaccCategory, "edible_grains").name_ru in row
    assert f"{wheat.hs_code} {wheat.name_ru}" in row
    assert '<span class="badge badge-submitted">Подана</span>' in row
    days = _age(application)
    assert days >= 10 and f"{days} рабочих дн" in row
    assert f'<span class="overdue">{_date(yesterday, "ru")} — просрочено</span>' in row


def test_an_inspectors_row_names_the_assignee_and_marks_the_overdue(ctx, client):
    inspector = make_user("inspector")
    _exporter, application = make_submitted_application(name="Kostanay Mill LLP")
    _set(application, stage_deadline=local_today() - timedelta(days=2),
         assignee_id=inspector.id)
    login(client, inspector.email)
    _speak(inspector, "kk")
    row = _row(client.get("/inspector/").get_data(as_text=True), application.reference)
    assert row.startswith('<tr class="row-overdue">')
    assert f'href="/inspector/applications/{application.id}"' in row
    assert "Kostanay Mill LLP" in row  # no Kazakh name: the English one
    assert db.session.get(Region, "KZ-11").name_kk in row
    assert inspector.full_name in row
    assert _date(application.stage_deadline, "kk") in row


def test_a_registrars_row_links_its_gacc_batch_in_chinese(ctx, client):
    registrar = make_user("registrar")
    _exporter, application = make_submitted_application(name="Aktobe Oil LLP")
    move_to_state(application, "conclusion_positive")
    login(client, registrar.email)
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": [application.id]})
    post(client, "/registrar/batches", {"confirm": "y", "application_id": [application.id],
                                        "reference": "KZ-GACC-2026-077",
                                        "submitted_on": local_today().isoformat()})
    _speak(registrar, "zh")
    db.session.refresh(application)
    row = _row(client.get("/registrar/").get_data(as_text=True), application.reference)
    batch = f"/registrar/batches/{application.gacc_batch_id}"
    assert f'<a class="ref" href="{batch}">KZ-GACC-2026-077</a>' in row
    assert f'href="/registrar/applications/{application.id}"' in row
    assert application.enterprise.bin in row
    assert db.session.get(GaccCategory, "edible_grains").name_zh in row
    assert db.session.get(Region, "KZ-11").name_zh in row
    batch = client.get(f"/registrar/batches/{application.gacc_batch_id}").get_data(as_text=True)
    assert f'href="/registrar/applications/{application.id}"' in _row(batch,
                                                                       application.reference)


def test_a_register_row_in_kazakh(ctx, client):
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=10), region="KZ-39")
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get("/register", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    row = _row(page, registration.china_number)
    wheat = db.session.get(Product, "wheat")
    assert registration.enterprise.name_en in row and registration.enterprise.bin in row
    assert db.session.get(Region, "KZ-39").name_kk in row
    assert db.session.get(GaccCategory, "edible_grains").name_kk in row
    assert f"{wheat.name_kk}<span class=\"muted\"> (СЭҚ ТН {wheat.hs_code})</span>" in row
    assert (f'<span class="date">{_date(registration.valid_from, "kk")}</span> – '
            f'<span class="date">{_date(registration.valid_to, "kk")}</span>' in row)
    assert '<span class="badge badge-reg-active">' in row


@pytest.mark.parametrize("id_", [1, 7, 42, 1000, 987654, MAX_ID])
def test_a_lists_link_is_the_address_url_for_builds(app, id_):
    with app.test_request_context("/"):
        assert id_link("inspector.application", "application_id")(id_) == url_for(
            "inspector.application", application_id=id_)
        assert id_link("registrar.batch", "batch_id")(id_) == url_for("registrar.batch",
                                                                      batch_id=id_)


def test_a_stage_begun_before_dawn_in_kazakhstan_is_counted_from_that_day(app, ctx, client):
    """Submitted at 03:52 in Astana, the day before in UTC: the queue read "1 working day"."""
    exporter, application = make_submitted_application()
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    dawn = datetime.combine(local_today(), time(1, 0), tzinfo=zone).astimezone(UTC)
    _set(application, state_changed_at=dawn)
    login(client, exporter.email)
    row = _row(client.get("/exporter/").get_data(as_text=True), application.reference)
    assert re.search(r'data-label="In this stage">0 working days</td>', row), row


def test_a_closed_applications_stage_does_not_count_on(ctx, client):
    """A-000027, registered in China, read "1385 working days" in its current stage, as if
    it were stuck there; a rejected one counted too."""
    exporter, application = make_submitted_application()
    _set(application, state="rejected", state_changed_at=datetime.now(UTC) - timedelta(days=60),
         stage_deadline=None)  # as the rejection leaves it
    _other, waiting = make_submitted_application(exporter)
    _set(waiting, state_changed_at=datetime.now(UTC) - timedelta(days=60))
    login(client, exporter.email)
    page = client.get("/exporter/?state=all").get_data(as_text=True)
    assert re.search(r'data-label="In this stage">—</td>',
                     _row(page, application.reference))
    assert f"{_age(waiting)} working days" in _row(page, waiting.reference)
