"""Public verification without signing in: the QR target, the form, the PDF check, identical
answers for a wrong code and an unknown number, the throttle and the log."""

import hashlib
import io
import re
import subprocess
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import zxingcpp
from babel import dates
from flask import g
from PIL import Image
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import StoredPdf, ThrottleCounter, VerificationLog
from certtrack.services import certificates, status_changes
from certtrack.services.applications import local_today
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.issued_files import pdf_bytes

from factories import make_certificate
from forms import csrf_token, login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

TOKEN = re.compile(r'value="[0-9]{14}##[0-9a-f]+"')


@pytest.fixture
def issued(ctx):
    """A registrar, the exporter, the registration and its issued certificate."""
    return make_certificate()


def _path(certificate) -> str:
    return f"/verify/{certificate.number}/{certificate.verification_code}"


def _logs() -> list[tuple[str, str, int | None]]:
    db.session.expire_all()
    return [(row.channel, row.result, row.certificate_id) for row in db.session.scalars(
        select(VerificationLog).order_by(VerificationLog.id))]


@pytest.mark.real_pdf
def test_the_qr_code_of_an_issued_certificate_leads_to_valid(client, issued, tmp_path):
    certificate = issued[3]
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(pdf_bytes(db.session.get(StoredPdf, certificate.pdf_id)))
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        (code,) = zxingcpp.read_barcodes(image)
    url = urlsplit(code.text)
    assert f"{url.scheme}://{url.netloc}" == "http://127.0.0.1:5000"
    response = client.get(url.path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="certificate-status">\s*Valid\s*<', page)
    assert certificate.number in page and issued[2].china_number in page
    assert issued[2].enterprise.name_en in page
    assert _logs() == [("qr", "valid", certificate.id)]


def test_downloads_are_identical_and_match_the_published_sha256(client, issued):
    registrar, exporter, _registration, certificate = issued
    login(client, exporter.email)
    first = client.get(f"/certificates/{certificate.id}.pdf")
    second = client.get(f"/certificates/{certificate.id}.pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF-")
    assert first.mimetype == "application/pdf"
    assert first.headers["Content-Disposition"].startswith("attachment;")
    assert certificate.number in first.headers["Content-Disposition"]
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    digest = hashlib.sha256(first.data).hexdigest()
    page = client.get(_path(certificate)).get_data(as_text=True)
    assert f'id="issued-sha256">{digest}<' in page


def test_revoking_the_registration_flips_verification_to_revoked(client, issued):
    registrar, _exporter, registration, certificate = issued
    assert "Valid" in client.get(_path(certificate)).get_data(as_text=True)
    status_changes.change_status(registrar, registration, "revoke",
                                StatusChangeInput.from_mapping(
                                    {"reference": "GACC 2026/12", "reason": "Fraud found"}))
    page = client.get(_path(certificate)).get_data(as_text=True)
    assert re.search(r'id="certificate-status">\s*Revoked\s*<', page)
    assert "must not be relied on" in page
    assert ('id="revocation-date">The establishment’s registration in China is no longer in '
            'force (revoked).<') in page  # the status word inside a sentence, not a title


def test_a_revoked_certificate_gives_the_day_it_was_revoked(client, issued):
    registrar, _exporter, _registration, certificate = issued
    certificates.revoke_certificate(registrar, certificate, "Issued in error")
    page = client.get(_path(certificate)).get_data(as_text=True)
    assert re.search(r'id="certificate-status">\s*Revoked\s*<', page)
    today = local_today()
    assert f'id="revocation-date">Revoked on {today:%b} {today.day}, {today.year}.<' in page
    assert "Issued in error" not in page  # the reason is the authority's, not the public's


def test_suspension_shows_at_once(client, issued):
    registrar, _exporter, registration, certificate = issued
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "Site audit"}))
    page = client.get(_path(certificate)).get_data(as_text=True)
    assert re.search(r'id="certificate-status">\s*Suspended\s*<', page)
    assert re.search(r'id="suspension-dates">Suspended from \w+ \d+, 20\d\d until further '
                     r'notice\.<', page)


def test_a_resumed_registration_says_which_products_it_covers(client, issued):
    """Resumed for products produced from a day on, the page said only "valid today"."""
    registrar, _exporter, registration, certificate = issued
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "Site audit"}))
    status_changes.change_status(registrar, registration, "resume", StatusChangeInput.from_mapping({
        "products_produced_from": local_today()}))
    page = client.get(_path(certificate)).get_data(as_text=True)
    assert re.search(r'id="certificate-status">\s*Valid\s*<', page)
    today = local_today()
    assert (f'id="production-condition">For products produced on or after {today:%b} '
            f"{today.day}, {today.year}: the registration was suspended and has been resumed "
            "on that condition.<") in page
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    russian = client.get(_path(certificate), headers={"Accept-Language": "ru"})
    assert "Для продукции, произведённой начиная с" in russian.get_data(as_text=True)


def test_a_suspension_with_an_end_gives_both_dates(client, issued):
    registrar, _exporter, registration, certificate = issued
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(),
        "suspended_until": local_today() + timedelta(days=60), "reason": "Site audit"}))
    page = client.get(_path(certificate)).get_data(as_text=True)
    assert re.search(r'id="suspension-dates">Suspended from \w+ \d+, 20\d\d to \w+ \d+, '
                     r'20\d\d\.<', page)


def _normalised(response, number: str, code: str = "") -> str:
    """The page without what differs by construction: the CSRF token, and the number and code
    the visitor typed (echoed in the form and the language switcher's return address)."""
    text = response.get_data(as_text=True).replace(number, "NUMBER")
    return TOKEN.sub("TOKEN", text.replace(code, "CODE") if code else text)


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, issued):
    certificate = issued[3]
    year = local_today().year
    unknown = f"KZ-CN-{year}-000777"
    wrong_code = client.get(f"/verify/{certificate.number}/{'x' * 32}")
    unknown_number = client.get(f"/verify/{unknown}/{certificate.verification_code}")
    assert wrong_code.status_code == unknown_number.status_code == 404
    assert _normalised(wrong_code, certificate.number, "x" * 32) == \
        _normalised(unknown_number, unknown, certificate.verification_code)
    assert "No certificate matches this number and verification code" in \
        wrong_code.get_data(as_text=True)
    typed = client.get("/verify", query_string={"number": certificate.number, "code": "nope"})
    typed_unknown = client.get("/verify", query_string={"number": unknown, "code": "nope"})
    assert typed.status_code == typed_unknown.status_code == 404
    assert _normalised(typed, certificate.number) == _normalised(typed_unknown, unknown)
    garbage = client.get("/verify/not-a-number/whatever")
    assert garbage.status_code == 404
    assert [row[1:] for row in _logs()] == [("not_found", None)] * 5


def test_a_typed_text_that_is_no_certificate_number_is_told_so_and_kept(ctx, client):
    """"hello world <b>" was looked up and answered "no certificate matches", as if a number
    had been mistyped; the form now says what a number reads like."""
    response = client.get("/verify", query_string={"number": "hello world <b>", "code": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This is not a certificate number: it reads like KZ-CN-2026-000123" in page
    assert 'value="hello world &lt;b&gt;"' in page and "<b>" not in page.split("<main")[1]
    assert "No certificate matches" not in page and _logs() == []


def test_the_form_verifies_a_number_typed_by_hand(client, issued):
    certificate = issued[3]
    assert "Verification code" in client.get("/verify").get_data(as_text=True)
    response = client.get("/verify", query_string={
        "number": " " + certificate.number.lower() + " ", "code": certificate.verification_code})
    assert response.status_code == 200
    assert re.search(r'id="certificate-status">\s*Valid\s*<', response.get_data(as_text=True))
    missing = client.get("/verify", query_string={"number": certificate.number, "code": ""})
    assert missing.status_code == 422
    assert certificate.number in missing.get_data(as_text=True)
    # copied from a text that set its hyphens as dashes
    dashed = client.get("/verify", query_string={
        "number": certificate.number.replace("-", "\u2013"), "code": certificate.verification_code})
    assert dashed.status_code == 200
    assert _logs() == [("form", "valid", certificate.id)] * 2


def test_a_pdf_received_is_checked_byte_for_byte(client, issued):
    certificate = issued[3]
    issued_bytes = pdf_bytes(db.session.get(StoredPdf, certificate.pdf_id))
    token = csrf_token(client, _path(certificate))

    def check(content: bytes, name: str = "certificate.pdf"):
        return client.post(_path(certificate), data={
            "csrf_token": token, "file": (io.BytesIO(content), name)},
            content_type="multipart/form-data")

    same = check(issued_bytes)
    assert same.status_code == 200
    assert "Identical: the file is byte for byte" in same.get_data(as_text=True)
    altered = check(issued_bytes + b"%one comment more, still a PDF\n")
    assert altered.status_code == 200
    assert "Different: the file is not the PDF issued" in altered.get_data(as_text=True)
    nothing = client.post(_path(certificate), data={"csrf_token": token})
    assert nothing.status_code == 422
    assert "Choose the PDF file to check." in nothing.get_data(as_text=True)
    # an empty file or a text file is not "an altered copy": it is said what it is
    empty = check(b"")
    assert empty.status_code == 422
    assert "This file is empty (0 bytes)" in empty.get_data(as_text=True)
    text = check(b"certificate KZ-CN-2026-000001\n", "certificate.txt")
    assert text.status_code == 422
    assert "This file is not a PDF" in text.get_data(as_text=True)
    assert "Different:" not in text.get_data(as_text=True)
    wrong = client.post(f"/verify/{certificate.number}/{'y' * 32}", data={
        "csrf_token": token, "file": (io.BytesIO(issued_bytes), "c.pdf")},
        content_type="multipart/form-data")
    assert wrong.status_code == 404
    assert "Identical" not in wrong.get_data(as_text=True)
    assert _logs() == [("qr", "valid", certificate.id),  # the page the form was read from
                       ("pdf", "identical", certificate.id), ("pdf", "different", certificate.id),
                       *[("pdf", "valid", certificate.id)] * 3,  # no file, empty, not a PDF
                       ("pdf", "not_found", None)]


def test_verification_is_rate_limited_per_address(app, client, issued):
    certificate = issued[3]
    limit = app.config["VERIFY_MAX_PER_WINDOW"]
    assert limit >= 300  # a border post checks a whole train's certificates from one address
    statuses = [client.get(_path(certificate)).status_code for _ in range(limit)]
    assert statuses == [200] * limit
    refused = client.get(f"/verify/{certificate.number}/{'z' * 32}")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert "Too many verifications" in refused.get_data(as_text=True)
    other = client.get(_path(certificate), environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
    assert len(_logs()) == limit + 1


def test_the_log_holds_no_personal_data(client, issued):
    certificate = issued[3]
    client.get(_path(certificate), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    (row,) = db.session.scalars(select(VerificationLog)).all()
    columns = {column.name: getattr(row, column.name) for column in row.__table__.columns}
    assert set(columns) == {"id", "at", "certificate_id", "channel", "result", "data"}
    assert "203.0.113.9" not in str(columns)
    keys = db.session.scalars(select(ThrottleCounter.key)).all()
    assert keys and all("203.0.113.9" not in key for key in keys)


def test_verification_needs_no_sign_in_and_shows_no_documents(client, issued):
    certificate = issued[3]
    response = client.get(_path(certificate))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    documents = issued[2].application.documents
    assert documents and all(d.sha256 not in page and d.original_name not in page
                             for d in documents)
    assert dates.format_date(date.fromisoformat(certificate.data["valid_to"]), "medium",
                             locale="en") in page


def test_a_link_with_tracking_parameters_opens_the_empty_form(client, ctx):
    """/verify?utm_source=x answered 422 with "This field is required" twice before anything
    was typed; a number typed without its code is still told."""
    page = client.get("/verify", query_string={"utm_source": "newsletter"})
    assert page.status_code == 200
    assert "This field is required." not in page.get_data(as_text=True)
    half = client.get("/verify", query_string={"number": "KZ-CN-2026-000001"})
    assert half.status_code == 422 and "This field is required." in half.get_data(as_text=True)


@pytest.mark.parametrize("language", ["zh", "ru"])
def test_the_names_come_in_the_readers_language_first(ctx, client, language):
    """A Chinese customs officer read the enterprise's Chinese name last, under three others."""
    from datetime import timedelta

    from factories import make_registration, make_user

    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30))
    enterprise, establishment = registration.enterprise, registration.establishment
    enterprise.name_kk, enterprise.name_ru, enterprise.name_zh = (
        "Дала Астығы ЖШС", "ТОО «Степное зерно»", "草原粮食有限责任公司")
    establishment.name_ru, establishment.name_zh = "Кокшетауский элеватор", "科克舍套粮库"
    db.session.commit()
    certificate = certificates.issue_certificate(registrar, registration)
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(_path(certificate), headers={"Accept-Language": language}).get_data(
        as_text=True)
    for box in ("enterprise-names", "establishment-names"):
        first = re.search(rf'id="{box}"><span class="name-line" lang="(\w+)"', page)
        assert first is not None and first.group(1) == language, box
    assert "草原粮食有限责任公司" in page and "Registered Enterprise" in page  # all still there
