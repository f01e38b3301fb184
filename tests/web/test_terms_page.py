"""The explanations of local terms (/help/terms): every term in the four languages, each with an
id the exporter's forms link to."""

import html
import re

import pytest
from flask import g

from certtrack.web.terms import TERMS

from factories import make_exporter_with_application, make_user
from forms import login

TAGS = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", fragment)).split())


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def _signed_in(client):
    user, _enterprise, _establishment, application = make_exporter_with_application(
        complete=False)
    login(client, user.email)
    return user, application


TERM_NAMES = {"en": ("BIN (business identification number)", "HS code"),
              "ru": ("БИН (бизнес-идентификационный номер)", "Код ТН ВЭД"),
              "kk": ("БСН (бизнес-сәйкестендіру нөмірі)", "СЭҚ ТН коды"),
              "zh": ("商业识别号（BIN）", "HS编码")}


@pytest.mark.parametrize("language", ["en", "ru", "kk", "zh"])
def test_the_terms_page_explains_every_term_in_each_language(ctx, app, language):
    g.pop("_flask_babel", None)
    response = app.test_client().get("/help/terms", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in page
    ids = _ids(page)
    for term in TERMS:
        assert term.id in ids
        assert f'href="#{term.id}"' in page
    text = _text(page)
    for name in TERM_NAMES[language]:
        assert name in text


def test_every_page_links_to_the_terms_from_its_footer(ctx, client):
    _user, application = _signed_in(client)
    for url in ("/verify", f"/exporter/applications/{application.id}"):
        assert 'href="/help/terms"' in client.get(url).get_data(as_text=True)


def test_the_exporters_forms_link_their_terms_to_the_explanations(ctx, client, app):
    terms = _ids(client.get("/help/terms").get_data(as_text=True))
    newcomer = app.test_client()
    login(newcomer, make_user("exporter").email)
    welcome = newcomer.get("/exporter/").get_data(as_text=True)
    enterprise_form = newcomer.get("/exporter/enterprise/new").get_data(as_text=True)
    _user, application = _signed_in(client)
    application_form = client.get("/exporter/applications/new").get_data(as_text=True)
    application_page = client.get(f"/exporter/applications/{application.id}").get_data(
        as_text=True)
    links = {"bin": enterprise_form, "gacc-category": application_form,
             "hs-code": application_form + application_page}
    for term, page in links.items():
        assert term in terms
        assert f'href="/help/terms#{term}"' in page, term
    assert 'href="/help/terms"' in welcome.split("<footer")[0]
