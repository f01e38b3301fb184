"""Changes of a registered name that wait for staff review before they take effect."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.domain.scripts import changed_in_part
from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow


class NameChangeRequest(db.Model):
    """A new name for an enterprise or an establishment that holds a registration in China.

    Until staff approve it, the enterprise or establishment keeps its registered name, which
    the public register and the certificates show; `proposed` holds the new name fields
    (name_en…name_zh of an enterprise, name of an establishment), `registered` the names they
    replace, as they were when the request was made.
    """

    __tablename__ = "name_change_request"
    __table_args__ = (Index("ix_name_change_request_status", "status", "requested_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"))
    proposed: Mapped[dict] = mapped_column(JSON)
    registered: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    enterprise = relationship("Enterprise", lazy="joined")
    establishment = relationship("Establishment", lazy="joined")
    requested_by = relationship("User", foreign_keys=[requested_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def address_in_part(self) -> bool:
        """True when the request changes the address in some languages and leaves it as
        registered in others that have one: the certificate would then print two addresses."""
        return changed_in_part(self.proposed, self.registered)

    @property
    def changes(self) -> dict[str, str]:
        """The fields the request changes, with their new values (the others are sent as
        they are registered)."""
        return {field: value for field, value in self.proposed.items()
                if value != self.registered.get(field, "")}
