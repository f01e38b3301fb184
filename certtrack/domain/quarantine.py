"""Plant-quarantine measurements of an inspection judged against what they must meet."""

from __future__ import annotations

from decimal import Decimal

MEASURES = ("moisture", "foreign_matter", "weed_seeds", "live_pests")
# The unit each measure is recorded in: percent of mass, quarantine weed seeds per kilogram,
# live pests found (a count) - the same units as quarantine_requirements.csv.
UNITS = {"moisture": "%", "foreign_matter": "%", "weed_seeds": "per kg", "live_pests": "found"}
COMPLIANT, NON_COMPLIANT, NO_REQUIREMENT = "compliant", "non_compliant", "no_requirement"


def judge_measurement(value: Decimal, kind: str | None, limit: Decimal | None) -> str:
    """Take a measured value and the requirement's kind ('max' with its limit, 'none': nothing
    may be found, None: no requirement for this product); return the verdict.

    Raises ValueError for a negative value or an unknown kind.
    """
    if value < 0:
        raise ValueError("a measurement cannot be negative")
    if kind is None:
        return NO_REQUIREMENT
    if kind == "none":
        return COMPLIANT if value == 0 else NON_COMPLIANT
    if kind == "max" and limit is not None:
        return COMPLIANT if value <= limit else NON_COMPLIANT
    raise ValueError(f"unknown requirement kind {kind!r}")
