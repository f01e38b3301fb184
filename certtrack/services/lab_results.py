"""A stored laboratory result read today: the day it stops counting, and its verdict under the
limit in force now (a result keeps the limit it was judged by)."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from certtrack.domain import compliance
from certtrack.models import LabLimit, LabResult
from certtrack.services.applications import local_today
from certtrack.services.limits import to_domain_limit
from certtrack.services.numerals import shown, shown_unit


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


def loq_message(error: compliance.LoqAboveLimit) -> str:
    """Why a result below its method's LOQ is refused when that LOQ is above the limit."""
    return _("The limit of quantification, %(loq)s, is above China's limit of %(limit)s: a "
             "result below it cannot show that the limit is met. Enter the result of a method "
             "that quantifies down to the limit.",
             loq=f"{shown(error.loq)} {shown_unit(error.unit)}",
             limit=f"{shown(error.limit)} {shown_unit(error.limit_unit)}")


def loq_missing_message(error: compliance.LoqMissing) -> str:
    """Why "not detected" against a maximum is refused without the method's LOQ."""
    return _("“Not detected” needs the method's limit of quantification and its unit: only an "
             "LOQ at or below China's limit of %(limit)s shows that the limit is met.",
             limit=f"{shown(error.limit)} {shown_unit(error.limit_unit)}")


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
    except (compliance.LoqAboveLimit, compliance.LoqMissing):  # not shown met
        return JudgedNow(limit, compliance.Verdict.non_compliant.value)
    except (compliance.UnitError, ValueError):
        return None
    return JudgedNow(limit, evaluation.verdict.value)
