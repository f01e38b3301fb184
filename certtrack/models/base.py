"""Column helpers shared by the models."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class LocalizedNames:
    """Reference rows named in English, Russian, Kazakh and Chinese."""

    name_en: str
    name_ru: str
    name_kk: str
    name_zh: str

    def name_in(self, locale: str) -> str:
        """The name in `locale`, falling back to English when that translation is empty."""
        return getattr(self, f"name_{locale}", None) or self.name_en


class JudgedParameter:
    """A laboratory result: its parameter as recorded (in English) and the limit it was judged
    by, whose parameter carries the names in the other languages."""

    parameter: str
    limit: Any

    def parameter_in(self, locale: str) -> str:
        """The parameter's name in `locale`: the limit's, while the limit names the same
        parameter; else the name recorded with the result."""
        limit = self.limit
        if limit is not None and limit.parameter == self.parameter:
            return limit.parameter_in(locale)
        return self.parameter
