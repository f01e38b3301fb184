"""What a certificate's chosen wording attests, and the laboratory results it rests on.

"The wheat was grown in areas free from dwarf bunt" and "the meat contains no residues of
clenbuterol, ractopamine, …" are statements of fact that China's border takes on trust: the
certificate prints them only once the consignment has a result for each pest or substance
they name (the protocol's `tested_by`, reference data), and no result failed (a blocker of its
own). A wheat certificate was issued with the dwarf bunt wording and no laboratory result at
all, a mutton one with four of the five banned substances never tested.

A result on chilled goods counts for one month (domain.md §5): a chilled beef certificate was
issued on results tested sixty days before. A correction that adds goods is judged on its own
day, not the replaced certificate's, and a result tested before the goods were produced (their
dates moved by a correction) counts for none of them.
"""

from datetime import date

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain import compliance
from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentLabResult, LabParameter
from certtrack.services.applications import local_today
from certtrack.services.consignments.corrected_goods import more_goods
from certtrack.services.consignments.entries import earliest_day
from certtrack.services.consignments.in_force import certificate_in_force
from certtrack.services.limits import product_codes, result_validity_days
from certtrack.services.local_dates import format_day
from certtrack.services.numerals import listed


def untested(consignment: Consignment) -> list[str]:
    """The names (in the reader's language) of the parameters the chosen wording attests and
    the consignment has no result for (a failed one is a blocker of its own, said apart)."""
    wanted = {code for row in consignment.declarations
              for code in (row.declaration.tested_by or "").split()}
    tested = {result.limit.parameter_code for result in consignment.lab_results
              if result.limit is not None}
    missing = wanted - tested
    if not missing:
        return []
    locale = str(get_locale() or "en")
    parameters = db.session.scalars(select(LabParameter).where(LabParameter.code.in_(missing))
                                    .order_by(LabParameter.code))
    return [parameter.name_in(locale) for parameter in parameters]


def attestation_blockers(consignment: Consignment) -> list[str]:
    """The issue's blocker for the wording's untested parameters, if any."""
    names = untested(consignment)
    if not names:
        return []
    return [_("A laboratory result for each pest or substance the chosen wording attests; "
              "none yet for %(names)s.", names=listed(names))]


def _last_day(result: ConsignmentLabResult, chilled: set[str]) -> date | None:
    """The last day the result counts: a month from its test day when its limit applies to
    one of the consignment's chilled products, else None (no end)."""
    days = [result_validity_days(code) for code in chilled
            if result.limit is not None and code in product_codes(result.limit)]
    return compliance.last_valid_day(result.tested_on, min(days)) if days else None


def _latest(consignment: Consignment) -> list[ConsignmentLabResult]:
    """The consignment's latest result of each test."""
    latest = {}
    for result in sorted(consignment.lab_results, key=lambda row: (row.tested_on, row.id)):
        latest[result.limit_id or result.parameter] = result
    return list(latest.values())


def _judged_on(consignment: Consignment) -> date:
    """The day results are judged on: today, or for a correction of the papers alone the day
    the certificate in force was issued (its goods are the ones tested). Goods added by a
    correction were not there to be tested then."""
    in_force = certificate_in_force(consignment)
    if in_force is None or (in_force.context is not None and more_goods(consignment, in_force)):
        return local_today()
    return in_force.issued_on


def expired(consignment: Consignment) -> list[str]:
    """The names (in the reader's language) of the parameters whose latest result on chilled
    goods no longer counts on the day it is judged on (_judged_on)."""
    chilled = {lot.product_code for lot in consignment.lots
               if result_validity_days(lot.product_code) is not None}
    if not chilled:
        return []
    day = _judged_on(consignment)
    locale = str(get_locale() or "en")
    return list(dict.fromkeys(
        result.parameter_in(locale) for result in _latest(consignment)
        if (last := _last_day(result, chilled)) is not None and last < day))


def expiry_blockers(consignment: Consignment) -> list[str]:
    """The issue's blockers for results on chilled goods older than a month and for results
    tested before the goods' first production day, if any."""
    blockers = []
    if names := expired(consignment):
        blockers.append(_("A laboratory result on chilled goods counts for one month; test a "
                          "new sample for %(names)s.", names=listed(names)))
    earliest = earliest_day(consignment)
    locale = str(get_locale() or "en")
    if names := list(dict.fromkeys(result.parameter_in(locale) for result in _latest(consignment)
                                   if result.tested_on < earliest)):
        blockers.append(ngettext(
            "Tested before the goods' first production day (%(date)s), the result for "
            "%(names)s is not of these goods; test a new sample.",
            "Tested before the goods' first production day (%(date)s), the results for "
            "%(names)s are not of these goods; test a new sample.", len(names),
            date=format_day(earliest), names=listed(names)))
    return blockers
