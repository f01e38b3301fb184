"""Every issued document is stored sealed (its SHA-256 is the sealed file's), and the public
page checks an uploaded PDF's seal: intact and by whom, altered, or no seal."""

import hashlib
import io
import re

import pytest
from flask import g

from certtrack.demo.certificate import demo_certificate_context
from certtrack.extensions import db
from certtrack.models import StoredPdf
from certtrack.pdf import render_certificate
from certtrack.pdf.seal import check_seal
from certtrack.pdf.seal_keys import DEVELOPMENT_SEAL_NAME
from certtrack.services import dossiers, gacc, seal
from certtrack.services.consignments import issue
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import inspect_ready, make_consignment
from factories import make_certificate, make_submitted_application, make_user, move_to_state
from forms import csrf_token, post


def _stored(pdf_id: int) -> StoredPdf:
    return db.session.get(StoredPdf, pdf_id)


def _sealed_intact(pdf: StoredPdf) -> bool:
    content = pdf_bytes(pdf)
    assert hashlib.sha256(content).hexdigest() == pdf.sha256 and pdf.size == len(content)
    return check_seal(content, seal.seal_key().trust_roots).result == "intact"


def test_an_issued_certificate_is_stored_sealed(ctx):
    certificate = make_certificate()[3]
    assert _sealed_intact(_stored(certificate.pdf_id))


def test_a_dossier_and_a_consignment_certificate_are_stored_sealed(ctx):
    registrar = make_user("registrar")
    _exporter, application = make_submitted_application(name="Steppe Grain LLP")
    move_to_state(application, "conclusion_positive")
    gacc.recommend(registrar, [application.id])
    (dossier,) = dossiers.list_dossiers(application=application)
    assert _sealed_intact(dossiers.stored_pdf(dossier))
    _e, inspector, _registration, consignment = make_consignment("vet")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    assert _sealed_intact(_stored(certificate.pdf_id))


@pytest.fixture
def upload(client):
    token = csrf_token(client, "/verify/seal")

    def send(content: bytes, name: str = "certificate.pdf"):
        return client.post("/verify/seal", data={
            "csrf_token": token, "file": (io.BytesIO(content), name)},
            content_type="multipart/form-data")
    return send


def _result(response) -> str:
    return response.get_data(as_text=True).split('data-result="', 1)[1].split('"', 1)[0]


def test_the_public_page_says_intact_and_who_sealed(ctx, client, upload):
    assert "Check the electronic seal of a PDF" in client.get("/verify").get_data(as_text=True)
    content = pdf_bytes(_stored(make_certificate()[3].pdf_id))
    response = upload(content)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _result(response) == "intact"
    assert "Intact: the seal is valid" in page and DEVELOPMENT_SEAL_NAME in page
    assert "This is the development seal" in page
    sealed = re.search(r"Sealed by .+? on (.+?)\.</p>", page).group(1)
    assert "T" not in sealed.split(" (")[0] and "+00:00" not in sealed  # as the reader writes it
    # in the reader's time zone, named: a customs officer abroad reads when it was sealed
    shown = r"\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\W?[AP]M \(GMT\+05:00\)"
    assert re.fullmatch(shown, sealed), sealed


def test_the_public_page_says_altered_when_one_byte_changed(ctx, client, upload):
    content = bytearray(pdf_bytes(_stored(make_certificate()[3].pdf_id)))
    at = content.index(b"stream\n", len(content) // 3) + 30
    content[at] ^= 0x01
    response = upload(bytes(content))
    assert response.status_code == 200 and _result(response) == "altered"
    assert "Altered: the file was changed after it was sealed" in response.get_data(as_text=True)


def test_the_public_page_says_when_there_is_no_seal(ctx, upload):
    response = upload(render_certificate(demo_certificate_context()).content)
    assert response.status_code == 200 and _result(response) == "unsealed"
    assert "No seal: this PDF carries no electronic seal" in response.get_data(as_text=True)


def test_only_a_pdf_within_the_size_limit_and_with_the_form_token_is_checked(app, client, upload):
    not_pdf = upload(b"GIF89a not a pdf", "certificate.pdf")
    assert not_pdf.status_code == 422
    assert "This file is not a PDF." in not_pdf.get_data(as_text=True)
    app.config["SEAL_CHECK_MAX_BYTES"] = 256 * 1024
    large = upload(b"%PDF-1.7\n" + b"0" * (256 * 1024))
    assert large.status_code == 422
    assert "Files of at most 0.25 MB are checked." in large.get_data(as_text=True)
    nothing = client.post("/verify/seal", data={"csrf_token": csrf_token(client, "/verify/seal")})
    assert nothing.status_code == 422
    forged = client.post("/verify/seal", data={"file": (io.BytesIO(b"%PDF-"), "a.pdf")},
                         content_type="multipart/form-data")
    assert forged.status_code == 400


def test_the_verification_page_says_the_development_seal_is_in_use(ctx, client):
    certificate = make_certificate()[3]
    page = client.get(f"/verify/{certificate.number}/{certificate.verification_code}")
    assert 'id="development-seal"' in page.get_data(as_text=True)
    assert "DEVELOPMENT SEAL — not valid for export" in page.get_data(as_text=True)


@pytest.mark.parametrize("language", ["kk", "ru", "zh"])
def test_the_development_seal_is_named_as_a_pdf_reader_shows_it_in_every_language(
        ctx, client, language):
    """The Russian and Chinese notices dropped the seal's name that a PDF reader's signature
    panel shows; the Kazakh one left it as a bare English phrase."""
    certificate = make_certificate()[3]
    post(client, "/language", {"locale": language})
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(f"/verify/{certificate.number}/{certificate.verification_code}")
    notice = page.get_data(as_text=True).split('id="development-seal">')[1].split("</p>")[0]
    assert "DEVELOPMENT SEAL — not valid for export" in notice
    assert "not valid for export)" not in notice  # quoted as a name, then said in the language
