"""The electronic seal of an issued PDF (PAdES baseline B-B, pyHanko) and its check.

The seal is added as an incremental update: the PDF/A-3b document WeasyPrint wrote stays as it
is byte for byte (metadata, output intent, fonts, associated files), followed by an invisible
signature field (a zero-area widget with the print flag, which PDF/A asks no appearance of)
whose CMS signature covers the whole file. The signature dictionary carries the signing time
(/M). A development CA publishes no revocation data, so the level is B-B; B-LT would add the
chain's OCSP or CRL answers where the issuing CA publishes them.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from certtrack.pdf.rendered import RenderedPdf
from certtrack.pdf.seal_keys import DEVELOPMENT_SEAL_NAME, SealKey

FIELD_NAME = "Seal"
RESULTS = ("intact", "altered", "untrusted", "unsealed", "unreadable")


@dataclass(frozen=True)
class SealCheck:
    """What the check of a PDF found: `result` is one of RESULTS; `signer` the common name of
    the sealing certificate and `signed_at` the signing time (ISO), when a seal was found."""

    result: str
    signer: str = ""
    signed_at: str = ""

    @property
    def development(self) -> bool:
        """True when the seal is the development seal, which is not valid for export."""
        return self.signer == DEVELOPMENT_SEAL_NAME


def seal_pdf(rendered: RenderedPdf, key: SealKey, location: str = "",
             long_term: bool = False) -> RenderedPdf:
    """Take a rendered PDF and a seal; return the sealed PDF (its bytes and their SHA-256).

    `long_term` (PAdES B-LT) fetches the chain's revocation data (OCSP, CRL) and embeds it.
    Raises what pyHanko raises when the file cannot be read, the key cannot sign or the
    revocation data cannot be fetched.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator import ValidationContext

    writer = IncrementalPdfFileWriter(io.BytesIO(rendered.content), strict=False)
    # pyHanko would rewrite the XMP packet and append itself to the Info dictionary's
    # /Producer, so that the two disagree (PDF/A-3 clause 6.6.2.3.1). The metadata stays as
    # WeasyPrint wrote it; the way out is the one pyHanko's author gives (pyHanko issue 223).
    writer._update_meta = lambda: None  # noqa: SLF001
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=key.name, location=location or None, embed_validation_info=long_term,
        validation_context=ValidationContext(trust_roots=list(key.trust_roots),
                                             allow_fetching=True) if long_term else None)
    output = signers.PdfSigner(metadata, signer=key.signer).sign_pdf(writer)
    content = output.getvalue()
    return RenderedPdf(content, hashlib.sha256(content).hexdigest(), rendered.pages)


def check_seal(content: bytes, trust_roots: tuple) -> SealCheck:
    """Take a PDF's bytes and the CA certificates to trust; say whether its seal is intact,
    by whom and when. "altered": the sealed bytes were changed, or more was added after the
    seal; "untrusted": intact but sealed by a certificate outside `trust_roots`."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return SealCheck("unreadable")
    if not signatures:
        return SealCheck("unsealed")
    return _validate(signatures[-1], trust_roots)


def _validate(signature, trust_roots: tuple) -> SealCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        return SealCheck("altered")
    signer = _common_name(status.signing_cert) if status.signing_cert else ""
    signed_at = signature.self_reported_timestamp
    when = signed_at.isoformat(timespec="seconds") if signed_at else ""
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not (status.intact and status.valid and whole):
        return SealCheck("altered", signer, when)
    return SealCheck("intact" if status.trusted else "untrusted", signer, when)


def _common_name(cert) -> str:
    attributes = cert.subject.native
    return attributes.get("common_name") or cert.subject.human_friendly
