"""Exporting enterprises (legal entities, by BIN) and their establishments."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from certtrack.domain.vocabulary import EstablishmentType, LegalForm, codes
from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow

LEGAL_FORMS = codes(LegalForm)
ESTABLISHMENT_TYPES = codes(EstablishmentType)


class Enterprise(db.Model):
    """A Kazakh legal entity that exports, identified by its 12-digit BIN."""

    __tablename__ = "enterprise"
    # The public register's order: walked by name, with each enterprise's registrations beside.
    __table_args__ = (Index("ix_enterprise_name_en", "name_en"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bin: Mapped[str] = mapped_column(String(12), unique=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_kk: Mapped[str] = mapped_column(String(300), default="")
    name_ru: Mapped[str] = mapped_column(String(300), default="")
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    legal_form: Mapped[str] = mapped_column(String(32))
    legal_representative: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    address: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    region = relationship("Region", lazy="joined")
    establishments: Mapped[list["Establishment"]] = relationship(
        back_populates="enterprise", order_by="Establishment.name"
    )

    __mapper_args__ = {"version_id_col": version}

    def name_in(self, locale: str) -> str:
        """The legal name in `locale`, falling back to English."""
        return getattr(self, f"name_{locale}", None) or self.name_en


class Establishment(db.Model):
    """A plant, farm, elevator or store of an enterprise that GACC registers."""

    __tablename__ = "establishment"
    # Its form sent twice adds one establishment (services.creation_keys).
    __table_args__ = (UniqueConstraint("enterprise_id", "creation_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    # The name and address in Kazakh, which every establishment has; the other languages are
    # optional (a certificate prints each language given, docs/domain.md §7).
    name: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300), default="")
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    type: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    address: Mapped[str] = mapped_column(Text)
    address_ru: Mapped[str] = mapped_column(Text, default="")
    address_en: Mapped[str] = mapped_column(Text, default="")
    address_zh: Mapped[str] = mapped_column(Text, default="")
    kz_registration_number: Mapped[str] = mapped_column(String(64))
    creation_key: Mapped[str | None] = mapped_column(String(64))  # of the form that added it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    enterprise: Mapped[Enterprise] = relationship(back_populates="establishments")
    region = relationship("Region", lazy="joined")
    name_kk = synonym("name")
    address_kk = synonym("address")

    def name_in(self, locale: str) -> str:
        """The name in `locale`; without one there, in English, else in Kazakh."""
        return getattr(self, f"name_{locale}", None) or self.name_en or self.name

    __mapper_args__ = {"version_id_col": version}
