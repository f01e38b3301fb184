"""Issuing phytosanitary and veterinary certificates: gate re-checked, gapless numbers, PDF queued.

One short write transaction, as for certificates of export eligibility (security.md items 19,
20, 22): the guarded UPDATE of the consignment (under_inspection -> issued) takes the write lock
first, so of racing issuers exactly one goes on; the gate is then checked again under that lock;
the number comes from one UPDATE ... RETURNING of the kind's counter for the year; the row keeps
the number and the context the PDF prints, so the number is never lost. The PDF is rendered,
sealed and attached by the queue after the commit (consignments.printing). A refusal raises
before anything is written, so no row and no number are used.
"""

import json
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from certtrack.domain.consignment import format_consignment_certificate_number
from certtrack.domain.verification import new_verification_code
from certtrack.extensions import db
from certtrack.models import (
    Consignment,
    ConsignmentCertificate,
    ConsignmentCertificateCounter,
    User,
)
from certtrack.pdf import consignment_json
from certtrack.services import queue
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.consignments.context import consignment_context
from certtrack.services.consignments.gate import gate_refusals
from certtrack.services.consignments.in_force import certificate_in_force, current_certificate
from certtrack.services.consignments.inspection import issue_blockers, require_inspector
from certtrack.services.consignments.printing import (
    freeze,
    render_pending_consignment_certificate,
)
from certtrack.services.consignments.workflow import apply_consignment_transition, check_version
from certtrack.services.errors import ValidationFailed
from certtrack.services.notifications import enterprise_users, link, notify, verification_url
from certtrack.services.officials import unsigned_refusal
from certtrack.services.printed_names import unprintable
from certtrack.services.reasons import require_reason
from certtrack.services.transaction import transaction


def next_consignment_serial(kind: str, year: int) -> int:
    """Move the counter of (kind, year) by one and return the new serial, in the caller's
    transaction; the row is created first when missing (a racing creation is ignored)."""
    if db.session.get(ConsignmentCertificateCounter, (kind, year)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(ConsignmentCertificateCounter(kind=kind, year=year,
                                                             last_serial=0))
        except IntegrityError:
            pass
    return db.session.execute(
        update(ConsignmentCertificateCounter)
        .where(ConsignmentCertificateCounter.kind == kind,
               ConsignmentCertificateCounter.year == year)
        .values(last_serial=ConsignmentCertificateCounter.last_serial + 1)
        .returning(ConsignmentCertificateCounter.last_serial)).scalar_one()


def _unprintable(consignment: Consignment) -> list[str]:
    return unprintable(consignment.enterprise, consignment.registration.establishment)


def _unsigned(officer: User) -> list[str]:
    """The refusal of an officer whose name the certificate cannot print yet, if any."""
    refusal = unsigned_refusal(officer)
    return [refusal] if refusal else []


def issue_refusals(consignment: Consignment, officer: User | None = None) -> list[str]:
    """Everything that stops the consignment's certificate from being issued now, in words
    (the gate's refusals, what the inspection lacks, what cannot be printed); [] when nothing
    does. Changes nothing."""
    return (gate_refusals(consignment) + issue_blockers(consignment) + _unprintable(consignment)
            + (_unsigned(officer) if officer is not None else []))


def _refuse_if_barred(consignment: Consignment, officer: User) -> None:
    problems = issue_refusals(consignment, officer)
    if problems:
        raise ValidationFailed({"": problems}, _("The certificate cannot be issued."))


def _store(actor: User, consignment: Consignment, context: dict, code: str,
           replaces: ConsignmentCertificate | None) -> ConsignmentCertificate:
    certificate = ConsignmentCertificate(
        consignment_id=consignment.id, registration_id=consignment.registration_id,
        kind=consignment.kind, number=context["number"], year=context["issued_on"].year,
        serial=int(context["number"].rsplit("-", 1)[1]), verification_code=code,
        replaces_id=replaces.id if replaces else None, pdf_id=None,
        data=json.loads(consignment_json(context)), context=freeze(context),
        issued_on=context["issued_on"],
        registration_status_at_issue=consignment.registration.status, issued_by_id=actor.id)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def _write(actor: User, consignment: Consignment, today: date,
           replaces: ConsignmentCertificate | None = None,
           reason: str = "") -> ConsignmentCertificate:
    serial = next_consignment_serial(consignment.kind, today.year)
    number = format_consignment_certificate_number(consignment.kind, today.year, serial)
    code = new_verification_code()
    context = consignment_context(
        consignment, number=number, verification_url=verification_url(number, code, "consignment"),
        issued_on=today, officer=actor, replaces=replaces.number if replaces else None)
    certificate = _store(actor, consignment, context, code, replaces)
    record_event(actor, "consignment_certificate_issued", object_type="consignment",
                 object_id=consignment.id, comment=reason,
                 data={"number": number, "replaces": context.get("replaces"),
                       "registration": consignment.registration.china_number})
    message = (_l("Certificate %(number)s replaces %(old)s for consignment %(ref)s, which is no "
                  "longer valid: %(reason)s", number=number, old=replaces.number,
                  ref=consignment.reference, reason=reason) if replaces is not None else
               _l("Certificate %(number)s is issued for consignment %(ref)s.", number=number,
                  ref=consignment.reference))
    notify(enterprise_users(consignment.enterprise_id), "consignment_certificate_issued",
           message, link("consignments.detail", consignment_id=consignment.id))
    return certificate


def issue_consignment_certificate(actor: User, consignment: Consignment,
                                  version=None) -> ConsignmentCertificate:
    """Take the consignment's inspector and a consignment under inspection; issue its
    certificate in one short transaction and queue its PDF. A corrected consignment's
    certificate replaces the one in force, with the correction's reason.

    :raise PermissionDenied: not an inspector of its committee and region.
    :raise ValidationFailed: the gate refuses now (registration suspended, expired, revoked...
        saying which and since when; no market access), or the inspection is not satisfactory;
        nothing is written and no number is used.
    :raise IllegalTransition / Conflict: no longer under inspection (issued by a racing request).
    """
    require_inspector(actor, consignment)
    check_version(consignment, version)
    _refuse_if_barred(consignment, actor)
    today, reason = local_today(), consignment.correction_reason
    with transaction():
        apply_consignment_transition(actor, consignment, "issue",  # the write lock
                                     values={"correction_reason": ""})
        db.session.refresh(consignment)
        _refuse_if_barred(consignment, actor)  # again, under the lock
        # A corrected consignment's certificate in force: the new one replaces it.
        replaces = certificate_in_force(consignment)
        certificate = _write(actor, consignment, today, replaces, reason if replaces else "")
    _queue_pdf(certificate)
    return certificate


def _queue_pdf(certificate: ConsignmentCertificate) -> None:
    queue.enqueue_or_run("render_consignment_certificate",
                         render_pending_consignment_certificate, certificate.id)


def replace_consignment_certificate(actor: User, certificate: ConsignmentCertificate,
                                    reason: str) -> ConsignmentCertificate:
    """Issue a replacement (ISPM 12 section 6.1): a new number naming the original, which
    becomes 'replaced'. The gate is checked again as for an issue.

    :raise ValidationFailed: no reason; already replaced; the gate refuses now.
    """
    consignment = certificate.consignment
    require_inspector(actor, consignment)
    require_reason(reason)
    if certificate.replaced_by:
        raise ValidationFailed({"": [_("Certificate %(number)s has already been replaced.",
                                       number=certificate.number)]})
    if certificate.cancelled_on is not None:
        raise ValidationFailed({"": [_("Certificate %(number)s is cancelled.",
                                       number=certificate.number)]})
    if consignment.state != "issued":  # being corrected (a stale page): its issue replaces it
        raise ValidationFailed({"": [_("Consignment %(ref)s is being corrected: the "
                                       "certificate issued next replaces %(number)s.",
                                       ref=consignment.reference, number=certificate.number)]})
    if problems := gate_refusals(consignment) + _unprintable(consignment) + _unsigned(actor):
        raise ValidationFailed({"": problems})
    try:
        with transaction():
            replacement = _write(actor, consignment, local_today(), certificate, reason.strip())
    except IntegrityError as error:  # a racing replacement of the same certificate
        raise ValidationFailed({"": [_("Certificate %(number)s has already been replaced.",
                                       number=certificate.number)]}) from error
    _queue_pdf(replacement)
    return replacement


def replace_current_certificate(actor: User, consignment: Consignment, reason: str,
                                number: str | None = None) -> ConsignmentCertificate:
    """Replace the consignment's current certificate (replace_consignment_certificate): the
    one numbered `number`, the form's, when given.

    :raise ValidationFailed: the consignment has none (a stale or crafted form); `number` is
        no longer current (the form sent twice, or from an old page): nothing is issued.
    """
    require_inspector(actor, consignment)
    certificate = current_certificate(consignment)
    if certificate is None:
        raise ValidationFailed({"": [_("Consignment %(ref)s has no certificate to replace.",
                                       ref=consignment.reference)]})
    if number and number != certificate.number:
        raise ValidationFailed({"": [_(
            "Certificate %(old)s was replaced already: %(new)s is current. The form was sent "
            "twice or from an old page, and no other certificate was issued.",
            old=number, new=certificate.number)]})
    return replace_consignment_certificate(actor, certificate, reason)
