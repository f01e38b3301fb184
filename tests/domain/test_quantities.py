"""The totals a consignment declares: weights per unit, never tonnes added to kilograms."""

from decimal import Decimal

import pytest

from certtrack.domain.quantities import DeclaredTotals, LotQuantity, declared_totals


def _lot(net, gross, unit, number=1, kind="bulk"):
    return LotQuantity(Decimal(net), Decimal(gross), unit, number, kind)


@pytest.mark.parametrize(("lots", "expected"), [
    ([], None),
    ([_lot("65.5", "65.7", "t"), _lot("67.2", "67.4", "t")],
     DeclaredTotals(Decimal("132.7"), Decimal("133.1"), "t", (("bulk", 2),))),
    # tonnes beside kilograms: in kilograms, to the gram
    ([_lot("65.5", "65.7", "t"), _lot("900.125", "918", "kg", 18, "big_bags"),
      _lot("0.001", "0.002", "t", 3, "bags")],
     DeclaredTotals(Decimal("66401.125"), Decimal("66620"), "kg",
                    (("bulk", 1), ("big_bags", 18), ("bags", 3)))),
    ([_lot("9600", "10400", "kg", 40, "drums"), _lot("4800", "5200", "kg", 20, "drums")],
     DeclaredTotals(Decimal("14400"), Decimal("15600"), "kg", (("drums", 60),))),
])
def test_the_totals_are_summed_per_unit_and_kind_of_package(lots, expected):
    assert declared_totals(lots) == expected
