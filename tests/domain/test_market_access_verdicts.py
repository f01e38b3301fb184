"""Market access verdicts: protocol status and disease zoning, table-driven."""

import pytest

from certtrack.domain.market_access import Access, is_refused, judge_access

ZONES = {"KZ-11", "KZ-39"}


@pytest.mark.parametrize(("status", "zones", "origin", "expected"), [
    ("in_force", set(), None, Access.allowed),
    ("in_force", set(), "KZ-61", Access.allowed),  # a plant protocol does not zone
    ("in_force", ZONES, "KZ-11", Access.allowed),
    ("in_force", ZONES, "KZ-61", Access.region_not_accepted),
    ("in_force", ZONES, None, Access.allowed),  # origin not given yet: checked later
    ("trial", set(), None, Access.trial),
    ("trial", ZONES, "KZ-61", Access.region_not_accepted),
    ("none", set(), None, Access.no_protocol),
    ("none", ZONES, "KZ-11", Access.no_protocol),
    (None, set(), None, Access.no_data),
])
def test_verdicts(status, zones, origin, expected):
    assert judge_access(status, zones, origin) == expected


def test_refused_verdicts_are_the_blocking_ones():
    assert [a for a in Access if is_refused(a)] == [
        Access.no_data, Access.no_protocol, Access.region_not_accepted]


def test_unknown_status_is_an_error():
    with pytest.raises(ValueError):
        judge_access("maybe", set())
