"""Users, their roles and regions, and the record of failed logins used for throttling."""

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from certtrack.domain.vocabulary import Committee, codes
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow

ROLES = codes(Role)
COMMITTEES = codes(Committee)

user_regions = Table(
    "user_region",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("region_code", ForeignKey("region.code"), primary_key=True),
)


class User(db.Model):
    """A person who signs in: an exporter bound to one enterprise, an accredited laboratory, or
    a member of staff."""

    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    committee: Mapped[str | None] = mapped_column(String(20))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    laboratory_id: Mapped[int | None] = mapped_column(ForeignKey("laboratory.id"))
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    regions = relationship("Region", secondary=user_regions, lazy="selectin")
    enterprise = relationship("Enterprise", foreign_keys=[enterprise_id])
    laboratory = relationship("Laboratory")

    @property
    def region_codes(self) -> set[str]:
        """The codes of the regions an inspector covers."""
        return {region.code for region in self.regions}


class LoginAttempt(db.Model):
    """A failed sign-in, kept for the throttling window; keyed by account and by address."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfficialProfile(db.Model):
    """How a registrar or inspector signs documents: name and position in the documents'
    languages (Kazakh, Russian, English, Chinese), never the account's name."""

    __tablename__ = "official_profile"
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    position_kk: Mapped[str] = mapped_column(String(300))
    position_ru: Mapped[str] = mapped_column(String(300), default="")
    position_en: Mapped[str] = mapped_column(String(300))
    position_zh: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    user = relationship("User", backref=backref("official_profile", uselist=False))

    __mapper_args__ = {"version_id_col": version}
