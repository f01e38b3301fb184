"""What the exporter changed in a consignment whose certificate is being corrected: the
request's entries and its lots since the correction was asked for, read from the audit rows.
The inspector issued the replacement without seeing what differed from the certificate in
force (a wagon number was the reason given; the consignee had changed too)."""

from typing import NamedTuple

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, BorderCrossing, Consignment, Product, Region

CORRECTION, ISSUE = "consignment_request_correction", "consignment_issue"
EDITS = ("consignment_updated", "consignment_lot_added", "consignment_lot_removed")


class Change(NamedTuple):
    """One change: an entry's (`kind` "field", `name` the column) from `before` to `after`,
    or a lot added or removed (`kind` "lot_added" or "lot_removed", `name` its product, `lot`
    its net weight, unit and marks as the audit row kept them)."""

    kind: str
    name: str
    before: str = ""
    after: str = ""
    lot: dict | None = None


def since_correction(consignment: Consignment) -> list[Change]:
    """The changes since the latest request for a correction, while the certificate it
    corrects is not yet replaced (none without one, or once the replacement is issued). One
    query."""
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "consignment", AuditEvent.object_id == consignment.id,
        AuditEvent.action.in_((CORRECTION, ISSUE, *EDITS))).order_by(AuditEvent.seq)))
    start = max((i for i, e in enumerate(events) if e.action == CORRECTION), default=None)
    if start is None or any(e.action == ISSUE for e in events[start:]):
        return []
    fields: dict[str, list[str]] = {}
    lots = []
    for event in events[start + 1:]:
        data = event.data or {}
        for name, (before, after) in (data.get("changed") or {}).items():
            fields.setdefault(name, [before, after])[1] = after
        if event.action != "consignment_updated" and "net_weight" in data:
            lots.append(Change(event.action.removeprefix("consignment_"), data["product"],
                               lot=data))
    return [Change("field", name, before, after)
            for name, (before, after) in fields.items() if before != after] + lots


# The entries kept as codes, and the reference table that names them.
NAMED = {"crossing_code": BorderCrossing, "origin_region_code": Region}


def names(changes: list[Change], locale: str) -> dict[str, str]:
    """The names in `locale` of the codes the changes hold: crossings, regions, and the lots'
    products (by code; a code no longer known is left out)."""
    found = {}
    for change in changes:
        model = Product if change.kind != "field" else NAMED.get(change.name)
        codes = (change.name,) if change.kind != "field" else (change.before, change.after)
        for code in (c for c in codes if c and model is not None):
            row = db.session.get(model, code)
            if row is not None:
                found[code] = row.name_in(locale)
    return found
