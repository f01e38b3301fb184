"""What a corrected consignment's certificate rests on once the exporter changed its goods.

The inspection, the wording and the laboratory results were recorded for the goods the
certificate in force certified, and a correction kept them: a wheat consignment corrected to
barley was certified on the wheat's inspection, with the wheat's dwarf bunt wording and its
results, and wagons or tonnage added through a correction were never inspected. A correction
of the papers alone (a wagon's number, the consignee) keeps the inspection, as before.
"""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain.quantities import KILOGRAMS
from certtrack.extensions import db
from certtrack.models import AuditEvent, Consignment, ConsignmentCertificate
from certtrack.services.consignments.in_force import certificate_in_force
from certtrack.services.limits import product_codes
from certtrack.services.numerals import listed


def _kilograms(lines) -> dict[str, Decimal]:
    """Net kilograms by product code of lots given as (code, net weight, unit)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for code, net_weight, unit in lines:
        try:
            totals[code] += Decimal(str(net_weight)) * KILOGRAMS.get(unit, Decimal(1))
        except (InvalidOperation, TypeError):  # not a number: count it as new goods
            totals[code] += Decimal("Infinity")
    return totals


def more_goods(consignment: Consignment, certificate: ConsignmentCertificate) -> bool:
    """Whether the consignment now holds a product the certificate did not certify, or more
    of one than it certified (net weight)."""
    certified = _kilograms((lot.get("product_code"), lot.get("net_weight"), lot.get("unit"))
                           for lot in (certificate.context or {}).get("lots", []))
    now = _kilograms((lot.product_code, lot.net_weight, lot.weight_unit)
                     for lot in consignment.lots)
    return any(code not in certified or weight > certified[code]
               for code, weight in now.items())


def inspected_since_submission(consignment: Consignment) -> bool:
    """Whether the inspection was recorded after the request was last submitted (the audit
    trail's order: a day's date cannot tell an inspection of the morning from one before)."""
    latest = db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "consignment", AuditEvent.object_id == consignment.id,
        AuditEvent.action.in_(("consignment_submit", "consignment_inspected")))
        .order_by(AuditEvent.seq.desc()).limit(1))
    return latest == "consignment_inspected"


def _inspection_blocker(consignment: Consignment) -> list[str]:
    in_force = certificate_in_force(consignment)
    if in_force is None or in_force.context is None or not more_goods(consignment, in_force):
        return []
    if inspected_since_submission(consignment):
        return []
    submitted = consignment.submitted_on
    return [_("The goods differ from those certificate %(number)s certified (another product, "
              "or more of one): record a new inspection of the lot, on or after %(date)s.",
              number=in_force.number,
              date=format_date(submitted) if submitted else format_date(in_force.issued_on))]


def _stale_wording(consignment: Consignment, applies: set[str]) -> list[str]:
    stale = [row for row in consignment.declarations if row.declaration_code not in applies]
    if not stale:
        return []
    return [ngettext("Wording chosen for products no longer in the consignment: %(num)d "
                     "statement; save the wording again.",
                     "Wording chosen for products no longer in the consignment: %(num)d "
                     "statements; save the wording again.", len(stale))]


def _stale_results(consignment: Consignment) -> list[str]:
    codes = {lot.product_code for lot in consignment.lots}
    locale = str(get_locale() or "en")
    names = list(dict.fromkeys(
        result.parameter_in(locale) for result in consignment.lab_results
        if result.limit is not None and not codes & set(product_codes(result.limit))))
    if not names:
        return []
    return [_("Laboratory results on products no longer in the consignment: %(names)s; "
              "remove them.", names=listed(names))]


def correction_blockers(consignment: Consignment, applies: set[str]) -> list[str]:
    """What the issue still lacks because the goods changed since the certificate in force:
    a new inspection, wording and results that fit the goods now. `applies`: the codes of
    the protocol wording for the products now (inspection.available_declarations, read once
    for the issue's blockers)."""
    return (_inspection_blocker(consignment) + _stale_wording(consignment, applies)
            + _stale_results(consignment))
