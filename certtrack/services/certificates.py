"""Certificates of export eligibility: issue, replacement, preview, status and stored PDFs.

Issuing is one short write transaction (docs/security.md items 19, 20): a guarded UPDATE of the
registration takes the write lock first, the number comes from one atomic UPDATE ... RETURNING
of the year's counter, and the certificate's row - with the data it prints - is written before
the commit, so the number is never lost. The PDF is rendered afterwards by a background job
(services/certificate_pdf.py), which attaches its bytes and SHA-256 when they are ready; until
then the certificate is "being prepared". A rendered certificate is never rendered again:
downloads serve the stored bytes.
"""

import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from certtrack.domain.identifiers import format_certificate_number
from certtrack.domain.verification import new_verification_code
from certtrack.domain.vocabulary import CertificateStatus, codes
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Certificate, CertificateCounter, Registration, StoredPdf
from certtrack.models.base import utcnow
from certtrack.pdf import RenderedPdf, certificate_json, render_certificate
from certtrack.services import queue
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.certificate_pdf import render_pending_certificate
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.local_dates import format_day
from certtrack.services.notifications import (
    enterprise_users,
    link,
    notify,
    public_url,
    verification_url,
)
from certtrack.services.officials import signer
from certtrack.services.permissions import has_role, owns, require_registrar
from certtrack.services.print_context import certificate_context
from certtrack.services.printed_names import unprintable_enterprise
from certtrack.services.reasons import require_reason
from certtrack.services.transaction import transaction

STATUSES = codes(CertificateStatus)
ENDED_REGISTRATION = ("revoked", "cancelled", "invalidated")


def certificate_status(certificate: Certificate, today: date | None = None) -> str:
    """Take a certificate; return its status as of today, derived and never stored.

    revoked (the certificate itself), replaced (a newer certificate replaces it), revoked (its
    registration revoked, cancelled or invalidated), suspended, expired (the registration
    expired or the printed validity ended), else valid.
    """
    registration = certificate.registration
    if certificate.revoked_at is not None:  # revoked on its own stays revoked, even if replaced
        return "revoked"
    if certificate.replaced_by:
        return "replaced"
    if registration.status in ENDED_REGISTRATION:
        return "revoked"
    if registration.status == "suspended":
        return "suspended"
    valid_to = date.fromisoformat(certificate.data["valid_to"])
    if registration.status == "expired" or valid_to < (today or local_today()):
        return "expired"
    return "valid"


def current_certificate(registration_id: int) -> Certificate | None:
    """Take a registration id; return its certificate that no other replaces, if any."""
    newer = aliased(Certificate)
    return db.session.scalar(select(Certificate).where(
        Certificate.registration_id == registration_id,
        ~exists().where(newer.replaces_id == Certificate.id)))


def current_certificates(registration_ids) -> dict[int, Certificate]:
    """Take registration ids; return {registration id: current certificate}, in one query."""
    ids = list(registration_ids)
    if not ids:
        return {}
    newer = aliased(Certificate)
    rows = db.session.scalars(select(Certificate).where(
        Certificate.registration_id.in_(ids), ~exists().where(newer.replaces_id == Certificate.id)))
    return {row.registration_id: row for row in rows}


@dataclass(frozen=True)
class CertificateRow:
    """A certificate with its status as of today and the SHA-256 of its PDF ("" while the PDF
    is being prepared), for lists."""

    certificate: Certificate
    status: str
    sha256: str


def certificate_rows(registration: Registration) -> list[CertificateRow]:
    """Take a registration; return its certificates, newest first, with status and SHA-256."""
    rows = db.session.execute(select(Certificate, StoredPdf.sha256)
                              .outerjoin(StoredPdf, StoredPdf.id == Certificate.pdf_id)
                              .where(Certificate.registration_id == registration.id)
                              .order_by(Certificate.id.desc())).all()
    today = local_today()
    return [CertificateRow(row, certificate_status(row, today), sha256 or "")
            for row, sha256 in rows]


def issue_refusal(registration: Registration, replaces: Certificate | None = None) -> str | None:
    """Why a certificate cannot be issued for the registration now (None when it can)."""
    if registration.status != "active":
        return _("Certificates are issued only for an active registration.")
    if registration.valid_from > local_today():
        return _("Registration %(number)s is in force from %(date)s: its certificate is issued "
                 "from that day.", number=registration.china_number,
                 date=format_day(registration.valid_from))
    if registration.valid_to < local_today():  # the daily run has not marked it expired yet
        return _("Registration %(number)s expired on %(date)s: certificates are issued only "
                 "for a registration in force.", number=registration.china_number,
                 date=format_day(registration.valid_to))
    if problems := unprintable_enterprise(registration.enterprise):
        return problems[0]
    current = current_certificate(registration.id)
    if replaces is None and current is not None:
        return _("Certificate %(number)s is already issued for this registration; issue a "
                 "replacement instead.", number=current.number)
    if replaces is not None and current is not None and current.id != replaces.id:
        return _("Certificate %(number)s has already been replaced by certificate %(newer)s; "
                 "a further change replaces that one.", number=replaces.number,
                 newer=current.number)
    if replaces is not None and current is None:
        return _("Certificate %(number)s has already been replaced.", number=replaces.number)
    return None


def preview_certificate(actor, registration: Registration) -> RenderedPdf:
    """Take a registrar and a registration; render the certificate it would get, watermarked
    DRAFT, without a number, and store nothing.

    :raise PermissionDenied: not a registrar.
    """
    require_registrar(actor)
    today = local_today()
    current = current_certificate(registration.id)
    context = certificate_context(
        registration, number=f"KZ-CN-{today.year}-DRAFT", issued_on=today,
        verification_url=public_url("verify.form"),
        officer=signer(actor, registration.gacc_category.committee),
        replaces=current.number if current is not None else None)
    return render_certificate(context, draft=True)


def _lock_active(registration: Registration, version: int | None = None) -> bool:
    """Take the registration's row lock (and SQLite's write lock) while it is still active and,
    given a version, still at that version: False when it has moved on since.
    :raise ValidationFailed: no version given and the registration is not active.
    """
    conditions = [Registration.id == registration.id, Registration.status == "active"]
    if version is not None:
        conditions.append(Registration.version == version)
    locked = db.session.execute(
        update(Registration).where(*conditions)
        .values(status=Registration.status).execution_options(synchronize_session=False))
    if locked.rowcount == 1:
        return True
    if version is not None:
        return False
    raise ValidationFailed({"": [_("Certificates are issued only for an active "
                                   "registration.")]})


def next_serial(year: int) -> int:
    """Move the year's counter by one and return the new serial, in the caller's transaction.

    The year's row is created first when missing; a racing creation is ignored (savepoint).
    """
    if db.session.get(CertificateCounter, year) is None:
        try:
            with db.session.begin_nested():
                db.session.add(CertificateCounter(year=year, last_serial=0))
        except IntegrityError:
            pass
    return db.session.execute(
        update(CertificateCounter).where(CertificateCounter.year == year)
        .values(last_serial=CertificateCounter.last_serial + 1)
        .returning(CertificateCounter.last_serial)).scalar_one()


def _record(actor, registration: Registration, context: dict, code: str,
            replaces: Certificate | None) -> Certificate:
    certificate = Certificate(
        number=context["number"], year=context["issued_on"].year,
        serial=int(context["number"].rsplit("-", 1)[1]), verification_code=code,
        registration_id=registration.id, replaces_id=replaces.id if replaces else None,
        pdf_id=None, data=json.loads(certificate_json(context)), issued_by_id=actor.id)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def issue_certificate(actor, registration: Registration, *, replaces: Certificate | None = None,
                      reason: str = "") -> Certificate:
    """Take a registrar and an active registration; issue its certificate and queue its PDF.

    With `replaces` (the registration's current certificate) and a `reason`, the new
    certificate replaces it: a new number that names the old one, which becomes 'replaced'.
    Writes the number, the row, an audit row and the exporter's notification in one short
    transaction, then queues the rendering (certificate_pdf.render_pending_certificate).
    :raise PermissionDenied: not a registrar.
    :raise ValidationFailed: no reason for a replacement; the registration is not active; it
        already has a current certificate (or `replaces` is no longer current).
    :raise Conflict: the database refused a racing write (SQLite's lock timeout).
    """
    require_registrar(actor)
    if replaces is not None:
        require_reason(reason)
    refusal = issue_refusal(registration, replaces)
    if refusal:
        raise ValidationFailed({"": [refusal]})
    today = local_today()
    # What the certificate prints, but for its number and address, is read before the write
    # transaction, which then only locks, numbers and writes (docs/performance.md: < 50 ms).
    version = registration.version
    printed = _printed(actor, registration, replaces, today)
    try:
        with transaction():
            certificate = _issue_locked(actor, registration, replaces, reason.strip(), today,
                                        printed, version)
    except IntegrityError as error:  # a racing replacement of the same certificate
        raise ValidationFailed({"": [_("This certificate has already been replaced.")]}) \
            from error
    queue.enqueue_or_run("render_certificate", render_pending_certificate, certificate.id)
    return certificate


def _printed(actor, registration: Registration, replaces: Certificate | None,
             today: date) -> dict:
    """The certificate's context without its number and verification address."""
    return certificate_context(
        registration, number="", verification_url="", issued_on=today,
        officer=signer(actor, registration.gacc_category.committee),
        replaces=replaces.number if replaces else None)


def _issue_locked(actor, registration, replaces, reason: str, today: date, printed: dict,
                  version: int) -> Certificate:
    if not _lock_active(registration, version):
        # Changed since it was read (or no longer active, which raises): read it again, now
        # that the row is ours.
        _lock_active(registration)
        db.session.refresh(registration)
        printed = _printed(actor, registration, replaces, today)
    refusal = issue_refusal(registration, replaces)  # again, now that the row is ours
    if refusal:
        raise ValidationFailed({"": [refusal]})
    number = format_certificate_number(today.year, next_serial(today.year))
    code = new_verification_code()
    context = {**printed, "number": number, "verification_url": verification_url(number, code)}
    certificate = _record(actor, registration, context, code, replaces)
    record_event(actor, "certificate_issued", object_type="certificate",
                 object_id=certificate.id, application_id=registration.application_id,
                 comment=reason, data={"number": number, "registration_id": registration.id,
                                       "replaces": context.get("replaces")})
    message = (_l("Certificate of export eligibility %(number)s replaces %(old)s, which is no "
                  "longer valid: %(reason)s", number=number, old=replaces.number, reason=reason)
               if replaces is not None else
               _l("Certificate of export eligibility %(number)s is issued for China "
                  "registration %(china)s.", number=number, china=registration.china_number))
    notify(enterprise_users(registration.enterprise_id), "certificate_issued", message,
           link("exporter.registrations"))
    return certificate


def get_certificate(actor, certificate_id: int) -> Certificate:
    """Take a user and an id; return the certificate if the user may download it.

    Registrars see every certificate; an exporter those of its own enterprise.
    :raise NotFound: unknown, or not the user's (never 403, so ids cannot be probed).
    """
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not _may_download(actor, certificate):
        raise NotFound(_("No such certificate."))
    return certificate


def _may_download(actor, certificate: Certificate) -> bool:
    return has_role(actor, Role.registrar) or owns(actor, certificate.registration.enterprise_id)


def stored_pdf(certificate: Certificate) -> StoredPdf | None:
    """The PDF issued with the certificate, exactly as stored; None while being prepared."""
    if certificate.pdf_id is None:
        return None
    return db.session.get(StoredPdf, certificate.pdf_id)


def revoke_refusal(certificate: Certificate) -> str | None:
    """Why the certificate cannot be revoked (None when it can)."""
    if certificate.revoked_at is not None:
        return _("Certificate %(number)s is already revoked.", number=certificate.number)
    if certificate.replaced_by:
        newer = current_certificate(certificate.registration_id)
        if newer.revoked_at is not None:
            return _("Certificate %(number)s has been replaced by certificate %(newer)s, "
                     "which is revoked too.", number=certificate.number, newer=newer.number)
        return _("Certificate %(number)s has been replaced by certificate %(newer)s; "
                 "revoke that one.", number=certificate.number, newer=newer.number)
    return None


def revoke_certificate(actor, certificate: Certificate, reason: str) -> Certificate:
    """Take a registrar, one certificate and the reason; revoke that certificate alone.

    Verification answers "revoked" from then on; the registration keeps its status. Writes
    who and why, an audit row and the exporter's notification in one transaction.
    :raise PermissionDenied: not a registrar.
    :raise ValidationFailed: no reason; already revoked or replaced (also when a racing
        request revoked it first).
    """
    require_registrar(actor)
    require_reason(reason)
    refusal = revoke_refusal(certificate)
    if refusal:
        raise ValidationFailed({"": [refusal]})
    registration = certificate.registration
    with transaction():
        revoked = db.session.execute(
            update(Certificate).where(Certificate.id == certificate.id,
                                      Certificate.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revocation_reason=reason.strip(),
                    revoked_by_id=actor.id).execution_options(synchronize_session=False))
        if revoked.rowcount != 1:
            db.session.rollback()
            raise ValidationFailed({"": [_("Certificate %(number)s is already revoked.",
                                           number=certificate.number)]})
        record_event(actor, "certificate_revoked", object_type="certificate",
                     object_id=certificate.id, application_id=registration.application_id,
                     comment=reason.strip(), data={"number": certificate.number,
                                                   "registration_id": registration.id})
        notify(enterprise_users(registration.enterprise_id), "certificate_revoked", _l(
            "Certificate of export eligibility %(number)s is revoked: %(reason)s",
            number=certificate.number, reason=reason.strip()), link("exporter.registrations"))
    db.session.expire(certificate)
    return certificate
