"""What a certificate's chosen wording attests, and the laboratory results it rests on.

"The wheat was grown in areas free from dwarf bunt" and "the meat contains no residues of
clenbuterol, ractopamine, …" are statements of fact that China's border takes on trust: the
certificate prints them only once the consignment has a result for each pest or substance
they name (the protocol's `tested_by`, reference data), and no result failed (a blocker of its
own). A wheat certificate was issued with the dwarf bunt wording and no laboratory result at
all, a mutton one with four of the five banned substances never tested.

A result on chilled goods counts for one month (domain.md §5): a chilled beef certificate was
issued on results tested sixty days before.
"""

from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.domain import compliance
from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentLabResult, LabParameter
from certtrack.services.applications import local_today
from certtrack.services.consignments.in_force import certificate_in_force
from certtrack.services.limits import product_codes
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
    days = [compliance.result_validity_days(code) for code in chilled
            if result.limit is not None and code in product_codes(result.limit)]
    return compliance.last_valid_day(result.tested_on, min(days)) if days else None


def expired(consignment: Consignment) -> list[str]:
    """The names (in the reader's language) of the parameters whose latest result on chilled
    goods no longer counts on the issue day: today, or for a correction the day the
    certificate in force was issued (its goods are the ones tested)."""
    chilled = {lot.product_code for lot in consignment.lots
               if compliance.result_validity_days(lot.product_code) is not None}
    if not chilled:
        return []
    in_force = certificate_in_force(consignment)
    day = in_force.issued_on if in_force is not None else local_today()
    latest = {}
    for result in sorted(consignment.lab_results, key=lambda row: (row.tested_on, row.id)):
        latest[result.limit_id or result.parameter] = result
    locale = str(get_locale() or "en")
    return list(dict.fromkeys(
        result.parameter_in(locale) for result in latest.values()
        if (last := _last_day(result, chilled)) is not None and last < day))


def expiry_blockers(consignment: Consignment) -> list[str]:
    """The issue's blocker for results on chilled goods older than a month, if any."""
    names = expired(consignment)
    if not names:
        return []
    return [_("A laboratory result on chilled goods counts for one month; test a new sample "
              "for %(names)s.", names=listed(names))]
