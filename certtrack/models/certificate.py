"""Issued certificates, their numbering counter, stored PDFs and the verification log."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow


class StoredPdf(db.Model):
    """An issued PDF: its SHA-256 and the key of its bytes in the storage every server sees
    (services/storage.py, written before the row commits). Rows written before that storage
    existed hold the bytes in `content` instead; both are read alike."""

    __tablename__ = "stored_pdf"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # certificate or dossier
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    storage_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertificateCounter(db.Model):
    """The last serial number used in a year; moved by one atomic UPDATE ... RETURNING."""

    __tablename__ = "certificate_counter"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(db.Model):
    """A certificate of export eligibility issued for an active registration."""

    __tablename__ = "certificate"
    __table_args__ = (UniqueConstraint("year", "serial"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    verification_code: Mapped[str] = mapped_column(String(64))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id"), unique=True)
    # None while the PDF is being prepared (rendered and sealed by a background job).
    pdf_id: Mapped[int | None] = mapped_column(ForeignKey("stored_pdf.id"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    registration = relationship("Registration")
    pdf = relationship("StoredPdf", lazy="raise_on_sql")
    replaces = relationship("Certificate", remote_side=[id], foreign_keys=[replaces_id],
                            backref="replaced_by")
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])


class Dossier(db.Model):
    """A stored recommendation dossier for one application or one GACC batch; versioned."""

    __tablename__ = "dossier"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    gacc_batch_id: Mapped[int | None] = mapped_column(ForeignKey("gacc_batch.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    pdf_id: Mapped[int] = mapped_column(ForeignKey("stored_pdf.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    pdf = relationship("StoredPdf", lazy="raise_on_sql")


class VerificationLog(db.Model):
    """One public verification: when, through which channel, with what answer (no personal data)."""

    __tablename__ = "verification_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    channel: Mapped[str] = mapped_column(String(16))  # qr, form, pdf
    result: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
