"""Anchors of the audit chain: its head, once a day, signed with the authority's seal key.

The chain (services/audit.py) shows a row changed or removed, but someone with write access to
the database could rewrite every row and hash after it. An anchor is the head (sequence number
and hash) signed with the seal key, which the database does not hold; exported and kept
elsewhere (`flask export-audit-anchors`), the anchors make such a rewrite visible: the hash of
the anchored row no longer matches, and no new anchor can be signed for the past without the key.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditAnchor, AuditEvent, AuditHead
from certtrack.models.audit import GENESIS_HASH
from certtrack.services.audit import ensure_audit_head
from certtrack.services.seal import seal_key
from certtrack.services.transaction import transaction

PREFIX = "certtrack-audit-anchor"


def message(day: date, seq: int, head_hash: str) -> bytes:
    """The bytes an anchor's signature covers."""
    return f"{PREFIX}|{day.isoformat()}|{seq}|{head_hash}".encode()


def _sign(data: bytes) -> tuple[bytes, str, str]:
    """Sign with the seal's key (a file or a token alike, through pyHanko's signer); return
    the signature, the signing certificate (PEM) and its holder's name."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509 import load_der_x509_certificate

    key = seal_key()
    signature = asyncio.run(key.signer.async_sign_raw(data, "sha256"))
    certificate = load_der_x509_certificate(key.signer.signing_cert.dump())
    return signature, certificate.public_bytes(Encoding.PEM).decode(), key.name


def anchor_day(day: date) -> AuditAnchor:
    """Sign and store the chain's current head as the anchor of `day`; the day's anchor when
    it exists already (a second run the same day changes nothing).

    :raise seal.SealUnavailable: the seal cannot be loaded.
    """
    existing = db.session.scalar(select(AuditAnchor).where(AuditAnchor.day == day))
    if existing is not None:
        return existing
    ensure_audit_head()
    head = db.session.get(AuditHead, 1)
    signature, pem, signer = _sign(message(day, head.seq, head.last_hash))
    with transaction():
        anchor = AuditAnchor(day=day, seq=head.seq, head_hash=head.last_hash,
                             signature=base64.b64encode(signature).decode(), certificate=pem,
                             signer=signer)
        db.session.add(anchor)
    return anchor


def signature_valid(anchor) -> bool:
    """True when the anchor's signature is its certificate's over its day, seq and hash."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.x509 import load_pem_x509_certificate

    public_key = load_pem_x509_certificate(anchor.certificate.encode()).public_key()
    data = message(anchor.day, anchor.seq, anchor.head_hash)
    signature = base64.b64decode(anchor.signature)
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True


@dataclass
class AnchorReport:
    """What checking the anchors found: how many were checked, and each one that fails."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)


def verify_anchors() -> AnchorReport:
    """Check every anchor: its signature, and that the chain's row at its sequence number still
    has the anchored hash (a chain rewritten after the anchor no longer has it)."""
    report = AnchorReport()
    anchors = db.session.scalars(select(AuditAnchor).order_by(AuditAnchor.day)).all()
    hashes = dict(db.session.execute(select(AuditEvent.seq, AuditEvent.hash).where(
        AuditEvent.seq.in_([a.seq for a in anchors]))).all())
    hashes[0] = GENESIS_HASH
    for anchor in anchors:
        report.checked += 1
        if not signature_valid(anchor):
            report.problems.append(f"{anchor.day}: the signature does not match")
        elif hashes.get(anchor.seq) != anchor.head_hash:
            report.problems.append(f"{anchor.day}: row {anchor.seq} of the chain no longer has "
                                   "the anchored hash (the chain was rewritten)")
    return report


def exported() -> list[dict]:
    """Every anchor as a plain record, oldest first, to keep outside the database."""
    return [{"day": a.day.isoformat(), "seq": a.seq, "head_hash": a.head_hash,
             "signature": a.signature, "signer": a.signer, "certificate": a.certificate}
            for a in db.session.scalars(select(AuditAnchor).order_by(AuditAnchor.day))]
