"""Laboratory results judged against limits, and what still blocks a positive conclusion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from certtrack.domain.workflow import DomainError


class UnitError(DomainError):
    """Raised for a unit certtrack cannot convert."""

    def __init__(self, unit: str | None) -> None:
        self.unit = unit
        self.message = f"Unknown unit '{unit}'; use mg/kg, µg/kg, ppm or ppb."
        super().__init__(self.message)


class LoqAboveLimit(DomainError):
    """Raised for a result below a limit of quantification that is above the limit itself:
    the method cannot show that the limit is met."""

    def __init__(self, loq: Decimal, unit: str, limit: Decimal, limit_unit: str) -> None:
        self.loq, self.unit, self.limit, self.limit_unit = loq, unit, limit, limit_unit
        self.message = (f"The limit of quantification {_fmt(loq)} {unit} is above the limit "
                        f"of {_fmt(limit)} {limit_unit}.")
        super().__init__(self.message)


class LoqMissing(DomainError):
    """Raised for "not detected" against a maximum without the method's limit of
    quantification: nothing shows that the method could see the limit."""

    def __init__(self, limit: Decimal, limit_unit: str) -> None:
        self.limit, self.limit_unit = limit, limit_unit
        self.message = (f"Not detected needs the limit of quantification and its unit to show "
                        f"the limit of {_fmt(limit)} {limit_unit} is met.")
        super().__init__(self.message)


class LimitKind(StrEnum):
    """How a limit is applied."""

    max = "max"  # the value must not exceed the limit
    not_detected = "not_detected"  # banned substance: any detection at or above LOQ fails
    absent = "absent"  # quarantine pest: presence/absence test, no number


class Verdict(StrEnum):
    """Outcome of a laboratory result against a limit."""

    compliant = "compliant"
    non_compliant = "non_compliant"
    below_loq = "below_loq"


@dataclass(frozen=True)
class Limit:
    """A limit from the reference data, with where it came from and how sure we are of it."""

    parameter: str
    matrix: str
    kind: LimitKind | str
    value: Decimal | None
    unit: str | None
    source: str
    confidence: str

    def __post_init__(self) -> None:
        """Normalise `kind`; raise ValueError for an unknown kind or a max limit without value."""
        object.__setattr__(self, "kind", LimitKind(self.kind))
        if self.kind == LimitKind.max and (self.value is None or not self.unit):
            raise ValueError(f"A 'max' limit for {self.parameter} needs a value and a unit.")


@dataclass(frozen=True)
class Result:
    """A laboratory result; `loq` is in the result's own unit, `valid_days` None means no expiry."""

    parameter: str
    value: Decimal | None
    unit: str | None
    loq: Decimal | None
    detected: bool | None
    tested_on: date
    valid_days: int | None = None


@dataclass(frozen=True)
class Evaluation:
    """The verdict on one result, a machine reason code and an English explanation."""

    verdict: Verdict
    reason_code: str
    limit: Limit
    value_in_limit_unit: Decimal | None
    message: str

    @property
    def counts_as_compliant(self) -> bool:
        """True for compliant and below-LOQ results, which both support a positive conclusion."""
        return self.verdict in (Verdict.compliant, Verdict.below_loq)


@dataclass(frozen=True)
class Blocker:
    """Something that prevents a positive conclusion; `parameter` is None for findings,
    `result` the result that blocks (an expired or non-compliant one), else None."""

    code: str
    parameter: str | None
    message: str
    result: Result | None = field(default=None, compare=False, repr=False)


# Mass fractions as powers of ten of kg/kg, so conversion only shifts the decimal point.
_UNIT_EXPONENTS = {"mg/kg": -6, "µg/kg": -9}
_UNIT_ALIASES = {
    "mg/kg": "mg/kg",
    "ppm": "mg/kg",
    "µg/kg": "µg/kg",  # micro sign U+00B5
    "μg/kg": "µg/kg",  # Greek small letter mu U+03BC
    "ug/kg": "µg/kg",
    "ppb": "µg/kg",
    # As Kazakh and Russian laboratory reports write them (lower-cased like the key).
    "мг/кг": "mg/kg",
    "мкг/кг": "µg/kg",
}
_BLOCKING_SEVERITIES = ("critical", "major")
_SEVERITIES = frozenset({"critical", "major", "minor"})


def normalize_unit(unit: str | None) -> str:
    """Take a unit as typed; return its canonical spelling ('mg/kg' or 'µg/kg').

    :raise UnitError: the unit is missing or unknown.
    """
    key = "".join((unit or "").split()).lower()
    if key not in _UNIT_ALIASES:
        raise UnitError(unit)
    return _UNIT_ALIASES[key]


def convert(value: Decimal | int | str, from_unit: str, to_unit: str) -> Decimal:
    """Take a value and two mass-fraction units; return the value in `to_unit`, exactly.

    :raise UnitError: either unit is unknown.
    :raise TypeError: `value` is a float (binary floats are not exact).
    """
    if isinstance(value, float):
        raise TypeError("Pass a Decimal, int or str, not a float.")
    shift = _UNIT_EXPONENTS[normalize_unit(from_unit)] - _UNIT_EXPONENTS[normalize_unit(to_unit)]
    converted = Decimal(value).scaleb(shift)
    # Keep plain notation (800, not 8E+2) for display and storage.
    return converted.quantize(Decimal(1)) if converted.as_tuple().exponent > 0 else converted


def _fmt(value: Decimal) -> str:
    """Format a Decimal without exponent or trailing zeros."""
    return format(value.normalize(), "f")


def _source(limit: Limit) -> str:
    return f"({limit.source}, confidence {limit.confidence})"


def _same_parameter(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def evaluate(result: Result, limit: Limit) -> Evaluation:
    """Take a result and the limit for its parameter; return the `Evaluation`.

    :raise ValueError: the parameters differ, or the result lacks the data the limit needs.
    :raise UnitError: a unit is unknown.
    """
    if not _same_parameter(result.parameter, limit.parameter):
        raise ValueError(
            f"Result for '{result.parameter}' cannot be judged against a limit for "
            f"'{limit.parameter}'."
        )
    if limit.kind == LimitKind.max:
        return _evaluate_max(result, limit)
    if limit.kind == LimitKind.not_detected:
        return _evaluate_not_detected(result, limit)
    return _evaluate_absent(result, limit)


def _below_loq(result: Result, limit: Limit, converted: Decimal | None) -> Evaluation:
    if limit.kind == LimitKind.max and (result.loq is None or not result.unit):
        raise LoqMissing(limit.value, limit.unit)
    if limit.kind == LimitKind.max and convert(result.loq, result.unit, limit.unit) > limit.value:
        raise LoqAboveLimit(result.loq, result.unit, limit.value, limit.unit)
    if result.value is None:
        what = f"{result.parameter} was not detected"
    else:
        what = (
            f"{result.parameter} {_fmt(result.value)} {result.unit} is below the limit of "
            f"quantification of {_fmt(result.loq)} {result.unit}"
        )
    message = f"{what} {_source(limit)}."
    return Evaluation(Verdict.below_loq, "below_loq", limit, converted, message)


def _evaluate_max(result: Result, limit: Limit) -> Evaluation:
    if result.value is None:
        if result.detected is False:
            return _below_loq(result, limit, None)
        raise ValueError(f"Result for {result.parameter} needs a value to compare with the limit.")
    converted = convert(result.value, result.unit, limit.unit)
    if result.loq is not None and result.value < result.loq:
        return _below_loq(result, limit, converted)
    shown = f"{result.parameter} {_fmt(result.value)} {result.unit}"
    if normalize_unit(result.unit) != normalize_unit(limit.unit):
        shown += f" ({_fmt(converted)} {limit.unit})"
    bound = f"the limit of {_fmt(limit.value)} {limit.unit} {_source(limit)}"
    if converted > limit.value:
        return Evaluation(
            Verdict.non_compliant, "exceeds_limit", limit, converted, f"{shown} exceeds {bound}."
        )
    return Evaluation(
        Verdict.compliant, "within_limit", limit, converted, f"{shown} is within {bound}."
    )


def contradicts_itself(detected: bool | None, value: Decimal | None,
                       loq: Decimal | None) -> bool:
    """Take a result's entries; True when it says "not detected" beside an amount it
    quantified (at or above its LOQ; any amount above zero without one), which the verdict
    would judge as detected."""
    if detected is not False or value is None:
        return False
    return value > 0 and value >= (loq if loq is not None else Decimal(0))


def _evaluate_not_detected(result: Result, limit: Limit) -> Evaluation:
    value = result.value
    if value is None and result.detected is None:
        raise ValueError(f"Result for {result.parameter} says neither a value nor detection.")
    converted = None
    if value is not None and limit.unit:
        converted = convert(value, result.unit, limit.unit)
    # Without a LOQ, any quantified amount counts as a detection.
    threshold = result.loq if result.loq is not None else Decimal(0)
    quantified = value is not None and value > 0 and value >= threshold
    if result.detected or quantified:
        shown = f" at {_fmt(value)} {result.unit}" if value is not None else ""
        message = (
            f"{result.parameter} was detected{shown}; it is banned and must not be detected "
            f"in {limit.matrix} {_source(limit)}."
        )
        return Evaluation(Verdict.non_compliant, "detected_banned", limit, converted, message)
    if value is not None and result.loq is not None:
        return _below_loq(result, limit, converted)
    message = f"{result.parameter} was not detected {_source(limit)}."
    return Evaluation(Verdict.compliant, "not_detected", limit, converted, message)


def _evaluate_absent(result: Result, limit: Limit) -> Evaluation:
    if result.detected is None:
        raise ValueError(f"Result for {result.parameter} must say whether it was found.")
    if result.detected:
        message = (
            f"{result.parameter} was found; it must be absent from {limit.matrix} {_source(limit)}."
        )
        return Evaluation(Verdict.non_compliant, "present", limit, None, message)
    message = f"{result.parameter} was not found {_source(limit)}."
    return Evaluation(Verdict.compliant, "absent", limit, None, message)


def valid_until(result: Result) -> date | None:
    """Take a result; return the last day it is valid, or None when it does not expire.

    A result valid for N days counts on N days, its test day the first (docs/domain.md §5:
    one month for chilled products, 30 days from 29 September through 28 October).
    """
    if result.valid_days is None:
        return None
    return last_valid_day(result.tested_on, result.valid_days)


def last_valid_day(tested_on: date, valid_days: int) -> date:
    """The last of the `valid_days` days a result tested on `tested_on` counts (that day the
    first)."""
    return tested_on + timedelta(days=valid_days - 1)


def is_valid_on(result: Result, day: date) -> bool:
    """Take a result and a day; return True when the result is still valid on that day."""
    last_day = valid_until(result)
    return last_day is None or day <= last_day


def conclusion_blockers(
    required_parameters: Iterable[str],
    evaluations: Iterable[tuple[Result, Evaluation]],
    open_findings: Iterable[str],
    today: date,
) -> list[Blocker]:
    """Take what a conclusion needs and what is on file; return what prevents a positive one.

    `evaluations` are the results on file with their evaluations; `open_findings` are the
    severities ('critical', 'major', 'minor') of findings still open. Blockers come in this
    order: expired or non-compliant results (input order), required parameters with no result,
    open critical and major findings. An expired result is not reported when a valid compliant
    result for the same parameter exists. An empty list means a positive conclusion is allowed.

    :raise ValueError: a finding severity is unknown.
    """
    pairs = list(evaluations)
    covered = {
        result.parameter.strip().casefold()
        for result, evaluation in pairs
        if is_valid_on(result, today) and evaluation.counts_as_compliant
    }
    blockers = _result_blockers(pairs, covered, today)
    blocked = {b.parameter.strip().casefold() for b in blockers if b.parameter}
    seen: set[str] = set()
    for parameter in required_parameters:
        key = parameter.strip().casefold()
        if key in covered or key in blocked or key in seen:
            continue
        seen.add(key)
        blockers.append(
            Blocker("missing_result", parameter, f"No valid compliant result for {parameter}.")
        )
    return blockers + _finding_blockers(open_findings)


def _result_blockers(
    pairs: list[tuple[Result, Evaluation]], covered: set[str], today: date
) -> list[Blocker]:
    blockers = []
    for result, evaluation in pairs:
        if not is_valid_on(result, today):
            if result.parameter.strip().casefold() in covered:
                continue
            message = (
                f"The {result.parameter} result of {result.tested_on.isoformat()} has expired "
                f"(valid until {valid_until(result).isoformat()}); it does not count."
            )
            blockers.append(Blocker("expired_result", result.parameter, message, result))
        elif not evaluation.counts_as_compliant:
            blockers.append(Blocker("non_compliant_result", result.parameter, evaluation.message,
                                    result))
    return blockers


def _finding_blockers(open_findings: Iterable[str]) -> list[Blocker]:
    counts = dict.fromkeys(_SEVERITIES, 0)
    for severity in open_findings:
        key = severity.strip().lower()
        if key not in _SEVERITIES:
            raise ValueError(f"Unknown finding severity '{severity}'.")
        counts[key] += 1
    blockers = []
    for severity in _BLOCKING_SEVERITIES:
        if counts[severity]:
            noun = "finding is" if counts[severity] == 1 else "findings are"
            message = f"{counts[severity]} {severity} {noun} still open."
            blockers.append(Blocker(f"open_{severity}_findings", None, message))
    return blockers
