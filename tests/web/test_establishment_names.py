"""An establishment is named in the reader's language where it has a name in it: the public
register, the exporter's and the registrar's lists and the application page (it has a Kazakh name
always, the other languages when the exporter gave them)."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import Establishment
from certtrack.services.applications import local_today

from factories import make_registration, make_user
from forms import login, post

KAZAKH, CHINESE, ENGLISH = "Көкшетау элеваторы", "科克舍套粮库", "Kokshetau grain elevator"


@pytest.fixture
def named(app):
    """A registration whose establishment has a Kazakh and a Chinese name, no English one."""
    with app.app_context():
        registrar = make_user("registrar")
        exporter, application, registration = make_registration(
            registrar, local_today() - timedelta(days=30))
        establishment = registration.establishment
        establishment.name, establishment.name_zh, establishment.name_en = KAZAKH, CHINESE, ""
        db.session.commit()
        return exporter.email, registrar.email, application.id


def _in(client, locale: str, path: str) -> str:
    assert post(client, "/language", {"locale": locale}).status_code == 302
    return client.get(path).get_data(as_text=True)


def test_the_public_register_names_the_establishment_in_chinese_and_in_kazakh(named, client):
    chinese = _in(client, "zh", "/register")
    assert CHINESE in chinese and KAZAKH not in chinese
    kazakh = _in(client, "kk", "/register")
    assert KAZAKH in kazakh and CHINESE not in kazakh
    assert KAZAKH in client.get("/register.csv").get_data(as_text=True)
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    assert CHINESE in client.get("/register.csv").get_data(as_text=True)


def test_the_lists_and_the_application_name_it_in_the_readers_language(named, app, client):
    exporter, registrar, application_id = named
    login(client, exporter)
    for path in ("/exporter/", "/exporter/registrations",
                 f"/exporter/applications/{application_id}"):
        page = _in(client, "zh", path)
        assert CHINESE in page and KAZAKH not in page, path
    english = _in(client, "en", "/exporter/registrations")
    assert KAZAKH in english  # no English name: the Kazakh one
    with app.app_context():
        db.session.execute(update(Establishment).values(name_en=ENGLISH))
        db.session.commit()
    assert ENGLISH in _in(client, "en", "/exporter/registrations")
    assert CHINESE in _in(client, "zh", "/exporter/registrations")
    reviewer = app.test_client()
    login(reviewer, registrar)
    assert CHINESE in _in(reviewer, "zh", f"/registrar/applications/{application_id}")
