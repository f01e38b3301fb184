"""Public verification of a certificate by number and code, the PDF check, throttle and log.

A wrong code and an unknown number give the same answer (docs/security.md item 27): the code is
compared in constant time, against a dummy when the number is unknown. Every look-up is written
to the verification log with its channel and result, never with the visitor's address, and
kept 90 days; the throttle counts by a keyed hash of the address.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from flask import current_app
from flask_babel import ngettext
from sqlalchemy import delete, select

from certtrack.domain.identifiers import (
    IdentifierError,
    format_certificate_number,
    parse_certificate_number,
)
from certtrack.domain.verification import code_matches, new_verification_code
from certtrack.extensions import db
from certtrack.models import Certificate, StoredPdf, VerificationLog
from certtrack.models.base import utcnow
from certtrack.pdf.seal import SealCheck, check_seal
from certtrack.services import throttle as counters
from certtrack.services.certificates import certificate_status
from certtrack.services.errors import Throttled
from certtrack.services.print_context import current_application
from certtrack.services.seal import seal_key
from certtrack.services.transaction import transaction

CHANNELS = ("qr", "form", "pdf", "api")
LOG_KEPT_DAYS = 90
MAX_CODE_LENGTH = 64
_DUMMY_CODE = new_verification_code()


@dataclass(frozen=True)
class Verification:
    """The answer to a look-up: the certificate and its status, or neither when not found.

    `sha256` is that of the issued PDF ("" while it is being prepared); `identical` is set by
    the PDF check only, and only once the PDF is stored.
    """

    certificate: Certificate | None
    status: str | None = None
    sha256: str = ""
    identical: bool | None = None

    @property
    def found(self) -> bool:
        """True when the number and the code matched a certificate."""
        return self.certificate is not None

    @property
    def _newer(self) -> Certificate | None:
        """The newest certificate of the chain that replaces this one: a replacement may have
        been revoked and replaced in turn, and the officer asks for the one in force."""
        newest, current, seen = None, self.certificate, set()
        while current is not None and current.replaced_by and current.id not in seen:
            seen.add(current.id)
            newest = current = current.replaced_by[0]
        return newest

    @property
    def replacement(self) -> str:
        """The number of the certificate that replaces this one ("" when none); its own code
        is needed to check it."""
        return self._newer.number if self._newer is not None else ""

    @cached_property
    def uncovered(self) -> frozenset[str]:
        """The HS codes the certificate lists that its registration no longer covers (a change
        GACC accepted since it was issued removed them); empty when found nothing."""
        if self.certificate is None:
            return frozenset()
        covered = {line.product.hs_code for line in
                   current_application(self.certificate.registration).products}
        return frozenset(line["hs_code"] for line in self.certificate.data.get("products", [])
                         if line["hs_code"] not in covered)

    @property
    def replacement_revoked(self) -> bool:
        """True when the replacement was revoked since: the certificate an officer would ask
        for next is not in force either (without its code, the officer could not learn it)."""
        return self._newer is not None and self._newer.revoked_at is not None


def throttle(address: str | None) -> None:
    """Count one look-up from `address` (kept as a keyed hash), or refuse it: one atomic
    statement, so that parallel look-ups cannot pass the limit together.

    :raise Throttled: VERIFY_MAX_PER_WINDOW look-ups already made within VERIFY_WINDOW.
    """
    config = current_app.config
    window = config["VERIFY_WINDOW"].total_seconds()
    policy = counters.Policy(config["VERIFY_MAX_PER_WINDOW"], window, window, window)
    decision = counters.take("verify:" + counters.keyed_hash(address)[:40], policy)
    if not decision.allowed:
        raise Throttled(ngettext(
            "Too many verifications from your address. Try again in %(num)d minute.",
            "Too many verifications from your address. Try again in %(num)d minutes.",
            (decision.retry_after + 59) // 60), decision.retry_after)


def purge_log(days: int = LOG_KEPT_DAYS) -> int:
    """Delete verification log rows older than `days` (the daily run); return how many."""
    with transaction():
        done = db.session.execute(delete(VerificationLog).where(
            VerificationLog.at < utcnow() - timedelta(days=days)))
    return done.rowcount or 0


def _normalised(number: str) -> str | None:
    try:
        return format_certificate_number(*parse_certificate_number(number or ""))
    except IdentifierError:
        return None


def find_certificate(number: str, code: str) -> Certificate | None:
    """The certificate with this number whose verification code is `code`, else None.

    The code is compared in constant time whether or not the number exists, in any case and
    with or without separators (domain.verification.code_matches).
    """
    normalised = _normalised(number)
    certificate = None
    if normalised is not None:
        certificate = db.session.scalar(select(Certificate).where(
            Certificate.number == normalised))
    expected = certificate.verification_code if certificate is not None else _DUMMY_CODE
    matches = code_matches(expected, (code or "")[:MAX_CODE_LENGTH])
    return certificate if certificate is not None and matches else None


def _answer(certificate: Certificate | None, content: bytes | None) -> Verification:
    if certificate is None:
        return Verification(None)
    sha256 = db.session.scalar(select(StoredPdf.sha256).where(StoredPdf.id ==
                                                              certificate.pdf_id))
    identical = None
    if sha256 is None:  # issued; the queue has not stored its PDF yet
        return Verification(certificate, certificate_status(certificate), "", None)
    if content is not None:
        identical = hmac.compare_digest(hashlib.sha256(content).hexdigest(), sha256)
    return Verification(certificate, certificate_status(certificate), sha256, identical)


def _result(answer: Verification) -> str:
    if not answer.found:
        return "not_found"
    if not answer.sha256:
        return "preparing"
    if answer.identical is not None:
        return "identical" if answer.identical else "different"
    return answer.status


def verify(address: str | None, number: str, code: str, channel: str,
           content: bytes | None = None) -> Verification:
    """Take the visitor's address, a number, a code and the channel (qr, form or pdf); return
    what the public may know of the certificate. With `content` (an uploaded PDF), also say
    whether it is byte-identical to the PDF issued with that certificate.

    Writes the throttle attempt and a VerificationLog row (time, channel, result, certificate
    when matched, status for a PDF check); one commit.
    :raise Throttled: too many look-ups from this address (nothing is written).
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    with transaction():
        throttle(address)
        answer = _answer(find_certificate(number, code), content)
        db.session.add(VerificationLog(
            channel=channel, result=_result(answer),
            certificate_id=answer.certificate.id if answer.found else None,
            data={"status": answer.status} if answer.found and content is not None else {}))
    return answer


def check_uploaded_seal(address: str | None, content: bytes) -> SealCheck:
    """Take the visitor's address and an uploaded PDF; say whether its electronic seal is
    intact and by whom, trusting the CA certificates of the authority's seal.

    Counts one look-up in the throttle (one commit); nothing is kept of the file.
    :raise Throttled: too many look-ups from this address.
    :raise SealUnavailable: the seal's CA certificates cannot be loaded.
    """
    with transaction():
        throttle(address)
    return check_seal(content, seal_key().trust_roots)
