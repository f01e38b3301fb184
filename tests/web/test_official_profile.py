"""The authorised-official profile: registrars and inspectors enter how documents name them, and
the certificates they issue print it instead of the account's name."""

import html
import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Certificate, OfficialProfile, StoredPdf
from certtrack.services import certificates
from certtrack.services.issued_files import pdf_bytes

from factories import make_registration, make_user
from forms import login, post

URL = "/account/official"
PROFILE = {"name_kk": "Айгүл Нұрбекова", "name_ru": "Айгуль Нурбекова",
           "name_en": "Aigul Nurbekova", "name_zh": "艾古丽·努尔别科娃",
           "position_kk": "Тіркеу басқармасының бас сарапшысы",
           "position_ru": "Главный эксперт управления регистрации",
           "position_en": "Chief expert, Registration Department", "position_zh": "注册处首席专家"}


def field_error(page: str, field: str) -> str:
    """The error text shown beside a field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def _profiles() -> int:
    return db.session.scalar(select(func.count()).select_from(OfficialProfile))


def _pdf_text(certificate: Certificate) -> str:
    content = pdf_bytes(db.session.get(StoredPdf, certificate.pdf_id))
    return subprocess.run(["pdftotext", "-", "-"], input=content, check=True,
                          capture_output=True).stdout.decode()


@pytest.fixture
def registrar(ctx, client):
    user = make_user("registrar", full_name="registrar account 7")
    login(client, user.email)
    return user


@pytest.mark.real_pdf
def test_a_registrar_saves_the_profile_and_certificates_name_them(registrar, client):
    page = client.get(URL).get_data(as_text=True)
    assert "You have no official profile yet." in page
    response = post(client, URL, PROFILE, follow_redirects=True)
    assert response.status_code == 200
    assert "Your official profile was saved." in response.get_data(as_text=True)
    profile = db.session.get(OfficialProfile, registrar.id)
    assert {field: getattr(profile, field) for field in PROFILE} == PROFILE
    assert 'value="艾古丽·努尔别科娃"' in client.get(URL).get_data(as_text=True)

    _exporter, _application, registration = make_registration(registrar, date(2026, 1, 15))
    certificate = certificates.issue_certificate(registrar, registration)
    assert certificate.data["officer"] == {
        "name": {"kk": "Айгүл Нұрбекова", "ru": "Айгуль Нурбекова", "en": "Aigul Nurbekova",
                 "zh": "艾古丽·努尔别科娃"},
        "position": {"kk": "Тіркеу басқармасының бас сарапшысы",
                     "ru": "Главный эксперт управления регистрации",
                     "en": "Chief expert, Registration Department", "zh": "注册处首席专家"}}
    text = _pdf_text(db.session.get(Certificate, certificate.id))
    for printed in ("Айгүл Нұрбекова", "Aigul Nurbekova", "艾古丽·努尔别科娃",
                    "Chief expert, Registration Department"):
        assert printed in text
    assert "registrar account 7" not in text and "Registrar" not in text


def test_a_second_save_changes_the_profile(registrar, client):
    post(client, URL, PROFILE)
    response = post(client, URL, {**PROFILE, "position_en": "Head of Registration Department",
                                  "version": "1"})
    assert response.status_code == 302
    profile = db.session.get(OfficialProfile, registrar.id)
    assert profile.position_en == "Head of Registration Department" and profile.version == 2
    assert _profiles() == 1


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name_en": ""}, "name_en", "This field is required."),
    ({"position_kk": "  "}, "position_kk", "This field is required."),
    ({"name_zh": "Aigul"}, "name_zh", "Write this in Chinese characters."),
    ({"name_kk": "艾古丽"}, "name_kk", "without Chinese characters"),
    ({"position_en": "x" * 301}, "position_en", "300"),
])
def test_an_incomplete_profile_is_refused_with_what_was_typed(registrar, client, change, field,
                                                             message):
    response = post(client, URL, {**PROFILE, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in field_error(page, field)
    assert 'value="Главный эксперт управления регистрации"' in page  # what was typed is kept
    assert _profiles() == 0


def test_the_profile_form_needs_the_csrf_token(registrar, client):
    response = client.post(URL, data=PROFILE)
    assert response.status_code == 400
    assert _profiles() == 0


def test_an_inspector_has_a_profile_and_an_exporter_has_none(app, ctx, client):
    inspector = make_user("inspector")
    login(client, inspector.email)
    assert URL in client.get("/account").get_data(as_text=True)
    assert post(client, URL, PROFILE).status_code == 302
    assert db.session.get(OfficialProfile, inspector.id) is not None
    exporter_client = app.test_client()
    login(exporter_client, make_user("exporter").email)
    assert exporter_client.get(URL).status_code == 403
    assert post(exporter_client, URL, PROFILE).status_code == 403
    assert URL not in exporter_client.get("/account").get_data(as_text=True)
    assert _profiles() == 1


@pytest.mark.real_pdf
def test_without_a_profile_the_certificate_is_signed_by_the_authority(registrar):
    _exporter, _application, registration = make_registration(registrar, date(2026, 1, 15))
    certificate = certificates.issue_certificate(registrar, registration)
    text = _pdf_text(db.session.get(Certificate, certificate.id))
    assert "registrar account 7" not in text
    signature = " ".join(text[text.index("Authorised officer"):].split())
    assert "Committee of State Inspection" in signature and "Agro-Industrial" in signature


def test_the_registration_page_warns_a_registrar_without_a_profile(registrar, client):
    _exporter, _application, registration = make_registration(registrar, date(2026, 1, 15))
    url = f"/registrar/registrations/{registration.id}"
    warning = "certificates you issue are signed in the name of your authority"
    assert warning in client.get(url).get_data(as_text=True)
    post(client, URL, PROFILE)
    assert warning not in client.get(url).get_data(as_text=True)
