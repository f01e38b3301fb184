"""GACC batches and registrations: China's listing of an establishment for a category."""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.domain.vocabulary import ListingRoute, codes
from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow

ROUTES = codes(ListingRoute)


class GaccBatch(db.Model):
    """A request sent to GACC covering several recommended applications."""

    __tablename__ = "gacc_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    applications = relationship("Application", back_populates="gacc_batch")


class Registration(db.Model):
    """A China registration number of an establishment for a GACC category, and its status."""

    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("china_number"),
        # Registrations in force, counted per category and region from the index alone.
        Index("ix_registration_in_force", "status", "valid_to", "gacc_category_code",
              "establishment_id"),
        # An enterprise's registrations in force with their numbers, from the index alone: the
        # public register walks enterprises by name and looks their registrations up here.
        Index("ix_registration_enterprise_in_force", "enterprise_id", "status", "valid_to",
              "china_number"),
        # An establishment's registrations, whether they are in force and their category, from
        # the index alone: the register filtered by region reads them establishment by
        # establishment.
        Index("ix_registration_establishment_in_force", "establishment_id", "status",
              "valid_to", "gacc_category_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    gacc_category_code: Mapped[str] = mapped_column(ForeignKey("gacc_category.code"))
    china_number: Mapped[str] = mapped_column(String(18))
    listing_date: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    route: Mapped[str] = mapped_column(String(32))
    regime: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="active")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspension_authority: Mapped[str] = mapped_column(String(200), default="")
    suspension_reason: Mapped[str] = mapped_column(Text, default="")
    suspended_from: Mapped[date | None] = mapped_column(Date)
    suspended_until: Mapped[date | None] = mapped_column(Date)
    products_produced_from: Mapped[date | None] = mapped_column(Date)
    status_reference: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    application = relationship("Application", foreign_keys=[application_id])
    enterprise = relationship("Enterprise")
    establishment = relationship("Establishment")
    gacc_category = relationship("GaccCategory", lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class Notification(db.Model):
    """An in-app message for one user; `dedupe_key` makes repeated jobs write it once."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notification_user_read", "user_id", "read_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(32))
    # As its recipient's language had it when it was made (the e-mail's and webhook's text).
    message: Mapped[str] = mapped_column(Text)
    # The untranslated message and its arguments, so that the page shows it in the language
    # its reader has now (services/notifications.message_of); None for a plain text.
    message_id: Mapped[str | None] = mapped_column(Text)
    message_args: Mapped[dict | None] = mapped_column(JSON)
    # Where the notification leads: an endpoint and its arguments, built into a URL by whoever
    # shows it (the page with url_for, the e-mail from PUBLIC_BASE_URL), never stored as one.
    endpoint: Mapped[str] = mapped_column(String(64), default="")
    endpoint_args: Mapped[dict] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def link(self) -> str:
        """The path the notification leads to, '' when none (built without a request)."""
        if not self.endpoint:
            return ""
        return current_app.url_map.bind("localhost").build(self.endpoint,
                                                           self.endpoint_args or {})


class OutboxEmail(db.Model):
    """An e-mail waiting to be sent when SMTP is configured."""

    __tablename__ = "outbox_email"
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
