"""One English word, two meanings: each meaning is translated on its own (pgettext), so the
Russian page says "Сменить" on the language button and "Изменение" for the kind of application,
"Действует" for a registration and "Активна" for an account."""

import re

from flask import g
from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services.applications import local_today

from factories import make_exporter_with_application, make_registration, make_user
from forms import login


def _speak(user, language: str) -> None:
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)


def test_change_is_a_button_and_a_kind_of_application(ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(kind="change"))
    db.session.commit()
    login(client, user.email)
    _speak(user, "ru")
    page = client.get("/exporter/").get_data(as_text=True)
    assert re.search(r'<button type="submit" class="btn-small">Сменить</button>', page)
    assert '<td data-label="Вид заявки">Изменение</td>' in page


def test_active_is_a_registration_in_force_and_an_account_that_may_sign_in(ctx, app):
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(registrar, local_today())
    admin = make_user("admin")
    for person, url, word in ((registrar, f"/registrar/registrations/{registration.id}",
                               "Действует"),
                              (admin, "/admin/users", "Активна")):
        client = app.test_client()
        login(client, person.email)
        _speak(person, "ru")
        page = client.get(url).get_data(as_text=True)
        assert re.search(rf">\s*{word}\s*<", page), url
    registrar_page = app.test_client()
    login(registrar_page, registrar.email)
    assert ">Активна<" not in registrar_page.get(
        f"/registrar/registrations/{registration.id}").get_data(as_text=True)
