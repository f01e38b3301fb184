"""The append-only audit trail, each row chained to the previous one by SHA-256."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow

GENESIS_HASH = "0" * 64


class AuditHead(db.Model):
    """The single row holding the chain's tip; updating it serialises appends."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class AuditEvent(db.Model):
    """Who did what, when, to which object; `hash` covers `prev_hash` and the content."""

    __tablename__ = "audit_event"
    __table_args__ = (
        # The workflow's transitions of each application in order, read from the index alone:
        # the dashboard's days per stage (migration 0005).
        Index("ix_audit_event_transition", "application_id", "seq", "at", "from_state",
              "to_state", sqlite_where=text("to_state IS NOT NULL"),
              postgresql_where=text("to_state IS NOT NULL")),
        # Who saved an object last, named when an edit of it turns out stale (migration 0036).
        Index("ix_audit_event_object", "object_type", "object_id", "seq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor = relationship("User")


class AuditAnchor(db.Model):
    """The chain's head on a day, signed with the authority's seal key: whoever keeps the
    exported anchors can tell a chain rewritten end to end (with database access) from the
    one that was anchored."""

    __tablename__ = "audit_anchor"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)  # base64 of the raw signature
    certificate: Mapped[str] = mapped_column(Text)  # PEM of the signing certificate
    signer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
