"""Inspection of an application: corrections requested, inspections, findings, lab work."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from certtrack.domain.vocabulary import FindingStatus, InspectionMode, Severity, codes
from certtrack.extensions import db
from certtrack.models.base import JudgedParameter, UTCDateTime, utcnow

INSPECTION_MODES = codes(InspectionMode)
SEVERITIES = codes(Severity)
FINDING_STATUSES = codes(FindingStatus)

inspection_inspectors = Table(
    "inspection_inspector",
    db.metadata,
    Column("inspection_id", ForeignKey("inspection.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True),
)


class CorrectionRequest(db.Model):
    """Deficiencies an inspector (or GACC, through a registrar) sends back to the exporter."""

    __tablename__ = "correction_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    source: Mapped[str] = mapped_column(String(16), default="inspection")  # or "gacc"
    deficiencies: Mapped[str] = mapped_column(Text)  # one deficiency per line
    response_deadline: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str] = mapped_column(Text, default="")  # the exporter's, on resubmitting

    created_by = relationship("User")

    @property
    def items(self) -> list[str]:
        """The deficiencies, one per non-empty line."""
        return [line.strip() for line in self.deficiencies.splitlines() if line.strip()]


class Inspection(db.Model):
    """A scheduled or performed inspection: document, video or on-site."""

    __tablename__ = "inspection"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    scheduled_for: Mapped[date] = mapped_column(Date)
    performed_on: Mapped[date | None] = mapped_column(Date)
    checklist: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")  # as the inspector writes it
    # Its version in English or Chinese, which the dossier to GACC prints.
    summary_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set when the inspection is held on a weekend or public holiday, with the reason why.
    outside_working_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    outside_hours_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspectors = relationship("User", secondary=inspection_inspectors, lazy="selectin")
    findings: Mapped[list["Finding"]] = relationship(
        back_populates="inspection", order_by="Finding.id", lazy="selectin"
    )
    measurements: Mapped[list["QuarantineMeasurement"]] = relationship(
        back_populates="inspection", order_by="QuarantineMeasurement.id", lazy="selectin"
    )


class QuarantineMeasurement(db.Model):
    """A plant-quarantine measurement of an inspection, judged against its requirement."""

    __tablename__ = "quarantine_measurement"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("product.code"))
    measure: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str] = mapped_column(String(16))
    species: Mapped[str] = mapped_column(Text, default="")
    verdict: Mapped[str] = mapped_column(String(16))  # compliant, non_compliant, no_requirement
    # The requirement as judged, kept even if the reference data changes later.
    requirement_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 6))
    requirement_kind: Mapped[str] = mapped_column(String(16), default="")
    requirement_source: Mapped[str] = mapped_column(Text, default="")
    requirement_confidence: Mapped[str] = mapped_column(String(1), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="measurements")
    product = relationship("Product")


class Finding(db.Model):
    """A non-conformity found at an inspection, with its corrective action when one is due."""

    __tablename__ = "finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    requirement: Mapped[str] = mapped_column(String(300))
    observation: Mapped[str] = mapped_column(Text)
    # As the dossier to GACC prints them, when the inspector wrote them in Kazakh or Russian.
    requirement_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    observation_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    clause: Mapped[str] = mapped_column(String(120), default="")
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), default="open")
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    corrective_action_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    evidence_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
    evidence_document = relationship("Document")
    verified_by = relationship("User", foreign_keys=[verified_by_id])


_earlier = Finding.__table__.alias("earlier_finding")
# A finding's number within its application (1, 2, ...), oldest first: what the inspector, the
# exporter and the dossier ("F1") call it. The row id runs across every application.
Finding.number = column_property(
    select(func.count(_earlier.c.id))
    .where(_earlier.c.application_id == Finding.__table__.c.application_id,
           _earlier.c.id <= Finding.__table__.c.id)
    .correlate_except(_earlier).scalar_subquery())


class Sample(db.Model):
    """A sample taken for laboratory testing."""

    __tablename__ = "sample"
    __table_args__ = (UniqueConstraint("application_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    product_code: Mapped[str] = mapped_column(ForeignKey("product.code"))
    taken_on: Mapped[date] = mapped_column(Date)
    matrix: Mapped[str] = mapped_column(String(200))
    laboratory: Mapped[str] = mapped_column(String(300))
    # The accredited laboratory the sample was sent to, when it posts its results itself.
    laboratory_id: Mapped[int | None] = mapped_column(ForeignKey("laboratory.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product = relationship("Product")
    # Loaded with the sample (one join, not a query per row of a list).
    accredited_laboratory = relationship("Laboratory", lazy="joined")
    results: Mapped[list["LabResult"]] = relationship(
        back_populates="sample", order_by="LabResult.id", lazy="selectin"
    )

    def laboratory_name_in(self, locale: str) -> str:
        """The laboratory's name in `locale`: an accredited laboratory's own name in that
        language, else the name the inspector wrote."""
        if self.accredited_laboratory is not None:
            return self.accredited_laboratory.name_in(locale)
        return self.laboratory


class LabResult(JudgedParameter, db.Model):
    """A laboratory result with the verdict against the limit it was judged by."""

    __tablename__ = "lab_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    limit_id: Mapped[int | None] = mapped_column(ForeignKey("lab_limit.id"))
    parameter: Mapped[str] = mapped_column(String(120))
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    unit: Mapped[str | None] = mapped_column(String(16))
    loq: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    detected: Mapped[bool | None] = mapped_column(Boolean)
    method: Mapped[str] = mapped_column(String(120), default="")
    tested_on: Mapped[date] = mapped_column(Date)
    valid_days: Mapped[int | None] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    limit_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 6))  # as judged
    limit_unit: Mapped[str | None] = mapped_column(String(16))
    limit_source: Mapped[str] = mapped_column(Text, default="")
    limit_confidence: Mapped[str] = mapped_column(String(1), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why it was added where the parameter had a result already (a retest, a corrected entry).
    correction: Mapped[str] = mapped_column(Text, default="", server_default="")

    sample: Mapped[Sample] = relationship(back_populates="results")
    limit = relationship("LabLimit")
