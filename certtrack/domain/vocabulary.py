"""The codes stored for every enumerated value besides the workflow's: the one source of each list.

Models take their tuples of allowed values, and the database its CHECK constraints, from these
enumerations; the web labels are keyed by them (a test checks every code has a label in every
language). The workflow's own vocabularies (Role, State, Action, RegistrationStatus,
RegistrationAction) live in domain/workflow.py, the laboratory's (LimitKind, Verdict) in
domain/compliance.py.
"""

from enum import StrEnum


def codes(enum: type[StrEnum]) -> tuple[str, ...]:
    """The codes of an enumeration as plain strings, in their declared order."""
    return tuple(member.value for member in enum)


class Committee(StrEnum):
    """The Kazakh inspection committees an inspector belongs to."""

    phytosanitary = "phytosanitary"
    veterinary = "veterinary"


class ApplicationKind(StrEnum):
    """Why an application is filed: a first registration, a renewal or a change."""

    new = "new"
    renewal = "renewal"
    change = "change"


class HaccpStatus(StrEnum):
    """Where the establishment stands with HACCP (questionnaire)."""

    none = "none"
    plan = "plan"
    certified = "certified"


class WaterSource(StrEnum):
    """Where the establishment's water comes from (questionnaire)."""

    municipal = "municipal"
    well = "well"
    surface = "surface"
    other = "other"


class VolumeUnit(StrEnum):
    """Units of a product line's annual volume."""

    t = "t"
    kg = "kg"
    head = "head"


# Head counts animals: a meat plant's yearly slaughter. Grain, oilseeds, honey or milk by the
# head means nothing, so those categories are weighed.
HEAD_CATEGORIES = frozenset({"meat"})


def volume_units(gacc_category: str) -> tuple[str, ...]:
    """The units a product line of this GACC category may give its annual volume in."""
    units = tuple(unit.value for unit in VolumeUnit)
    return units if gacc_category in HEAD_CATEGORIES else tuple(u for u in units if u != "head")


class LegalForm(StrEnum):
    """Legal forms of a Kazakh enterprise."""

    llp = "llp"
    jsc = "jsc"
    ie = "ie"
    peasant_farm = "peasant_farm"
    production_cooperative = "production_cooperative"
    branch = "branch"
    other = "other"


class EstablishmentType(StrEnum):
    """Kinds of establishment a registration covers."""

    farm = "farm"
    elevator = "elevator"
    flour_mill = "flour_mill"
    oilseed_plant = "oilseed_plant"
    feed_mill = "feed_mill"
    slaughterhouse = "slaughterhouse"
    cutting_plant = "cutting_plant"
    meat_processor = "meat_processor"
    cold_store = "cold_store"
    dairy = "dairy"
    honey_packing = "honey_packing"


class ReviewStatus(StrEnum):
    """An inspector's verdict on one uploaded document."""

    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class InspectionMode(StrEnum):
    """How an inspection is carried out."""

    document = "document"
    video = "video"
    on_site = "on_site"


class Severity(StrEnum):
    """Severity of an inspection finding."""

    critical = "critical"
    major = "major"
    minor = "minor"


class FindingStatus(StrEnum):
    """Where a finding stands with its corrective action."""

    open = "open"
    evidence_submitted = "evidence_submitted"
    closed = "closed"


class CorrectionSource(StrEnum):
    """Who asked for corrections: the inspector's completeness check or GACC."""

    inspection = "inspection"
    gacc = "gacc"


class Confidence(StrEnum):
    """How sure the reference data is of a value: V published source, S secondary, U unverified."""

    V = "V"
    S = "S"
    U = "U"


class ListingRoute(StrEnum):
    """How GACC listed an establishment."""

    under_guarantee = "under_guarantee"
    after_gacc_inspection = "after_gacc_inspection"


class Regime(StrEnum):
    """The GACC rules a registration was listed under (domain/calendar.py: REGIME_248/280)."""

    decree_248 = "248"
    order_280 = "280"


class SuspensionAuthority(StrEnum):
    """Who suspended a registration."""

    gacc = "gacc"
    kazakh_authority = "kazakh_authority"
    voluntary = "voluntary"


class InvalidationCause(StrEnum):
    """A change that voids a China registration number."""

    relocation = "relocation"
    legal_representative = "legal_representative"
    kz_registration_number = "kz_registration_number"


class CertificateStatus(StrEnum):
    """A certificate's status, derived (never stored) from it and its registration."""

    valid = "valid"
    suspended = "suspended"
    expired = "expired"
    revoked = "revoked"
    replaced = "replaced"


class NotificationKind(StrEnum):
    """What a notification is about."""

    returned = "returned"
    inspection_scheduled = "inspection_scheduled"
    corrective_actions = "corrective_actions"
    results = "results"
    conclusion = "conclusion"
    registered = "registered"
    gacc_returned = "gacc_returned"
    gacc_refused = "gacc_refused"
    suspended = "suspended"
    resumed = "resumed"
    revoked = "revoked"
    cancelled = "cancelled"
    invalidated = "invalidated"
    expired = "expired"
    renewal_window = "renewal_window"
    assigned = "assigned"
    submitted = "submitted"
    certificate_issued = "certificate_issued"
    certificate_revoked = "certificate_revoked"
    renewed = "renewed"
    holiday_data = "holiday_data"
    consignment_certificate_issued = "consignment_certificate_issued"
    name_change_requested = "name_change_requested"
    name_change_decided = "name_change_decided"
    consignment_refused = "consignment_refused"
    consignment_correction = "consignment_correction"
    consignment_cancelled = "consignment_cancelled"
    lab_samples = "lab_samples"
    lab_result = "lab_result"


class ChangeRequestStatus(StrEnum):
    """Where a requested change of a registered name stands (staff review it)."""

    pending = "pending"
    approved = "approved"
    refused = "refused"
