"""A lot's distinguishing marks and what carries it: the border matches the wagon or
container number the certificate prints with the goods (domain.conveyance_marks)."""

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.conveyance_marks import names_its_conveyance
from certtrack.models import Consignment
from certtrack.services.numerals import listed

# What the marks of each lot name, by the conveyance that numbers it.
UNMARKED_LOT = {
    "rail_wagon": _l("The wagon number of each lot (8 digits, such as 95123451, its last digit "
                     "the check digit), in its distinguishing marks."),
    "container": _l("The container number of each lot (ISO 6346, such as MSKU 1234565, its last "
                    "digit the check digit), in its distinguishing marks."),
    "truck": _l("The truck's registration plate and seal number of each lot, in its "
                "distinguishing marks."),
}


def _unmarked(consignment: Consignment) -> list[str]:
    """The lots whose marks name no wagon or container where the conveyance needs one, each
    by its product and marks (with several lots, "each lot" said not which)."""
    if consignment.conveyance not in UNMARKED_LOT:
        return []
    locale = str(get_locale() or "en")
    return [_("%(product)s marked “%(marks)s”", product=lot.product.name_in(locale),
              marks=lot.marks.strip()) if lot.marks.strip() else
            _("%(product)s with no marks", product=lot.product.name_in(locale))
            for lot in consignment.lots
            if not names_its_conveyance(consignment.conveyance, lot.marks)]


def missing_marks(consignment: Consignment) -> str | None:
    """What the lots' marks still lack for submission, naming the lots to correct; None when
    each names its wagon or container (or the conveyance numbers none)."""
    unmarked = _unmarked(consignment)
    if not unmarked:
        return None
    return _("%(rule)s To correct: %(lots)s.", lots=listed(unmarked),
             rule=str(UNMARKED_LOT[consignment.conveyance]))
