"""A Kazakh or Chinese user meets no English sentence of the interface: the visible text of the
busiest pages (the exporter's application and the product finder of a new one, the inspector's
review, the registrar's registration) and of the explanations of terms holds none of the English
catalog's messages whose translation differs."""

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import g

from certtrack.extensions import db
from certtrack.models import User

from factories import make_registration, make_submitted_application, make_user
from forms import login

CATALOG = Path(__file__).resolve().parents[2] / "certtrack" / "translations"
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def _english_sentences(language: str) -> list[str]:
    """The catalog's messages long enough to be a phrase (so that "PDF" or "BIN", the same in
    every language, do not count), whose translation into `language` differs."""
    with open(CATALOG / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if len(message.id) >= 14 and " " in message.id and message.string != message.id:
            found.append(message.id)
    return found


def _visible(page: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", page)).split())


def _speak(email: str, language: str) -> None:
    user = db.session.query(User).filter_by(email=email).one()
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)


@pytest.mark.parametrize("language", ["kk", "zh"])
def test_the_busiest_pages_show_no_english_sentence(ctx, app, language):
    inspector = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    registrar = make_user("registrar")
    exporter, application = make_submitted_application()
    _owner, _listed, registration = make_registration(registrar, application.submitted_at.date())
    english = _english_sentences(language)
    assert len(english) > 500
    pages = [(exporter.email, f"/exporter/applications/{application.id}"),
             (exporter.email, "/exporter/applications/new?find=seed"),
             (exporter.email, "/help/terms"),
             (inspector.email, f"/inspector/applications/{application.id}"),
             (registrar.email, f"/registrar/registrations/{registration.id}")]
    for email, url in pages:
        client = app.test_client()  # a browser of its own for each person
        login(client, email)
        _speak(email, language)
        page = client.get(url)
        assert page.status_code == 200 and f'<html lang="{language}"' in page.get_data(True)
        text = _visible(page.get_data(as_text=True))
        left = [sentence for sentence in english if sentence in text]
        assert left == [], (url, left[:5])
