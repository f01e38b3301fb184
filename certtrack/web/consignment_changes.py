"""The changes a corrected consignment's exporter made, as its pages show them: each entry
under its form's label, codes by their names in the reader's language, dates as the reader
writes them (services.consignments.changes reads them)."""

from datetime import date
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from certtrack.services.consignments.changes import NAMED, Change, names, since_correction
from certtrack.services.local_dates import format_day
from certtrack.services.numerals import shown
from certtrack.web.consignment_labels import CONVEYANCES, WEIGHT_UNITS

# The request form's labels (consignment_forms.ConsignmentForm), one msgid each.
FIELDS = {"consignee_name": _l("Consignee in China"),
          "consignee_address": _l("Consignee's address"),
          "conveyance": _l("Means of conveyance"), "crossing_code": _l("Point of entry"),
          "origin_region_code": _l("Region of origin"), "place_of_origin": _l("Place of origin"),
          "production_from": _l("Slaughter or production date (first)"),
          "production_to": _l("Slaughter or production date (last)"),
          "storage_temperature": _l("Storage temperature, °C")}
LOT_CHANGES = {"lot_added": _l("Lot added"), "lot_removed": _l("Lot removed")}


def _value(field: str, value: str, named: dict[str, str]) -> str:
    if not value:
        return "—"
    if field == "conveyance":
        return str(CONVEYANCES.get(value, value))
    if field in NAMED:
        return named.get(value, value)
    if field.startswith("production_"):
        return format_day(date.fromisoformat(value))
    return value


def _lot(change: Change, named: dict[str, str]) -> str:
    """A lot as the audit row kept it: "Wheat · 65.5 tonnes · Wagon 95123451"."""
    lot = change.lot
    amount = f"{shown(Decimal(lot['net_weight']))} {WEIGHT_UNITS.get(lot['unit'], lot['unit'])}"
    return " · ".join(part for part in (named.get(change.name, change.name), amount,
                                        lot.get("marks")) if part)


def change_rows(consignment) -> list[dict]:
    """Take a consignment; return its changes since its correction was asked for: each with
    its label, and what it was and is (a lot: added or removed)."""
    rows, changes = [], since_correction(consignment)
    named = names(changes, str(get_locale()))
    for change in changes:
        if change.kind == "field":
            rows.append({"label": str(FIELDS.get(change.name, change.name)),
                         "before": _value(change.name, change.before, named),
                         "after": _value(change.name, change.after, named)})
        else:
            lot = _lot(change, named)
            rows.append({"label": str(LOT_CHANGES[change.kind]),
                         "before": "—" if change.kind == "lot_added" else lot,
                         "after": lot if change.kind == "lot_added" else "—"})
    return rows

