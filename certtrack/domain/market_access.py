"""Market access (layer 1 of eligibility): may a product go to China from a region of origin?"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum


class ProtocolStatus(StrEnum):
    """A product's protocol with the importing country."""

    in_force = "in_force"
    trial = "trial"  # trade under a trial arrangement or reported without a protocol seen
    none = "none"


class Access(StrEnum):
    """The verdict on one product from one region of origin."""

    allowed = "allowed"
    trial = "trial"  # allowed, with a warning
    no_data = "no_data"  # no market-access row for the product: refused
    no_protocol = "no_protocol"
    region_not_accepted = "region_not_accepted"


REFUSED = frozenset({Access.no_data, Access.no_protocol, Access.region_not_accepted})


def judge_access(status: str | None, accepted_regions: Collection[str],
                 origin_region: str | None = None) -> Access:
    """Take the protocol status (None when there is no row), the regions the importing country
    accepts (empty: the protocol does not zone) and the region of origin (None: not known yet,
    zoning not checked); return the verdict. Raises ValueError for an unknown status.
    """
    if status is None:
        return Access.no_data
    status = ProtocolStatus(status)
    if status == ProtocolStatus.none:
        return Access.no_protocol
    if accepted_regions and origin_region is not None and origin_region not in accepted_regions:
        return Access.region_not_accepted
    return Access.trial if status == ProtocolStatus.trial else Access.allowed


def is_refused(access: Access) -> bool:
    """True when the verdict stops an application or a consignment."""
    return access in REFUSED


# How much of a protocol's date is known: sources often give only the year it was signed.
DATE_PRECISIONS = ("day", "month", "year")


def read_protocol_date(text: str) -> tuple[date | None, str]:
    """Take a protocol's date as its source gives it: "2019", "2015-09" or "2015-09-14" (empty:
    unknown); return (the first day it can be, how much of it is known). ValueError for any
    other form."""
    text = text.strip()
    if not text:
        return None, "day"
    parts = text.split("-")
    if len(parts) == 1 and len(text) == 4 and text.isdigit():
        return date(int(text), 1, 1), "year"
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
        return date(int(parts[0]), int(parts[1]), 1), "month"
    return date.fromisoformat(text), "day"


def known_part(value: date, precision: str) -> date:
    """`value` cut to what is known of it (the first of its month or year)."""
    if precision == "year":
        return value.replace(month=1, day=1)
    if precision == "month":
        return value.replace(day=1)
    return value
