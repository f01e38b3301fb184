"""Issuing a certificate: its number, its stored PDF with the embedded data, the refusals, the
replacement and the status derived as of today."""

import io
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from certtrack.domain.identifiers import parse_certificate_number
from certtrack.extensions import db
from certtrack.models import (
    AuditEvent,
    Certificate,
    CertificateCounter,
    Notification,
    Registration,
    StoredPdf,
)
from certtrack.services import certificates, status_changes
from certtrack.services.applications import local_today
from certtrack.services.errors import PermissionDenied, ValidationFailed
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.issued_files import pdf_bytes

from factories import make_certificate, make_registration, make_user


def _pdf(certificate: Certificate) -> bytes:
    return pdf_bytes(db.session.get(StoredPdf, certificate.pdf_id))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.real_pdf
def test_issued_certificate_embeds_exactly_its_database_record(ctx):
    registrar, exporter, registration, certificate = make_certificate(
        make_user("registrar", full_name="Айгүл Нұрбекова"))
    year, serial = parse_certificate_number(certificate.number)
    assert (year, serial) == (local_today().year, 1)
    reader = PdfReader(io.BytesIO(_pdf(certificate)))
    (content,) = reader.attachments["certificate.json"]
    assert json.loads(content) == certificate.data
    data = certificate.data
    assert data["number"] == certificate.number
    assert data["china_registration_number"] == registration.china_number
    assert data["valid_to"] == registration.valid_to.isoformat()
    assert data["enterprise"]["bin"] == registration.enterprise.bin
    assert data["products"] == [{"hs_code": "1001", "name": {
        "en": "Wheat", "kk": "Бидай", "ru": "Пшеница", "zh": "小麦"}}]
    # No official profile yet: the certificate is signed in the authority's name, never in
    # the account's.
    assert data["officer"] == {"name": data["authority"]["name"], "position": {}}
    assert data["schema_version"] == 2
    assert data["authority"]["name"]["en"].startswith("Committee of State Inspection")
    code = certificate.verification_code
    assert data["verification_url"] == f"http://127.0.0.1:5000/verify/{certificate.number}/" + \
        "-".join(code[i:i + 4] for i in range(0, 24, 4))
    assert len(code) == 24 and set(code) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    text = "".join(page.extract_text() for page in reader.pages)
    assert certificate.number in text and registration.china_number in text
    assert "Айгүл Нұрбекова" not in text and "Registrar" not in text


def test_issue_writes_row_audit_and_notification_and_the_job_attaches_the_pdf(ctx):
    registrar, exporter, registration, certificate = make_certificate()
    pdf = db.session.get(StoredPdf, certificate.pdf_id)
    assert pdf.kind == "certificate" and pdf.size == len(pdf_bytes(pdf)) and pdf.pages == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate_issued"))
    assert event.object_id == certificate.id and event.actor_id == registrar.id
    assert event.application_id == registration.application_id
    assert event.data["number"] == certificate.number
    stored = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "certificate_pdf_stored"))
    assert stored.object_id == certificate.id and stored.actor_id is None
    assert stored.data["sha256"] == pdf.sha256 and stored.data["number"] == certificate.number
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == exporter.id, Notification.kind == "certificate_issued"))
    assert certificate.number in note.message and note.link == "/exporter/registrations"


def test_a_registration_gets_one_certificate_unless_it_is_replaced(ctx):
    registrar, _exporter, registration, first = make_certificate()
    with pytest.raises(ValidationFailed, match="already issued"):
        certificates.issue_certificate(registrar, registration)
    assert _count(Certificate) == 1 and _count(StoredPdf) == 1
    assert db.session.get(CertificateCounter, local_today().year).last_serial == 1

    with pytest.raises(ValidationFailed) as missing_reason:
        certificates.issue_certificate(registrar, registration, replaces=first)
    assert "reason" in missing_reason.value.errors
    second = certificates.issue_certificate(registrar, registration, replaces=first,
                                            reason="Enterprise renamed")
    assert second.replaces_id == first.id and second.data["replaces"] == first.number
    assert parse_certificate_number(second.number)[1] == 2
    assert certificates.certificate_status(first) == "replaced"
    assert certificates.certificate_status(second) == "valid"
    assert certificates.current_certificate(registration.id).id == second.id
    with pytest.raises(ValidationFailed, match="already been replaced"):
        certificates.issue_certificate(registrar, registration, replaces=first,
                                       reason="Issued again by mistake")
    assert _pdf(first) != _pdf(second)


def test_only_a_registrar_issues_and_only_for_an_active_registration(ctx):
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=10))
    for role in ("inspector", "admin", "exporter"):
        with pytest.raises(PermissionDenied):
            certificates.issue_certificate(make_user(role), registration)
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "gacc", "suspended_from": local_today(), "reason": "Site audit"}))
    with pytest.raises(ValidationFailed, match="only for an active registration"):
        certificates.issue_certificate(registrar, registration)
    assert _count(Certificate) == 0 and _count(StoredPdf) == 0
    assert _count(CertificateCounter) == 0


@pytest.mark.real_pdf
def test_preview_is_a_watermarked_draft_and_stores_nothing(ctx):
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=10))
    rendered = certificates.preview_certificate(registrar, registration)
    reader = PdfReader(io.BytesIO(rendered.content))
    text = reader.pages[0].extract_text()
    assert "DRAFT" in text and registration.china_number in text
    assert dict(reader.attachments) == {}
    assert _count(StoredPdf) == 0 and _count(Certificate) == 0
    assert _count(CertificateCounter) == 0
    with pytest.raises(PermissionDenied):
        certificates.preview_certificate(make_user("inspector"), registration)


@pytest.mark.parametrize(("action", "data", "status"), [
    ("suspend", {"authority": "gacc", "reason": "Site audit"}, "suspended"),
    ("revoke", {"reference": "GACC 2026/7", "reason": "Fraud found"}, "revoked"),
    ("cancel", {"reason": "Stopped exporting"}, "revoked"),
    ("invalidate", {"cause": "relocation", "reason": "Moved away"}, "revoked"),
])
def test_status_follows_the_registration_at_once(ctx, action, data, status):
    registrar, _exporter, registration, certificate = make_certificate()
    assert certificates.certificate_status(certificate) == "valid"
    status_changes.change_status(registrar, registration, action,
                                StatusChangeInput.from_mapping(
                                    {**data, "suspended_from": local_today()}))
    db.session.expire_all()
    assert certificates.certificate_status(certificate) == status


def test_status_is_expired_after_the_printed_validity_or_the_registrations_expiry(ctx):
    _registrar, _exporter, registration, certificate = make_certificate()
    valid_to = date.fromisoformat(certificate.data["valid_to"])
    assert certificates.certificate_status(certificate, valid_to) == "valid"
    assert certificates.certificate_status(certificate, valid_to + timedelta(days=1)) == "expired"
    registration.status = "expired"
    db.session.commit()
    assert certificates.certificate_status(certificate) == "expired"
    certificate.revoked_at = certificate.issued_at
    db.session.commit()
    assert certificates.certificate_status(certificate) == "revoked"


def test_numbers_are_counted_per_year_from_one(ctx):
    registrar = make_user("registrar")
    db.session.add(CertificateCounter(year=local_today().year - 1, last_serial=41))
    db.session.commit()
    numbers = [make_certificate(registrar)[3].number for _ in range(2)]
    year = local_today().year
    assert numbers == [f"KZ-CN-{year}-000001", f"KZ-CN-{year}-000002"]
    assert db.session.get(CertificateCounter, year - 1).last_serial == 41


@pytest.mark.real_pdf
def test_a_hostile_enterprise_name_is_printed_as_text(ctx):
    hostile = '<link rel=attachment href="file:///etc/passwd"><img src="http://127.0.0.1:9/x">'
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=10))
    registration.enterprise.name_en = hostile
    db.session.commit()
    certificate = certificates.issue_certificate(registrar, registration)
    reader = PdfReader(io.BytesIO(_pdf(certificate)))
    assert list(reader.attachments) == ["certificate.json"]
    assert certificate.data["enterprise"]["name"]["en"] == hostile
    text = " ".join(reader.pages[0].extract_text().split())
    assert 'href="file:///etc/passwd">' in text


def test_a_registration_changed_while_the_issue_read_it_is_printed_as_it_is_now(ctx, monkeypatch):
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=10))
    extended = registration.valid_to + timedelta(days=365)
    read_first = certificates._printed

    def read_then_someone_renews(*args):
        printed = read_first(*args)
        # Another registrar's renewal commits between the read and the issue's lock.
        db.session.execute(update(Registration).where(Registration.id == registration.id)
                           .values(valid_to=extended, version=Registration.version + 1))
        monkeypatch.setattr(certificates, "_printed", read_first)
        return printed

    monkeypatch.setattr(certificates, "_printed", read_then_someone_renews)
    certificate = certificates.issue_certificate(registrar, registration)
    assert certificate.data["valid_to"] == extended.isoformat()


def test_a_registration_past_its_validity_gets_no_certificate_before_the_daily_run(ctx):
    """The daily run marks a registration expired at night; until then its status is still
    active, and a certificate was issued for a registration that had ended."""
    registrar = make_user("registrar")
    _exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=40))
    registration.valid_to = local_today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(ValidationFailed, match=f"Registration {registration.china_number} "
                       "expired on .*: certificates are issued only for a registration in "
                       "force."):
        certificates.issue_certificate(registrar, registration)
    assert _count(Certificate) == 0 and _count(CertificateCounter) == 0
