"""Uploaded supporting documents; every upload is a new row, never an overwrite."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow

CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png")


class Document(db.Model):
    """One version of a document of an application, stored on disk under its SHA-256."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("application_id", "document_type_code", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    document_type_code: Mapped[str] = mapped_column(ForeignKey("document_type.code"))
    version: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_status: Mapped[str] = mapped_column(String(16), default="pending")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application = relationship("Application", back_populates="documents")
    document_type = relationship("DocumentType", lazy="joined")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
