"""Machine access: accredited laboratories, personal access tokens, idempotency keys, webhooks."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from certtrack.extensions import db
from certtrack.models.base import LocalizedNames, UTCDateTime, utcnow


class Laboratory(LocalizedNames, db.Model):
    """An accredited testing laboratory: its name in each language, the parameters it is
    accredited for in which product groups, and until when."""

    __tablename__ = "laboratory"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The name in English, as on the accreditation (unique); its Kazakh, Russian and Chinese
    # names are shown to readers of those languages (name_in).
    name: Mapped[str] = mapped_column(String(300), unique=True)
    name_kk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    name_ru: Mapped[str] = mapped_column(String(300), default="", server_default="")
    name_zh: Mapped[str] = mapped_column(String(300), default="", server_default="")
    accreditation_number: Mapped[str] = mapped_column(String(64), default="")
    accredited_until: Mapped[date] = mapped_column(Date)
    # The parameters (lab_limit.parameter) in the laboratory's scope of accreditation.
    parameters: Mapped[list] = mapped_column(JSON, default=list)
    # The product groups (gacc_category.code) it is accredited to test for those parameters:
    # lead in grain is not lead in meat. None recorded (a laboratory recorded before scopes
    # named them): every group.
    categories: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    name_en = synonym("name")


class ApiToken(db.Model):
    """A personal access token: only the SHA-256 of its secret is kept."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("user_id", "creation_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(100))  # space-separated: read write
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to recognise it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    # The one-time key of the form that created it (services.creation_keys), or None.
    creation_key: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User")

    @property
    def scope_set(self) -> set[str]:
        """The scopes as a set."""
        return set(self.scopes.split())


class IdempotencyRecord(db.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed to its retries."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)  # None while the first request runs
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Webhook(db.Model):
    """An HTTPS endpoint a user's system receives the state changes of its objects at."""

    __tablename__ = "webhook"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookDelivery(db.Model):
    """One event to deliver to a webhook, with its attempts (the outbox of machines)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "delivered_at", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id"), index=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"))
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")

    webhook = relationship("Webhook")
