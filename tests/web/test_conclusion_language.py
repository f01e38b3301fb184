"""The standard sentence of a positive conclusion reads in the page's language, whoever wrote it
and in whichever language they worked."""

from datetime import timedelta

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import conclusions
from certtrack.services.applications import local_today

from factories import make_registration, make_user
from forms import login, post

CHINESE = "无未关闭的严重或主要不符合项；所有必需的实验室检测结果均在有效期内并合格。"


def test_a_registrar_reads_the_standard_conclusion_in_chinese(app, client):
    with app.app_context():
        registrar = make_user("registrar")
        _exporter, application, _registration = make_registration(
            registrar, local_today() - timedelta(days=30))
        db.session.get(Application, application.id).conclusion = \
            conclusions.STANDARD_POSITIVE_TEXT
        db.session.commit()
        email, url = registrar.email, f"/registrar/applications/{application.id}"
    login(client, email)
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'id="conclusion-text"' in page and CHINESE in page
    assert conclusions.STANDARD_POSITIVE_TEXT not in page
