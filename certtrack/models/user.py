"""Users, their roles and regions, second factors, sessions, sign-in throttle counters and the
record of failed sign-ins."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Column, Float, ForeignKey, Integer, String, Table
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
    # TOTP (RFC 6238): the base32 secret; in force once confirmed with a code. The last time
    # step accepted, so that a code is used once only (ASVS 2.8.4).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Moved on by an administrator's edit of the account only (not by a sign-in): the edit
    # form carries it, and an edit from a page loaded before another's is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # Loaded when read (inspectors' pages): every request loads its user, and the other roles
    # have no regions to read.
    regions = relationship("Region", secondary=user_regions)
    enterprise = relationship("Enterprise", foreign_keys=[enterprise_id])
    laboratory = relationship("Laboratory")

    @property
    def region_codes(self) -> set[str]:
        """The codes of the regions an inspector covers."""
        return {region.code for region in self.regions}

    @property
    def has_totp(self) -> bool:
        """True once a second factor (TOTP) is confirmed."""
        return self.totp_secret is not None and self.totp_confirmed_at is not None


class LoginAttempt(db.Model):
    """A failed or refused sign-in: when, which account (if it exists), and a keyed hash of the
    client's address, never the address itself; purged after 90 days by `daily`."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                index=True)
    address_hash: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # failed, refused


class ThrottleCounter(db.Model):
    """Failures counted under one key (an account, an address, a known device), updated by one
    atomic statement; times are seconds since the epoch, so that both engines add to them."""

    __tablename__ = "throttle_counter"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    blocked_until: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float, index=True)


class RecoveryCode(db.Model):
    """A single-use recovery code of a second factor, stored as its SHA-256."""

    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(db.Model):
    """A signed-in session: the cookie carries its id, the row its times (idle timeout and
    absolute lifetime are checked on every request) and whether it was ended."""

    __tablename__ = "user_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's id
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="")


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
