"""Words for the codes of the consignment pages, in the user's language."""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # lazy; extracted as pgettext, with context
from flask_babel import ngettext

from certtrack.services.numerals import shown, shown_unit

CONSIGNMENT_STATES = {
    "draft": _l("Draft"), "submitted": _l("Submitted"),
    "under_inspection": _l("Under inspection"), "issued": _l("Certificate issued"),
    "refused": _l("Refused"), "withdrawn": _l("Withdrawn"),
    "cancelled": _l("Certificate cancelled"),
}
CONSIGNMENT_ACTIONS = {
    "submit": _l("Submit"), "withdraw": _l("Withdraw"),
    "start_inspection": _l("Start the inspection"), "refuse": _l("Refuse the certificate"),
    "issue": _l("Issue the certificate"),
    "request_correction": _l("Ask for a corrected certificate"),
    "reopen": _l("Reopen to correct the certificate"),
    "cancel": _l("Cancel the certificate"),
}
CERTIFICATE_KINDS = {"phyto": _l("Phytosanitary certificate"),
                     "vet": _l("Veterinary certificate")}
CERTIFICATE_STATUSES = {"valid": pgettext("certificate status", "Valid"),
                        "replaced": pgettext("certificate status", "Replaced"),
                        "cancelled": pgettext("certificate status", "Cancelled")}
# Why a certificate was cancelled (domain.consignment.CancellationGround): the inspector's
# choices (INSPECTOR_GROUNDS), and for every ground the line under "Status today" on its
# public page, in the reader's language.
CANCELLATION_GROUNDS = {
    "not_exported": _l("The goods are not exported"),
    "issued_in_error": _l("The certificate was issued in error"),
}
CANCELLED_ON = {
    "not_exported": _l("The issuing authority cancelled this certificate on %(date)s: the "
                       "goods it covers were not exported."),
    "issued_in_error": _l("The issuing authority cancelled this certificate on %(date)s: it "
                          "was issued in error."),
    "withdrawn": _l("This certificate was cancelled on %(date)s: its exporter withdrew the "
                    "consignment."),
    "refused": _l("The issuing authority cancelled this certificate on %(date)s: the "
                  "consignment, being corrected, was refused at its new inspection."),
}
# A certificate cancelled before the grounds were recorded.
CANCELLED_ON_UNRECORDED = _l("The issuing authority cancelled this certificate on %(date)s.")
CONVEYANCES = {"rail_wagon": _l("Rail wagon"), "truck": _l("Truck"),
               "container": _l("Container")}
# A point of entry's list groups the crossings by the conveyance they take: a rail wagon
# chose a road crossing and was told only once the form was sent.
CROSSING_MODES = {"rail": _l("Rail crossings"), "road": _l("Road crossings")}
WEIGHT_UNITS = {"t": _l("tonnes"), "kg": _l("kilograms")}
PACKAGE_KINDS = {"bulk": _l("In bulk"), "bags": _l("Bags"), "big_bags": _l("Big bags"),
                 "cartons": _l("Cartons"), "pallets": _l("Pallets"),
                 "drums": _l("Drums or barrels")}
# A number of packages of each kind as a running phrase, the noun in the form the number takes
# ("80 бочек", "2 бочки"; Kazakh keeps the singular after a number: "80 бөшке"): the kinds'
# labels above name the form's choices, capitalised, and read "80 × Бочки" after a number.
PACKAGE_COUNTS = {
    "bulk": lambda n, shown_n: ngettext("%(number)s lot in bulk", "%(number)s lots in bulk", n,
                                        number=shown_n),
    "bags": lambda n, shown_n: ngettext("%(number)s bag", "%(number)s bags", n, number=shown_n),
    "big_bags": lambda n, shown_n: ngettext("%(number)s big bag", "%(number)s big bags", n,
                                            number=shown_n),
    "cartons": lambda n, shown_n: ngettext("%(number)s carton", "%(number)s cartons", n,
                                           number=shown_n),
    "pallets": lambda n, shown_n: ngettext("%(number)s pallet", "%(number)s pallets", n,
                                           number=shown_n),
    # counted as the certificate prints them ("80 drums"), which the public page is read beside
    "drums": lambda n, shown_n: ngettext("%(number)s drum", "%(number)s drums", n,
                                         number=shown_n),
}


def cancellation(ground: str | None, day: str) -> str:
    """What a cancelled certificate's public page says of its cancellation on `day` (as
    shown): the ground, in the reader's language; the inspector's words are the exporter's."""
    return str(CANCELLED_ON.get(ground or "", CANCELLED_ON_UNRECORDED)) % {"date": day}


def packages(kind: str, number: int) -> str:
    """`number` packages of `kind` in the reader's words and digits: "80 drums",
    "80 бочек", "1 234 қап"; a kind of no phrase (a code from an older version) as its code."""
    phrase = PACKAGE_COUNTS.get(kind)
    return phrase(number, shown(number)) if phrase else f"{shown(number)} × {kind}"


DOCUMENT_KINDS = {"contract": _l("Sales contract"), "lab_report": _l("Laboratory report"),
                  "invoice": _l("Invoice"), "transport_document": _l("Transport document"),
                  "other": _l("Other document")}
# A result's limit as stored for print when it is not a value (services/consignments/inspection).
LIMIT_TEXTS = {"not detected": _l("not detected (banned)"), "absent": _l("absent")}


def limit_text(stored: str) -> str:
    """China's limit as a result keeps it ("≤ 0.2 mg/kg", "absent"), in the reader's words and
    digits ("≤ 0,2 мг/кг" in Kazakh; it read "0.2 mg/kg" in every language)."""
    if stored in LIMIT_TEXTS:
        return str(LIMIT_TEXTS[stored])
    value, _space, unit = stored.removeprefix("≤ ").partition(" ")
    try:
        return (f"≤ {shown(Decimal(value))} {shown_unit(unit)}" if stored.startswith("≤ ")
                else stored)
    except InvalidOperation:
        return stored
INSPECTION_RESULTS = {"satisfactory": _l("Satisfactory"),
                      "unsatisfactory": _l("Unsatisfactory")}
TREATMENT_TYPES = {"fumigation": _l("Fumigation"), "heat": _l("Heat treatment"),
                   "cold": _l("Cold treatment"), "chemical": _l("Chemical treatment"),
                   "irradiation": _l("Irradiation")}
PROTOCOL_STATUSES = {"in_force": _l("Protocol in force"),
                     "trial": _l("Trial trade (warns)"),
                     "none": _l("No protocol (refused)")}
