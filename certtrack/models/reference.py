"""Reference data: GACC categories, products, regions, documents, holidays and limits."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.extensions import db
from certtrack.models.base import LocalizedNames, UTCDateTime


class GaccCategory(LocalizedNames, db.Model):
    """A GACC product category; one registration per establishment and category."""

    __tablename__ = "gacc_category"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    committee: Mapped[str] = mapped_column(String(20))
    renewal_list_280: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")
    # Whether the category is on GACC's Order 280 renewal list, with where that comes from
    # (renewal_list_280.csv); an administrator's edit is kept by the reference loader.
    renewal_list_source: Mapped[str] = mapped_column(Text, default="")
    renewal_list_confidence: Mapped[str] = mapped_column(String(1), default="U")
    renewal_list_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class Product(LocalizedNames, db.Model):
    """A product of the reference catalogue with its HS code and protocol status."""

    __tablename__ = "product"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    hs_code: Mapped[str] = mapped_column(String(10), index=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    gacc_category_code: Mapped[str] = mapped_column(ForeignKey("gacc_category.code"), index=True)
    protocol_status: Mapped[str] = mapped_column(String(1))
    protocol_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")
    # The days a laboratory result on the product counts (one month for chilled beef,
    # domain.md §5), its test day the first; None: no end. Reference data with its source.
    result_valid_days: Mapped[int | None] = mapped_column(Integer)
    result_validity_source: Mapped[str] = mapped_column(Text, default="", server_default="")

    gacc_category: Mapped[GaccCategory] = relationship(lazy="joined")


class Region(LocalizedNames, db.Model):
    """A region or city of republican significance, keyed by its ISO 3166-2 code."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120), default="")
    name_kk: Mapped[str] = mapped_column(String(120), default="")
    name_zh: Mapped[str] = mapped_column(String(120), default="")


class DocumentType(LocalizedNames, db.Model):
    """A kind of supporting document an exporter uploads."""

    __tablename__ = "document_type"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    # What the document must contain, shown beside it on the exporter's application page.
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ru: Mapped[str] = mapped_column(Text, default="")
    description_kk: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")

    def description_in(self, locale: str) -> str:
        """What the document must contain in `locale`, English when that one is empty."""
        return getattr(self, f"description_{locale}", None) or self.description_en


class RequiredDocument(db.Model):
    """A document type required for a category and kind of application ('*' means any)."""

    __tablename__ = "required_document"
    __table_args__ = (UniqueConstraint("gacc_category", "kind", "document_type_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    gacc_category: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    document_type_code: Mapped[str] = mapped_column(ForeignKey("document_type.code"))


class Holiday(db.Model):
    """A public holiday or a weekend day declared a working day (kind 'working_day')."""

    __tablename__ = "holiday"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")


class LabParameter(LocalizedNames, db.Model):
    """A substance or organism a laboratory tests for, named in the four languages (the Chinese
    name as in the GB standard that sets its limit)."""

    __tablename__ = "lab_parameter"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120), unique=True)
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")


class LabLimit(db.Model):
    """A Chinese limit for a parameter in a matrix, with the products it applies to."""

    __tablename__ = "lab_limit"
    __table_args__ = (UniqueConstraint("parameter", "matrix"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # The parameter's English name, as results and laboratories' scopes record it; its names in
    # the other languages are those of `lab_parameter`.
    parameter: Mapped[str] = mapped_column(String(120))
    parameter_code: Mapped[str | None] = mapped_column(ForeignKey("lab_parameter.code"),
                                                       index=True)
    matrix: Mapped[str] = mapped_column(String(200))  # in English
    matrix_ru: Mapped[str] = mapped_column(String(300), default="")
    matrix_kk: Mapped[str] = mapped_column(String(300), default="")
    matrix_zh: Mapped[str] = mapped_column(String(300), default="")
    products: Mapped[str] = mapped_column(Text)  # space-separated product codes
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 6))
    unit: Mapped[str] = mapped_column(String(16))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")
    # The row's (parameter|matrix) in limits.csv: how the loader finds it after an admin edit.
    reference_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    # Set when an administrator edits the row: the reference loader then keeps the edit.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A row the file replaced by another (a newer standard) while results still refer to it:
    # kept for those results, never offered for new ones.
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("lab_limit.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    superseded_by = relationship("LabLimit", remote_side=[id])
    __mapper_args__ = {"version_id_col": version}
    lab_parameter: Mapped[LabParameter | None] = relationship(lazy="joined")

    def parameter_in(self, locale: str) -> str:
        """The parameter's name in `locale` (English when it has no translation)."""
        if self.lab_parameter is None:
            return self.parameter
        return self.lab_parameter.name_in(locale)

    def matrix_in(self, locale: str) -> str:
        """The matrix in `locale`, English when that translation is empty."""
        return getattr(self, f"matrix_{locale}", None) or self.matrix


class QuarantineRequirement(db.Model):
    """What a plant-quarantine measurement at an inspection must meet, for some products."""

    __tablename__ = "quarantine_requirement"
    __table_args__ = (UniqueConstraint("measure", "products"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(32))  # moisture, foreign_matter, ...
    products: Mapped[str] = mapped_column(Text)  # space-separated product codes
    kind: Mapped[str] = mapped_column(String(16))  # max, or none (nothing may be found)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 6))
    unit: Mapped[str] = mapped_column(String(16))
    standard: Mapped[str] = mapped_column(String(200))
    clause: Mapped[str] = mapped_column(String(300))
    confidence: Mapped[str] = mapped_column(String(1), default="U")
