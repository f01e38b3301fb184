"""Market access reference data: protocols per product and country, border crossings, wording."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.extensions import db
from certtrack.models.base import LocalizedNames, UTCDateTime

PROTOCOL_STATUSES = ("in_force", "trial", "none")
CONVEYANCE_MODES = ("rail", "road")
DECLARATION_KINDS = ("phyto", "vet")


class MarketAccess(db.Model):
    """Whether a product may go to a country: the protocol's status, name and date, and for
    animal products the regions of origin that country accepts (disease zoning)."""

    __tablename__ = "market_access"
    product_code: Mapped[str] = mapped_column(ForeignKey("product.code"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    protocol_status: Mapped[str] = mapped_column(String(16))
    protocol_name: Mapped[str] = mapped_column(Text, default="")  # in English, as signed
    protocol_name_ru: Mapped[str] = mapped_column(Text, default="")
    protocol_name_kk: Mapped[str] = mapped_column(Text, default="")
    protocol_name_zh: Mapped[str] = mapped_column(Text, default="")
    protocol_date: Mapped[date | None] = mapped_column(Date)
    # How much of protocol_date is known (domain.market_access.DATE_PRECISIONS): "year" keeps
    # the 1st of January of that year, "month" the 1st of the month.
    protocol_date_precision: Mapped[str] = mapped_column(String(5), default="day",
                                                         server_default="day")
    gacc_category_code: Mapped[str] = mapped_column(ForeignKey("gacc_category.code"))
    # Space-separated ISO 3166-2 codes; empty means the protocol does not zone by region.
    accepted_regions: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")
    # Set when an administrator edits the row: the reference loader then keeps it as edited.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    product = relationship("Product", lazy="joined")
    __mapper_args__ = {"version_id_col": version}

    def protocol_name_in(self, locale: str) -> str:
        """The protocol's name in `locale`, falling back to English when it has none there."""
        return getattr(self, f"protocol_name_{locale}", None) or self.protocol_name

    @property
    def region_codes(self) -> frozenset[str]:
        """The accepted regions of origin as a set (empty: no zoning)."""
        return frozenset(self.accepted_regions.split())


class BorderCrossing(LocalizedNames, db.Model):
    """A crossing on the Kazakhstan-China border where consignments enter China."""

    __tablename__ = "border_crossing"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")


class ProtocolDeclaration(db.Model):
    """Wording a protocol requires on a certificate: an additional declaration (phyto) or an
    attestation (vet), for the products it lists."""

    __tablename__ = "protocol_declaration"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    products: Mapped[str] = mapped_column(Text)  # space-separated product codes
    text_en: Mapped[str] = mapped_column(Text)
    text_ru: Mapped[str] = mapped_column(Text, default="")
    text_kk: Mapped[str] = mapped_column(Text, default="")
    text_zh: Mapped[str] = mapped_column(Text, default="")
    # Space-separated codes of the laboratory parameters the wording attests (a pest absent, a
    # banned substance not detected): each needs a result of the consignment first.
    tested_by: Mapped[str] = mapped_column(Text, default="", server_default="")
    source: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(1), default="U")

    def text_in(self, locale: str) -> str:
        """The wording in `locale`, falling back to English."""
        return getattr(self, f"text_{locale}", None) or self.text_en
