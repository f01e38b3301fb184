"""Plant-quarantine measurements judged against their requirement."""

from decimal import Decimal

import pytest

from certtrack.domain.quarantine import judge_measurement


@pytest.mark.parametrize(
    ("value", "kind", "limit", "verdict"),
    [("12.5", "max", "12.5", "compliant"), ("12.6", "max", "12.5", "non_compliant"),
     ("0", "none", None, "compliant"), ("1", "none", None, "non_compliant"),
     ("3", None, None, "no_requirement")],
)
def test_judge_measurement(value, kind, limit, verdict):
    assert judge_measurement(Decimal(value), kind,
                             Decimal(limit) if limit else None) == verdict


@pytest.mark.parametrize(("value", "kind"), [("-1", "max"), ("1", "min")])
def test_a_negative_value_or_an_unknown_kind_is_refused(value, kind):
    with pytest.raises(ValueError):
        judge_measurement(Decimal(value), kind, Decimal("1"))
