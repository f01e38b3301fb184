"""Tests of laboratory results against limits and of conclusion blockers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from certtrack.domain.compliance import (
    Blocker,
    Limit,
    LoqAboveLimit,
    LoqMissing,
    Result,
    UnitError,
    Verdict,
    conclusion_blockers,
    convert,
    evaluate,
    is_valid_on,
    valid_until,
)
from certtrack.domain.workflow import DomainError

TODAY = date(2025, 3, 14)

DON_WHEAT = Limit("DON", "wheat", "max", Decimal("1000"), "µg/kg", "GB 2761", "V")
LEAD_WHEAT = Limit("lead", "wheat", "max", Decimal("0.2"), "mg/kg", "GB 2762-2022", "V")
CLENBUTEROL_BEEF = Limit("clenbuterol", "beef", "not_detected", None, "µg/kg", "MARA Ann. 250", "V")
DWARF_BUNT_WHEAT = Limit(
    "Tilletia controversa", "wheat", "absent", None, None, "KZ-CN wheat protocol", "U"
)


def result(
    parameter, value=None, unit="µg/kg", *, loq=None, detected=None, days_ago=0, valid_days=None
):
    return Result(
        parameter=parameter,
        value=Decimal(value) if value is not None else None,
        unit=unit,
        loq=Decimal(loq) if loq is not None else None,
        detected=detected,
        tested_on=TODAY - timedelta(days=days_ago),
        valid_days=valid_days,
    )


def test_don_above_limit_in_wheat_is_non_compliant():
    evaluation = evaluate(result("DON", "1200"), DON_WHEAT)
    assert evaluation.verdict == Verdict.non_compliant
    assert evaluation.reason_code == "exceeds_limit"
    assert evaluation.value_in_limit_unit == Decimal("1200")
    assert not evaluation.counts_as_compliant
    assert evaluation.message == (
        "DON 1200 µg/kg exceeds the limit of 1000 µg/kg (GB 2761, confidence V)."
    )


def test_don_in_mg_per_kg_is_converted_and_compliant():
    evaluation = evaluate(result("DON", "0.8", "mg/kg"), DON_WHEAT)
    assert evaluation.verdict == Verdict.compliant
    assert evaluation.value_in_limit_unit == Decimal("800")
    assert str(evaluation.value_in_limit_unit) == "800"
    assert "0.8 mg/kg (800 µg/kg)" in evaluation.message
    assert evaluation.counts_as_compliant


def test_don_exactly_at_limit_is_compliant():
    assert evaluate(result("DON", "1000"), DON_WHEAT).verdict == Verdict.compliant


def test_lead_above_limit_in_wheat_is_non_compliant():
    evaluation = evaluate(result("lead", "0.25", "mg/kg"), LEAD_WHEAT)
    assert evaluation.verdict == Verdict.non_compliant
    assert evaluation.value_in_limit_unit == Decimal("0.25")


def test_clenbuterol_detected_in_beef_is_non_compliant():
    evaluation = evaluate(result("clenbuterol", detected=True), CLENBUTEROL_BEEF)
    assert evaluation.verdict == Verdict.non_compliant
    assert evaluation.reason_code == "detected_banned"
    assert "beef" in evaluation.message


def test_clenbuterol_quantified_at_loq_is_non_compliant():
    evaluation = evaluate(result("clenbuterol", "0.1", loq="0.1"), CLENBUTEROL_BEEF)
    assert evaluation.verdict == Verdict.non_compliant


def test_clenbuterol_not_detected_is_compliant():
    evaluation = evaluate(result("clenbuterol", detected=False), CLENBUTEROL_BEEF)
    assert evaluation.verdict == Verdict.compliant
    assert evaluation.counts_as_compliant


def test_clenbuterol_below_loq_is_below_loq():
    evaluation = evaluate(result("clenbuterol", "0.05", loq="0.1"), CLENBUTEROL_BEEF)
    assert evaluation.verdict == Verdict.below_loq


def test_result_below_loq_is_below_loq_and_counts_as_compliant():
    evaluation = evaluate(result("DON", "30", loq="50"), DON_WHEAT)
    assert evaluation.verdict == Verdict.below_loq
    assert evaluation.reason_code == "below_loq"
    assert evaluation.counts_as_compliant


def test_below_an_loq_above_the_limit_shows_nothing_about_the_limit():
    with pytest.raises(LoqAboveLimit) as raised:
        evaluate(result("DON", "0.9", loq="1.5", unit="mg/kg"), DON_WHEAT)
    assert raised.value.message == (
        "The limit of quantification 1.5 mg/kg is above the limit of 1000 µg/kg.")
    with pytest.raises(LoqAboveLimit):
        evaluate(result("DON", detected=False, loq="1500"), DON_WHEAT)
    assert evaluate(result("DON", "900", loq="1000"), DON_WHEAT).verdict == Verdict.below_loq
    assert evaluate(result("DON", "1600", loq="1500"), DON_WHEAT).verdict == \
        Verdict.non_compliant


def test_not_detected_against_max_limit_is_below_loq():
    evaluation = evaluate(result("DON", detected=False, loq="50"), DON_WHEAT)
    assert evaluation.verdict == Verdict.below_loq
    assert evaluation.value_in_limit_unit is None


def test_not_detected_against_max_limit_without_an_loq_shows_nothing():
    """"Not detected" with no LOQ passed DON's 1,000 µg/kg: a method whose LOQ was above the
    limit could have said it, which the rule on an LOQ above the limit refuses."""
    with pytest.raises(LoqMissing) as error:
        evaluate(result("DON", detected=False), DON_WHEAT)
    assert (error.value.limit, error.value.limit_unit) == (Decimal("1000"), "µg/kg")
    with pytest.raises(LoqMissing):
        evaluate(result("DON", unit=None, detected=False, loq="50"), DON_WHEAT)


def test_dwarf_bunt_present_in_wheat_is_non_compliant():
    evaluation = evaluate(
        result("Tilletia controversa", unit=None, detected=True), DWARF_BUNT_WHEAT
    )
    assert evaluation.verdict == Verdict.non_compliant
    assert evaluation.reason_code == "present"


def test_dwarf_bunt_absent_is_compliant():
    evaluation = evaluate(
        result("Tilletia controversa", unit=None, detected=False), DWARF_BUNT_WHEAT
    )
    assert evaluation.verdict == Verdict.compliant


def test_parameter_mismatch_raises_value_error():
    with pytest.raises(ValueError, match="lead"):
        evaluate(result("lead", "0.1", "mg/kg"), DON_WHEAT)


def test_max_limit_needs_a_value():
    with pytest.raises(ValueError):
        Limit("DON", "wheat", "max", None, "µg/kg", "GB 2761", "V")


def test_unknown_limit_kind_raises_value_error():
    with pytest.raises(ValueError):
        Limit("DON", "wheat", "min", Decimal("1"), "µg/kg", "GB 2761", "V")


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "expected"),
    [
        ("0.8", "mg/kg", "µg/kg", "800"),
        ("1200", "µg/kg", "mg/kg", "1.2"),
        ("5", "ug/kg", "mg/kg", "0.005"),
        ("5", "\u03bcg/kg", "\u00b5g/kg", "5"),
        ("0.2", "ppm", "ppb", "200"),
        ("60", "ppb", "µg/kg", "60"),
        ("0.1", "MG/KG", "mg/kg", "0.1"),
        # Kazakh and Russian laboratory reports write Cyrillic units.
        ("0.2", "мг/кг", "µg/kg", "200"),
        ("1200", "МКГ/КГ", "mg/kg", "1.2"),
    ],
)
def test_convert_is_exact(value, from_unit, to_unit, expected):
    assert convert(Decimal(value), from_unit, to_unit) == Decimal(expected)


def test_unknown_unit_raises_unit_error():
    with pytest.raises(UnitError) as caught:
        convert(Decimal("1"), "mg/l", "mg/kg")
    assert isinstance(caught.value, DomainError)
    assert caught.value.unit == "mg/l"


def test_result_is_valid_through_its_last_day():
    thirty_days = result("DON", "100", days_ago=29, valid_days=30)  # today is its 30th day
    assert valid_until(thirty_days) == TODAY
    assert is_valid_on(thirty_days, TODAY)
    assert not is_valid_on(thirty_days, TODAY + timedelta(days=1))
    assert is_valid_on(result("DON", "100", days_ago=4000), TODAY)


def _pair(res, limit):
    return res, evaluate(res, limit)


def test_expired_result_blocks_and_does_not_count():
    old = result("DON", "100", days_ago=40, valid_days=30)
    blockers = conclusion_blockers(["DON"], [_pair(old, DON_WHEAT)], [], TODAY)
    assert [(b.code, b.parameter) for b in blockers] == [("expired_result", "DON")]


def test_expired_result_superseded_by_a_valid_one_does_not_block():
    old = result("DON", "100", days_ago=40, valid_days=30)
    new = result("DON", "120", days_ago=2, valid_days=30)
    pairs = [_pair(old, DON_WHEAT), _pair(new, DON_WHEAT)]
    assert conclusion_blockers(["DON"], pairs, [], TODAY) == []


def test_non_compliant_and_missing_results_block():
    pairs = [_pair(result("lead", "0.25", "mg/kg"), LEAD_WHEAT)]
    blockers = conclusion_blockers(["lead", "DON"], pairs, [], TODAY)
    assert [(b.code, b.parameter) for b in blockers] == [
        ("non_compliant_result", "lead"),
        ("missing_result", "DON"),
    ]


def test_open_major_finding_blocks_but_minor_does_not():
    pairs = [_pair(result("DON", "100"), DON_WHEAT)]
    blockers = conclusion_blockers(["DON"], pairs, ["major", "minor"], TODAY)
    assert blockers == [Blocker("open_major_findings", None, "1 major finding is still open.")]


def test_open_critical_findings_are_counted():
    blockers = conclusion_blockers([], [], ["critical", "critical", "major"], TODAY)
    assert [b.code for b in blockers] == ["open_critical_findings", "open_major_findings"]
    assert blockers[0].message == "2 critical findings are still open."


def test_unknown_severity_raises_value_error():
    with pytest.raises(ValueError):
        conclusion_blockers([], [], ["serious"], TODAY)


def test_nothing_missing_allows_a_positive_conclusion():
    pairs = [
        _pair(result("DON", "300", valid_days=30), DON_WHEAT),
        _pair(result("lead", "0.05", "mg/kg"), LEAD_WHEAT),
        _pair(result("Tilletia controversa", unit=None, detected=False), DWARF_BUNT_WHEAT),
        _pair(result("clenbuterol", "0.01", loq="0.1"), CLENBUTEROL_BEEF),
    ]
    required = ["DON", "lead", "Tilletia controversa", "clenbuterol"]
    assert conclusion_blockers(required, pairs, ["minor"], TODAY) == []
