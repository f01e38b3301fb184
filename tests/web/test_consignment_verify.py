"""The public verification of a consignment certificate, the page its QR code opens."""

import html
import io
import re
from datetime import timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import select

from certtrack.domain.verification import group_code
from certtrack.extensions import db
from certtrack.models import Notification, StoredPdf, VerificationLog
from certtrack.services import status_changes
from certtrack.services.applications import local_today
from certtrack.services.consignments import issue
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.issued_files import pdf_bytes
from certtrack.services.notifications import verification_url

from consignment_factories import inspect_ready, make_consignment
from factories import make_user
from forms import csrf_token


def _issued():
    _e, inspector, registration, consignment = make_consignment("phyto")
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    url = verification_url(certificate.number, certificate.verification_code, "consignment")
    return registration, certificate, url.replace("http://127.0.0.1:5000", "")


def test_a_signed_out_visitor_sees_valid_and_the_registration_status(ctx, client):
    registration, certificate, path = _issued()
    assert path == (f"/verify/consignment/{certificate.number}/"
                    f"{group_code(certificate.verification_code)}")
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="certificate-status">Valid<' in page
    assert 'id="registration-status">Active<' in page
    assert 'id="development-seal"' in page and 'href="/verify/seal"' in page
    assert registration.china_number in page
    # the consignor and the establishment, as the PDF names them
    assert f'id="consignor">{registration.enterprise.name_en}<' in page
    establishment = registration.establishment
    assert f'id="establishment">{establishment.name_en or establishment.name}<' in page
    # On a phone the heading wrapped "KZ-PC-" / "2026-000001": the number stays whole.
    assert re.search(rf'<h1>[^<]* <span class="ref">{certificate.number}</span></h1>', page)


def test_a_later_suspension_does_not_void_it_but_is_shown(ctx, client):
    registration, certificate, path = _issued()
    certificate.issued_on = local_today() - timedelta(days=1)  # the day before it took effect
    db.session.commit()
    status_changes.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(),
        "reason": "GACC notice"}))
    page = client.get(path).get_data(as_text=True)
    assert 'id="certificate-status">Valid<' in page
    assert 'id="registration-status">Suspended<' in page
    assert 'id="registration-status-at-issue">Active<' in page
    # the status box itself says so, in the colour of a warning, not the green of "valid"
    assert 'class="verify-status verify-suspended"' in page
    warning = re.search(r'<p id="registration-warning">(.*?)</p>', page, re.S).group(1)
    assert "The establishment’s registration in China is suspended" in html.unescape(
        warning)
    assert "may be refused at the border" in warning


def test_a_suspension_recorded_after_the_issue_shows_it_was_suspended_at_issue(ctx, client):
    """GACC's suspension of 3 days ago, recorded today: a certificate issued yesterday read
    "Registration status at issue: Active", and its inspector was not told."""
    registration, certificate, path = _issued()
    certificate.issued_on = local_today() - timedelta(days=1)
    db.session.commit()
    since = local_today() - timedelta(days=3)
    status_changes.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": since, "reason": "GACC notice of 5 Dec"}))
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert 'id="registration-status-at-issue">Suspended<' in page
    assert 'class="verify-status verify-suspended"' in page
    assert (f"This certificate was issued on {format_date(certificate.issued_on)}, a day the "
            "suspension was in effect, recorded only after the issue") in page
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == certificate.issued_by_id, Notification.kind == "suspended"))
    assert note.message == (
        f"China registration {registration.china_number} was suspended from "
        f"{format_date(since)}, recorded only now: certificate {certificate.number} of "
        f"consignment {certificate.consignment.reference} was issued on "
        f"{format_date(certificate.issued_on)}, while it was suspended. Cancel the certificate "
        "if the goods have not left.")
    status_changes.change_status(make_user("registrar", "r2@example.kz"), registration, "resume",
                                StatusChangeInput.from_mapping(
                                    {"products_produced_from": local_today()}))
    page = html.unescape(client.get(path).get_data(as_text=True))  # resumed since: still said
    assert "was suspended when this certificate was issued" in page


def test_a_certificate_issued_before_the_suspension_took_effect_keeps_active(ctx, client):
    registration, certificate, path = _issued()
    certificate.issued_on = local_today() - timedelta(days=4)
    db.session.commit()
    status_changes.change_status(make_user("registrar"), registration, "suspend",
                                StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today() - timedelta(days=3),
        "reason": "GACC notice of 5 Dec"}))
    page = client.get(path).get_data(as_text=True)
    assert 'id="registration-status-at-issue">Active<' in page
    assert db.session.scalars(select(Notification).where(
        Notification.user_id == certificate.issued_by_id,
        Notification.kind == "suspended")).all() == []


@pytest.mark.parametrize(("issued_days_ago", "at_issue"), [(7, "Suspended"), (2, "Active")])
def test_a_suspension_recorded_once_over_marks_only_what_was_issued_within_it(
        ctx, client, issued_days_ago, at_issue):
    """Suspended from 10 to 5 days ago and recorded today: a certificate issued 2 days ago,
    after the suspension ended, read "issued while suspended"."""
    registration, certificate, path = _issued()
    certificate.issued_on = local_today() - timedelta(days=issued_days_ago)
    db.session.commit()
    status_now = status_changes.change_status(
        make_user("registrar"), registration, "suspend", StatusChangeInput.from_mapping({
            "authority": "gacc", "suspended_from": local_today() - timedelta(days=10),
            "suspended_until": local_today() - timedelta(days=5), "reason": "GACC notice 12"}))
    assert status_now == "active"  # over when recorded: resumed at once
    page = client.get(path).get_data(as_text=True)
    assert f'id="registration-status-at-issue">{at_issue}<' in page
    told = db.session.scalars(select(Notification).where(
        Notification.user_id == certificate.issued_by_id, Notification.kind == "suspended"))
    assert len(told.all()) == (1 if at_issue == "Suspended" else 0)


def test_an_active_registration_gives_the_green_box_and_no_warning(ctx, client):
    _registration, _certificate, path = _issued()
    page = client.get(path).get_data(as_text=True)
    assert 'class="verify-status verify-valid"' in page
    assert 'id="registration-warning"' not in page


def test_a_wrong_code_is_not_found(ctx, client):
    _r, certificate, _path = _issued()
    response = client.get(f"/verify/consignment/{certificate.number}/wrong-code")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No certificate matches this number and verification code." in page
    assert f'value="{certificate.number}"' in page and 'value="wrong-code"' in page


def test_the_page_shows_the_goods_as_issued(ctx, client):
    _r, certificate, path = _issued()
    lot = certificate.consignment.lots[0]
    lot.marks = "changed after issue"  # the page shows what was certified
    page = client.get(path).get_data(as_text=True)
    goods = page[page.index('id="goods"'):page.index("</table>", page.index('id="goods"'))]
    assert "<code>1001</code>" in goods and "Wheat" in goods
    assert "65.5 tonnes" in goods and "1 lot in bulk" in goods
    assert "Wagon 95123451, seal KZ 778812" in goods and "changed after issue" not in goods
    assert "Rail wagon" in page


def test_the_page_shows_the_consignment_as_the_certificate_printed_it(ctx, client):
    """A correction under way (the certificate still valid) showed the draft's new consignee
    and crossing beside it, data no certificate printed; and the exporter's new name."""
    registration, certificate, path = _issued()
    printed = {"consignee": certificate.consignment.consignee_name,
               "exporter": registration.enterprise.name_en,
               "establishment": registration.establishment.name_en}
    consignment = certificate.consignment
    consignment.consignee_name = "Another Buyer Ltd"
    consignment.crossing_code = "altynkol_khorgos"
    consignment.place_of_origin = "Elsewhere"
    registration.enterprise.name_en = "Renamed LLP"
    registration.establishment.name_en = "Renamed Meat Plant"
    db.session.commit()
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert f'id="consignee">{printed["consignee"]}<' in page
    assert f'id="establishment">{printed["establishment"]}<' in page
    assert "Renamed Meat Plant" not in page
    assert f'id="consignor">{printed["exporter"]}<' in page
    assert 'id="point-of-entry">Dostyk – Alashankou<' in page
    assert "Another Buyer Ltd" not in page and "Altynkol" not in page
    assert "Elsewhere" not in page and "Renamed LLP" not in page


def test_the_verify_form_takes_a_phytosanitary_certificate_number(ctx, client):
    _r, certificate, _path = _issued()
    printed = group_code(certificate.verification_code)
    response = client.get("/verify", query_string={"number": certificate.number.lower(),
                                                   "code": printed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="certificate-status">Valid<' in page and certificate.number in page
    wrong = client.get("/verify", query_string={"number": certificate.number, "code": "X-1"})
    assert wrong.status_code == 404
    assert 'value="X-1"' in wrong.get_data(as_text=True)  # kept, to be corrected
    logs = db.session.execute(select(VerificationLog.channel, VerificationLog.result)
                              .order_by(VerificationLog.id)).all()
    assert logs == [("form", "valid"), ("form", "not_found")]


def test_a_pdf_received_is_compared_with_the_issued_one(ctx, client):
    _r, certificate, path = _issued()
    issued = pdf_bytes(db.session.get(StoredPdf, certificate.pdf_id))
    token = csrf_token(client, path)

    def check(content: bytes):
        return client.post(path, data={"csrf_token": token,
                                       "file": (io.BytesIO(content), "certificate.pdf")},
                           content_type="multipart/form-data")

    same = check(issued)
    assert same.status_code == 200
    assert 'id="pdf-result"><strong>Identical' in same.get_data(as_text=True)
    assert 'id="pdf-result-top"' not in same.get_data(as_text=True)
    altered = check(issued + b"%one comment more\n")
    assert 'id="pdf-result"><strong>Different' in altered.get_data(as_text=True)
    # said where the page opens too, above the green status (on a phone it filled the screen)
    page = altered.get_data(as_text=True)
    assert page.index('id="pdf-result-top"') < page.index('id="certificate-status"')
    assert re.search(r'action="/verify/consignment/[^"#]+#check-pdf"', page)
    nothing = client.post(path, data={"csrf_token": token})
    assert nothing.status_code == 422
    assert "Choose the PDF file to check." in nothing.get_data(as_text=True)
    results = db.session.scalars(select(VerificationLog.result).where(
        VerificationLog.channel == "pdf").order_by(VerificationLog.id)).all()
    assert results == ["identical", "different", "valid"]


def test_the_number_alone_opens_the_form_with_it_filled_in(client):
    """An officer who types the address up to the number (the code unreadable) gets the form,
    as for a certificate of export eligibility, not a page that does not exist."""
    response = client.get("/verify/consignment/KZ-PC-2026-000005")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="KZ-PC-2026-000005"' in page and 'name="code"' in page
    # The form's value stays plain text; only the hint's sample numbers are kept whole.
    assert '<span class="ref">KZ-PC' not in page.split('name="number"')[1].split(">")[0]


def test_the_sample_numbers_under_the_number_field_are_never_broken_at_a_hyphen(client):
    """"KZ-VC-2026-" at a line's end and "000007" on the next read as two numbers."""
    page = client.get("/verify").get_data(as_text=True)
    hint = page[page.index('As printed on the certificate'):].split("</p>")[0]
    assert all(f'<span class="ref">KZ-{kind}-2026-' in hint for kind in ("CN", "PC", "VC"))
