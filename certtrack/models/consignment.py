"""Consignments: a shipment's request for a phytosanitary or veterinary certificate, its lots,
inspection, laboratory results, treatments, declarations, documents and issued certificates."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
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

from certtrack.extensions import db
from certtrack.models.base import JudgedParameter, UTCDateTime, utcnow

CONVEYANCES = ("rail_wagon", "truck", "container")
WEIGHT_UNITS = ("kg", "t")
PACKAGE_KINDS = ("bulk", "bags", "big_bags", "cartons", "pallets", "drums")
TREATMENT_TYPES = ("fumigation", "heat", "cold", "chemical", "irradiation")
DOCUMENT_KINDS = ("contract", "lab_report", "invoice", "transport_document", "other")
INSPECTION_RESULTS = ("satisfactory", "unsatisfactory")


class Consignment(db.Model):
    """One shipment to China under a registration in force, and its certificate request."""

    __tablename__ = "consignment"
    __table_args__ = (
        # The inspector's queue: open consignments of a category and region, by deadline.
        Index("ix_consignment_queue", "state", "gacc_category_code", "region_code", "deadline"),
        # A request form sent twice creates one draft (see Application's).
        UniqueConstraint("created_by_id", "creation_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    # Copies of the registration's, so that the queue reads one table.
    gacc_category_code: Mapped[str] = mapped_column(ForeignKey("gacc_category.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    kind: Mapped[str] = mapped_column(String(8))  # phyto or vet
    state: Mapped[str] = mapped_column(String(20), default="draft")
    consignee_name: Mapped[str] = mapped_column(String(300))
    consignee_address: Mapped[str] = mapped_column(Text)
    conveyance: Mapped[str] = mapped_column(String(16))
    crossing_code: Mapped[str] = mapped_column(ForeignKey("border_crossing.code"))
    origin_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    place_of_origin: Mapped[str] = mapped_column(String(300), default="")
    production_from: Mapped[date | None] = mapped_column(Date)
    production_to: Mapped[date | None] = mapped_column(Date)
    storage_temperature: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    inspected_on: Mapped[date | None] = mapped_column(Date)
    inspection_place: Mapped[str] = mapped_column(String(300), default="")
    inspection_result: Mapped[str] = mapped_column(String(16), default="")
    inspection_notes: Mapped[str] = mapped_column(Text, default="")
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    # Why its issued certificate is being corrected (the replacement's reason); "" otherwise.
    correction_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    creation_key: Mapped[str | None] = mapped_column(String(64))  # see Application's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    registration = relationship("Registration")
    enterprise = relationship("Enterprise")
    crossing = relationship("BorderCrossing", lazy="joined")
    origin_region = relationship("Region", foreign_keys=[origin_region_code])
    inspector = relationship("User", foreign_keys=[inspector_id])
    lots: Mapped[list["ConsignmentLot"]] = relationship(
        back_populates="consignment", cascade="all, delete-orphan", order_by="ConsignmentLot.id")
    treatments: Mapped[list["ConsignmentTreatment"]] = relationship(
        cascade="all, delete-orphan", order_by="ConsignmentTreatment.id")
    lab_results: Mapped[list["ConsignmentLabResult"]] = relationship(
        cascade="all, delete-orphan", order_by="ConsignmentLabResult.id")
    declarations: Mapped[list["ConsignmentDeclaration"]] = relationship(
        cascade="all, delete-orphan", order_by="ConsignmentDeclaration.declaration_code")
    documents: Mapped[list["ConsignmentDocument"]] = relationship(
        cascade="all, delete-orphan", order_by="ConsignmentDocument.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        """The consignment's reference shown to people, e.g. CS-000042."""
        return f"CS-{self.id:06d}"


class ConsignmentLot(db.Model):
    """A line of the consignment: one product with its quantities, packages and marks."""

    __tablename__ = "consignment_lot"
    # Its form sent twice adds one lot (services.creation_keys).
    __table_args__ = (UniqueConstraint("consignment_id", "creation_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignment.id"), index=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("product.code"))
    net_weight: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    gross_weight: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    weight_unit: Mapped[str] = mapped_column(String(4))
    packages_number: Mapped[int] = mapped_column(Integer)
    packages_kind: Mapped[str] = mapped_column(String(16))
    marks: Mapped[str] = mapped_column(Text, default="")  # wagon, container and seal numbers
    creation_key: Mapped[str | None] = mapped_column(String(64))  # of the form that added it
    # None for the lots added before migration 0040.
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)

    consignment: Mapped[Consignment] = relationship(back_populates="lots")
    product = relationship("Product", lazy="joined")


class ConsignmentTreatment(db.Model):
    """A disinfestation or disinfection treatment (ISPM 12 treatment box)."""

    __tablename__ = "consignment_treatment"
    id: Mapped[int] = mapped_column(primary_key=True)
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignment.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    active_substance: Mapped[str] = mapped_column(String(120), default="")
    concentration: Mapped[str] = mapped_column(String(60), default="")  # dose, e.g. 3 g/m³
    temperature: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # °C
    duration: Mapped[str] = mapped_column(String(60), default="")  # e.g. 72 h
    treated_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class ConsignmentLabResult(JudgedParameter, db.Model):
    """A laboratory result on a sample of the consignment, judged against China's limit."""

    __tablename__ = "consignment_lab_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignment.id"), index=True)
    limit_id: Mapped[int | None] = mapped_column(ForeignKey("lab_limit.id"))
    sample_code: Mapped[str] = mapped_column(String(40))
    laboratory: Mapped[str] = mapped_column(String(200), default="")
    parameter: Mapped[str] = mapped_column(String(120))
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    unit: Mapped[str | None] = mapped_column(String(16))
    loq: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    detected: Mapped[bool | None] = mapped_column(Boolean)
    method: Mapped[str] = mapped_column(String(120), default="")
    tested_on: Mapped[date] = mapped_column(Date)
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    limit_text: Mapped[str] = mapped_column(String(120), default="")  # as judged, for print
    limit_source: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    limit = relationship("LabLimit", lazy="joined")


class ConsignmentDeclaration(db.Model):
    """A protocol's wording chosen for the certificate of this consignment."""

    __tablename__ = "consignment_declaration"
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignment.id"), primary_key=True)
    declaration_code: Mapped[str] = mapped_column(ForeignKey("protocol_declaration.code"),
                                                  primary_key=True)

    declaration = relationship("ProtocolDeclaration", lazy="joined")


class ConsignmentDocument(db.Model):
    """A supporting document of a consignment (contract, lab report), stored by SHA-256; the
    documents of one kind are numbered 1, 2, ... in the order they were uploaded (`version`,
    unique: of two uploads racing for a number, one is refused and counts again)."""

    __tablename__ = "consignment_document"
    __table_args__ = (UniqueConstraint("consignment_id", "kind", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsignmentCertificateCounter(db.Model):
    """The last serial used per certificate kind and year; moved by UPDATE ... RETURNING."""

    __tablename__ = "consignment_certificate_counter"
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class ConsignmentCertificate(db.Model):
    """An issued phytosanitary or veterinary certificate; a replacement names the original."""

    __tablename__ = "consignment_certificate"
    __table_args__ = (
        UniqueConstraint("kind", "year", "serial"),
        # One original per consignment (replacements name the certificate they replace).
        Index("uq_consignment_certificate_original", "consignment_id", unique=True,
              sqlite_where=text("replaces_id IS NULL"),
              postgresql_where=text("replaces_id IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    consignment_id: Mapped[int] = mapped_column(ForeignKey("consignment.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    verification_code: Mapped[str] = mapped_column(String(64))
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("consignment_certificate.id"), unique=True)
    # None until the queue has rendered, sealed and stored the PDF (consignments.printing).
    pdf_id: Mapped[int | None] = mapped_column(ForeignKey("stored_pdf.id"))
    data: Mapped[dict] = mapped_column(JSON)
    # The context the PDF is rendered from, frozen at issue (consignments.printing.freeze).
    context: Mapped[dict | None] = mapped_column(JSON)
    registration_status_at_issue: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Cancelled: the goods did not leave, or it was issued in error (no replacement follows).
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancellation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Why, as its public page says it (domain.consignment.CancellationGround); None for a
    # certificate cancelled before the grounds were recorded.
    cancellation_ground: Mapped[str | None] = mapped_column(String(16))

    consignment = relationship("Consignment")
    registration = relationship("Registration")
    pdf = relationship("StoredPdf", lazy="raise_on_sql")
    replaces = relationship("ConsignmentCertificate", remote_side=[id],
                            foreign_keys=[replaces_id], backref="replaced_by")
    issued_by = relationship("User")
