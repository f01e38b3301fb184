"""What a consignment certificate's status is today, and its public verification."""

import hashlib
import hmac
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain.consignment import parse_consignment_certificate_number
from certtrack.domain.identifiers import IdentifierError
from certtrack.domain.verification import code_matches, new_verification_code
from certtrack.extensions import db
from certtrack.models import ConsignmentCertificate, StoredPdf, VerificationLog
from certtrack.services.consignments.access import can_see_consignment
from certtrack.services.consignments.context import lot_line
from certtrack.services.errors import NotFound
from certtrack.services.print_context import names
from certtrack.services.transaction import transaction
from certtrack.services.verification import MAX_CODE_LENGTH, throttle

_DUMMY_CODE = new_verification_code()


def certificate_status(certificate: ConsignmentCertificate) -> str:
    """'replaced' when a newer certificate replaces it, 'cancelled' when its inspector
    cancelled it (the goods did not leave, or it was issued in error), else 'valid'.

    A consignment certificate certifies a shipment at the time of issue: a later suspension
    of the registration does not void it (verification shows the registration's status
    beside it).
    """
    if certificate.replaced_by:
        return "replaced"
    return "cancelled" if certificate.cancelled_on is not None else "valid"


@dataclass(frozen=True)
class ConsignmentVerification:
    """The answer to a look-up: the certificate, its status, the registration's status today
    and at issue, and the SHA-256 of the issued PDF ("" while the queue prepares it); or
    nothing when not found."""

    certificate: ConsignmentCertificate | None
    status: str = ""
    registration_status: str = ""
    sha256: str = ""
    identical: bool | None = None  # an uploaded PDF compared with the issued one

    @property
    def goods(self) -> list[dict]:
        """The certificate's product lines as issued (HS code, names by language, net
        weight, unit, packages, marks such as wagon and seal numbers): the context frozen at
        issue, or the consignment's lots for a certificate issued before it was kept."""
        context = self.certificate.context if self.certificate is not None else None
        if context is not None:
            return context.get("lots", [])
        return [lot_line(lot) for lot in self.certificate.consignment.lots] if self.found else []

    @property
    def facts(self) -> dict:
        """The consignment's particulars as the certificate printed them: the exporter's names,
        the establishment's name as printed (English and Chinese), the consignee, the point of
        entry's names, the conveyance's code and the origin (its place and region's names). A
        draft being corrected, or the replacement's data, never shows beside a certificate that
        did not print it; a certificate issued before the context was kept shows the
        consignment as it is."""
        context = self.certificate.context if self.certificate is not None else None
        if context is not None:
            return {"exporter": context["exporter"]["name"],
                    "establishment": context["establishment"]["name"],
                    "consignee": context["consignee"]["name"],
                    "point_of_entry": context["point_of_entry"]["name"],
                    "conveyance": context["conveyance"]["code"],
                    "place": context["origin"]["place"], "region": context["origin"]["region"]}
        consignment = self.certificate.consignment
        return {"exporter": names(consignment.enterprise),
                "establishment": names(consignment.registration.establishment),
                "consignee": consignment.consignee_name,
                "point_of_entry": names(consignment.crossing),
                "conveyance": consignment.conveyance, "place": consignment.place_of_origin,
                "region": names(consignment.origin_region)}

    @property
    def found(self) -> bool:
        """True when number and code matched."""
        return self.certificate is not None

    @property
    def replacement(self) -> str:
        """The number of the certificate in force that replaces this one, at the end of the
        chain of replacements ("" when none): an officer holding the replaced paper asks for
        that one and checks it with its own code."""
        newest, current, seen = "", self.certificate, set()
        while current is not None and current.replaced_by and current.id not in seen:
            seen.add(current.id)
            current = current.replaced_by[0]
            newest = current.number
        return newest


def find(number: str, code: str) -> ConsignmentCertificate | None:
    """The certificate with this number and verification code, compared in constant time."""
    try:
        kind, year, serial = parse_consignment_certificate_number(number or "")
    except IdentifierError:
        certificate = None
    else:
        certificate = db.session.scalar(select(ConsignmentCertificate).where(
            ConsignmentCertificate.kind == kind.value, ConsignmentCertificate.year == year,
            ConsignmentCertificate.serial == serial))
    expected = certificate.verification_code if certificate is not None else _DUMMY_CODE
    matches = code_matches(expected, (code or "")[:MAX_CODE_LENGTH])
    return certificate if certificate is not None and matches else None


def verify_consignment_certificate(address: str | None, number: str, code: str,
                                   channel: str = "qr",
                                   content: bytes | None = None) -> ConsignmentVerification:
    """Take the visitor's address, a number, a code and the channel (qr, form or pdf); return
    what the public may know. With `content` (an uploaded PDF), also say whether it is the
    issued PDF byte for byte. Counts the look-up in the throttle and logs it; one commit.

    :raise Throttled: too many look-ups from this address.
    """
    with transaction():
        throttle(address)
        certificate = find(number, code)
        answer = ConsignmentVerification(None)
        if certificate is not None:
            sha256 = db.session.scalar(select(StoredPdf.sha256).where(
                StoredPdf.id == certificate.pdf_id))
            answer = ConsignmentVerification(
                certificate, certificate_status(certificate), certificate.registration.status,
                sha256 or "", None if content is None else same_pdf(certificate, content))
        result = answer.status or "not_found"
        if answer.identical is not None:
            result = "identical" if answer.identical else "different"
        db.session.add(VerificationLog(channel=channel, result=result,
                                       data={"consignment_certificate": certificate.id}
                                       if certificate else {}))
    return answer


def same_pdf(certificate: ConsignmentCertificate, content: bytes) -> bool:
    """True when `content` is byte-identical to the PDF issued with the certificate (False
    while its PDF is being prepared)."""
    if certificate.pdf_id is None:
        return False
    stored = db.session.get(StoredPdf, certificate.pdf_id)
    return hmac.compare_digest(hashlib.sha256(content).hexdigest(), stored.sha256)


def get_consignment_certificate(actor, certificate_id: int) -> ConsignmentCertificate:
    """A consignment certificate whose consignment the actor may see.

    :raise NotFound: unknown or outside the actor's scope.
    """
    certificate = db.session.get(ConsignmentCertificate, certificate_id)
    if certificate is None or not can_see_consignment(actor, certificate.consignment):
        raise NotFound(_("No such certificate."))
    return certificate


def certificates_of(consignment) -> list[ConsignmentCertificate]:
    """The consignment's certificates, newest first."""
    return list(db.session.scalars(select(ConsignmentCertificate).where(
        ConsignmentCertificate.consignment_id == consignment.id)
        .order_by(ConsignmentCertificate.id.desc())))


def certificates_of_many(consignment_ids: list[int]) -> dict[int, list[ConsignmentCertificate]]:
    """The certificates of several consignments, newest first each, in one query (a list
    page)."""
    found: dict[int, list[ConsignmentCertificate]] = {}
    if consignment_ids:
        for certificate in db.session.scalars(select(ConsignmentCertificate).where(
                ConsignmentCertificate.consignment_id.in_(consignment_ids))
                .order_by(ConsignmentCertificate.id.desc())):
            found.setdefault(certificate.consignment_id, []).append(certificate)
    return found


def stored_pdf(certificate: ConsignmentCertificate) -> StoredPdf | None:
    """The PDF issued with the certificate, exactly as stored; None while the queue is still
    rendering it."""
    if certificate.pdf_id is None:
        return None
    return db.session.get(StoredPdf, certificate.pdf_id)
