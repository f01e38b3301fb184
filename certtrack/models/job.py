"""Background jobs: those that failed for good, and the locks that keep a job on one server."""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.extensions import db
from certtrack.models.base import UTCDateTime, utcnow


class JobFailure(db.Model):
    """A job whose every attempt failed; an administrator sees it and may run it again."""

    __tablename__ = "job_failure"
    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(64))
    args: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)  # the tries the job was allowed
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    retried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobLock(db.Model):
    """A named lock held until `locked_until`; taken by one atomic UPDATE on any server."""

    __tablename__ = "job_lock"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), default="")
    locked_until: Mapped[datetime] = mapped_column(UTCDateTime)
