"""What a certificate's chosen wording attests, and the laboratory results it rests on.

"The wheat was grown in areas free from dwarf bunt" and "the meat contains no residues of
clenbuterol, ractopamine, …" are statements of fact that China's border takes on trust: the
certificate prints them only once the consignment has a result for each pest or substance
they name (the protocol's `tested_by`, reference data), and no result failed (a blocker of its
own). A wheat certificate was issued with the dwarf bunt wording and no laboratory result at
all, a mutton one with four of the five banned substances never tested.
"""

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Consignment, LabParameter
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
