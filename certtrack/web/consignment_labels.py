"""Words for the codes of the consignment pages, in the user's language."""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # lazy; extracted as pgettext, with context

from certtrack.services.numerals import shown

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
CONVEYANCES = {"rail_wagon": _l("Rail wagon"), "truck": _l("Truck"),
               "container": _l("Container")}
WEIGHT_UNITS = {"t": _l("tonnes"), "kg": _l("kilograms")}
PACKAGE_KINDS = {"bulk": _l("In bulk"), "bags": _l("Bags"), "big_bags": _l("Big bags"),
                 "cartons": _l("Cartons"), "pallets": _l("Pallets"),
                 "drums": _l("Drums or barrels")}
DOCUMENT_KINDS = {"contract": _l("Sales contract"), "lab_report": _l("Laboratory report"),
                  "invoice": _l("Invoice"), "transport_document": _l("Transport document"),
                  "other": _l("Other document")}
# A result's limit as stored for print when it is not a value (services/consignments/inspection).
LIMIT_TEXTS = {"not detected": _l("not detected (banned)"), "absent": _l("absent")}


def limit_text(stored: str) -> str:
    """China's limit as a result keeps it ("≤ 0.2 mg/kg", "absent"), in the reader's words and
    digits ("≤ 0,2 mg/kg" in Kazakh; it read "0.2" in every language)."""
    if stored in LIMIT_TEXTS:
        return str(LIMIT_TEXTS[stored])
    value, _space, unit = stored.removeprefix("≤ ").partition(" ")
    try:
        return f"≤ {shown(Decimal(value))} {unit}" if stored.startswith("≤ ") else stored
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
