"""Translated labels for the values stored as codes (states, kinds, types, roles)."""

from flask_babel import lazy_gettext as _l

STATES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "under_review": _l("Under review"),
    "returned": _l("Returned for corrections"),
    "rejected": _l("Rejected"),
    "inspection_scheduled": _l("Inspection scheduled"),
    "inspected": _l("Inspected"),
    "corrective_actions": _l("Corrective actions"),
    "lab_testing": _l("Laboratory testing"),
    "conclusion_negative": _l("Negative conclusion"),
    "conclusion_positive": _l("Positive conclusion"),
    "recommended": _l("Recommended to GACC"),
    "submitted_to_gacc": _l("Submitted to GACC"),
    "gacc_returned": _l("Returned by GACC"),
    "gacc_refused": _l("Refused by GACC"),
    "registered": _l("Registered in China"),
    "withdrawn": _l("Withdrawn"),
}
ACTIONS = {
    "submit": _l("Submit application"),
    "resubmit": _l("Resubmit application"),
    "withdraw": _l("Withdraw application"),
    "application_created": _l("Application created"),
    "application_updated": _l("Application saved"),
    "product_added": _l("Product added"),
    "product_removed": _l("Product removed"),
    "document_uploaded": _l("Document uploaded"),
}
KINDS = {"new": _l("New registration"), "renewal": _l("Renewal"), "change": _l("Change")}
LEGAL_FORMS = {
    "llp": _l("Limited liability partnership (LLP)"),
    "jsc": _l("Joint-stock company (JSC)"),
    "ie": _l("Individual entrepreneur"),
    "peasant_farm": _l("Peasant or farm enterprise"),
    "production_cooperative": _l("Production cooperative"),
    "branch": _l("Branch of a legal entity"),
    "other": _l("Other"),
}
ESTABLISHMENT_TYPES = {
    "farm": _l("Farm"),
    "elevator": _l("Grain elevator"),
    "flour_mill": _l("Flour mill"),
    "oilseed_plant": _l("Oilseed plant"),
    "feed_mill": _l("Feed mill"),
    "slaughterhouse": _l("Slaughterhouse"),
    "cutting_plant": _l("Cutting plant"),
    "meat_processor": _l("Meat processor"),
    "cold_store": _l("Cold store"),
}
HACCP_STATUSES = {
    "none": _l("No HACCP system yet"),
    "plan": _l("HACCP plan in place"),
    "certified": _l("HACCP certified"),
}
WATER_SOURCES = {
    "municipal": _l("Municipal supply"),
    "well": _l("Own well"),
    "surface": _l("Surface water"),
    "other": _l("Other"),
}
VOLUME_UNITS = {"t": _l("tonnes"), "kg": _l("kilograms"), "head": _l("head of livestock")}
ROLES = {
    "exporter": _l("Exporter"),
    "inspector": _l("Inspector"),
    "registrar": _l("Registrar"),
    "admin": _l("Administrator"),
}
COMMITTEES = {
    "phytosanitary": _l("Phytosanitary (State Inspection in the Agro-Industrial Complex)"),
    "veterinary": _l("Veterinary Control and Supervision"),
}
REVIEW_STATUSES = {
    "pending": _l("Not reviewed yet"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
}
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша", "zh": "中文"}


def choices(labels: dict, blank: str | None = None) -> list[tuple[str, str]]:
    """(value, label) pairs for a SelectField, with an optional empty first choice."""
    pairs = [(value, label) for value, label in labels.items()]
    return [("", blank), *pairs] if blank is not None else pairs


def label(labels: dict, value) -> str:
    """The label of a stored code, or the code itself when it has none."""
    return labels.get(value, value or "")
