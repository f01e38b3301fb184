"""Certification applications (enterprise × establishment × GACC category × kind) and products."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.domain.vocabulary import ApplicationKind, HaccpStatus, VolumeUnit, WaterSource, codes
from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow

KINDS = codes(ApplicationKind)
HACCP_STATUSES = codes(HaccpStatus)
WATER_SOURCES = codes(WaterSource)
VOLUME_UNITS = codes(VolumeUnit)


class Application(db.Model):
    """An application for China export certification of one establishment and category."""

    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_enterprise_state", "enterprise_id", "state"),
        Index("ix_application_state_deadline", "state", "stage_deadline"),
        # Measured with `make bench` (migrations 0005, 0007): lists sorted by deadline, a
        # category's queue and its count from the index alone (region_code answers the
        # inspector's territory there), the registrar's queues, counts by region.
        Index("ix_application_deadline", "stage_deadline", "id"),
        Index("ix_application_category_deadline", "gacc_category_code", "stage_deadline", "id",
              "region_code", "state", "assignee_id"),
        Index("ix_application_state_changed", "state", "state_changed_at", "id"),
        Index("ix_application_establishment_state", "establishment_id", "state"),
        # The inspector queue's count: its open states' index ranges (of a category, in the
        # territory's regions, or assigned) instead of every entry of the category or of the
        # deadline index (migration 0026 on PostgreSQL, 0027 on SQLite; `make bench`, SQLite:
        # a category's count 5-10 -> 0.8 ms, the whole territory's 40 -> 4 ms). The pages keep
        # walking the deadline indexes in order: no page's plan takes this one.
        Index("ix_application_state_queue", "state", "gacc_category_code", "region_code",
              "assignee_id"),
        # The renewals of given registrations (the exporter's home page, the registrar's
        # dashboard, the issue): only the renewals are indexed. With every application in one
        # index, most of them without a renewal, SQLite's statistics counted the NULLs as one
        # key of 100,000 rows and its planner scanned the table instead (`make bench`: 16 ms of
        # the exporter's home page, 26 ms of the registrar's dashboard; migration 0048).
        Index("ix_application_renewal_of_id", "renewal_of_id",
              sqlite_where=text("renewal_of_id IS NOT NULL"),
              postgresql_where=text("renewal_of_id IS NOT NULL")),
        # The registrations' accepted changes (migration 0049), indexed as the renewals are.
        Index("ix_application_change_of_id", "change_of_id",
              sqlite_where=text("change_of_id IS NOT NULL"),
              postgresql_where=text("change_of_id IS NOT NULL")),
        # A creation form sent twice (Back and sent again, a double click) creates one draft:
        # the second insert of the person's key fails, even racing (services.creation_keys).
        UniqueConstraint("created_by_id", "creation_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    # The establishment's region, copied so that an inspector's territory is a condition on
    # this table alone: set with the establishment (services.applications.establishment_region)
    # and moved with it when the establishment's region changes (services.enterprises).
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    kind: Mapped[str] = mapped_column(String(16))
    gacc_category_code: Mapped[str] = mapped_column(ForeignKey("gacc_category.code"))
    state: Mapped[str] = mapped_column(String(32), default="draft")
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stage_deadline: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The one-time key of the form that created the draft (None from the API, a script, or a
    # page older than the keys).
    creation_key: Mapped[str | None] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    gacc_batch_id: Mapped[int | None] = mapped_column(ForeignKey("gacc_batch.id"), index=True)
    # Indexed (migrations 0023, 0048): issuing a certificate prints the products of the
    # registration's latest renewal, looked up by it inside the write transaction.
    renewal_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", use_alter=True)
    )
    # A change, once GACC accepted it: the registration whose products it changed, which keeps
    # its number and validity (services.gacc; migration 0049).
    change_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", use_alter=True)
    )
    conclusion: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # GACC's registration questionnaire (Decree 248, Art. 8); a draft may leave any of it empty.
    haccp_status: Mapped[str | None] = mapped_column(String(16))
    haccp_details: Mapped[str] = mapped_column(Text, default="")
    traceability: Mapped[str] = mapped_column(Text, default="")
    production_capacity: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    storage_capacity: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    water_source: Mapped[str | None] = mapped_column(String(16))
    staff_count: Mapped[int | None] = mapped_column(Integer)
    last_inspection_date: Mapped[date | None] = mapped_column(Date)
    last_inspection_authority: Mapped[str] = mapped_column(String(300), default="")

    enterprise = relationship("Enterprise")
    establishment = relationship("Establishment")
    gacc_category = relationship("GaccCategory", lazy="joined")
    products: Mapped[list["ApplicationProduct"]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationProduct.id",
    )
    documents = relationship(
        "Document", back_populates="application", order_by="Document.uploaded_at"
    )
    assignee = relationship("User", foreign_keys=[assignee_id])
    gacc_batch = relationship("GaccBatch", back_populates="applications")

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        """The number an exporter quotes: A-000042."""
        return application_reference(self.id)


def application_reference(application_id: int) -> str:
    """The number an exporter quotes for an application id: A-000042."""
    return f"A-{application_id:06d}"


class ApplicationProduct(db.Model):
    """A product line of an application: a catalogue product and its annual volume."""

    __tablename__ = "application_product"
    __table_args__ = (UniqueConstraint("application_id", "product_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    product_code: Mapped[str] = mapped_column(ForeignKey("product.code"))
    annual_volume: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    volume_unit: Mapped[str] = mapped_column(String(8))

    application: Mapped[Application] = relationship(back_populates="products")
    product = relationship("Product", lazy="joined")
