"""The quantities a consignment declares in total, as its certificate and its page state them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

KILOGRAMS = {"kg": Decimal(1), "t": Decimal(1000)}


@dataclass(frozen=True)
class LotQuantity:
    """One lot's declared quantities: weights in `unit` ("t" or "kg"), packages of a kind."""

    net_weight: Decimal
    gross_weight: Decimal
    unit: str
    packages_number: int
    packages_kind: str


@dataclass(frozen=True)
class DeclaredTotals:
    """The total net and gross weight in `unit`, and the packages of each kind, in the order
    the lots first declare them."""

    net_weight: Decimal
    gross_weight: Decimal
    unit: str
    packages: tuple[tuple[str, int], ...]


def declared_totals(lots: Iterable[LotQuantity]) -> DeclaredTotals | None:
    """Take the lots of a consignment; return their totals, or None without a lot.

    Weights of one unit are summed in it; tonnes beside kilograms are converted to kilograms
    (exactly: a lot is kept to the gram), never added as they stand (65.5 t + 900 kg is not
    965.5 of anything). Packages are counted per kind: 1 in bulk and 720 cartons stay apart.
    :raise KeyError: a unit other than "t" or "kg".
    """
    lots = list(lots)
    if not lots:
        return None
    units = {lot.unit for lot in lots}
    unit = units.pop() if len(units) == 1 else "kg"
    scale = {name: KILOGRAMS[name] / KILOGRAMS[unit] for name in {lot.unit for lot in lots}}
    packages: dict[str, int] = {}
    for lot in lots:
        packages[lot.packages_kind] = packages.get(lot.packages_kind, 0) + lot.packages_number
    return DeclaredTotals(
        net_weight=sum((lot.net_weight * scale[lot.unit] for lot in lots), Decimal(0)),
        gross_weight=sum((lot.gross_weight * scale[lot.unit] for lot in lots), Decimal(0)),
        unit=unit, packages=tuple(packages.items()))
