"""A stored laboratory result read today: the day it stops counting, and its verdict under the
limit in force now (a result keeps the limit it was judged by)."""

from dataclasses import dataclass
from datetime import date

from certtrack.domain import compliance
from certtrack.models import LabLimit, LabResult
from certtrack.services.applications import local_today
from certtrack.services.limits import to_domain_limit


def to_domain_result(row: LabResult, parameter: str | None = None) -> compliance.Result:
    """The domain's `Result` for a stored result, optionally under another parameter name."""
    return compliance.Result(parameter=parameter or row.parameter, value=row.value, unit=row.unit,
                             loq=row.loq, detected=row.detected, tested_on=row.tested_on,
                             valid_days=row.valid_days)


def valid_until(row: LabResult) -> date | None:
    """The last day a stored result counts, or None when it does not expire."""
    return compliance.valid_until(to_domain_result(row))


def is_expired(row: LabResult, today: date | None = None) -> bool:
    """True when the stored result's validity has run out."""
    return not compliance.is_valid_on(to_domain_result(row), today or local_today())


@dataclass(frozen=True)
class JudgedNow:
    """A stored result judged again against the limit in force today, which differs from the
    limit it was judged by (a newer standard, or an administrator's correction)."""

    limit: LabLimit
    verdict: str


def limit_in_force(limit: LabLimit | None) -> LabLimit | None:
    """The row that replaces `limit` today (following superseded rows), or `limit` itself."""
    seen = set()
    while limit is not None and limit.superseded_by_id is not None and limit.id not in seen:
        seen.add(limit.id)
        limit = limit.superseded_by
    return limit


def judge_now(row: LabResult) -> JudgedNow | None:
    """Take a stored result; return its verdict under the limit in force today when that limit
    is not the one the result was judged by, else None. The stored verdict never changes: a
    result keeps the limit it was judged by."""
    limit = limit_in_force(row.limit)
    if limit is None:
        return None
    same = (limit.id == row.limit_id and limit.value == row.limit_value
            and (limit.unit or None) == row.limit_unit)
    if same:
        return None
    try:
        evaluation = compliance.evaluate(to_domain_result(row, limit.parameter),
                                         to_domain_limit(limit))
    except (compliance.UnitError, ValueError):
        return None
    return JudgedNow(limit, evaluation.verdict.value)
