"""The typed inputs of the use cases: dataclasses built from a form's data or by hand.

Every field has a default (None, or empty), so an input built by hand names only what it
sets; the service checks the values and reports every problem at once (ValidationFailed).
The services re-export the inputs they take (`enterprises.EnterpriseInput`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Self

from certtrack.domain.workflow import Role

Version = int | str | None


class ServiceInput:
    """Mixin for a dataclass of the entries a use case takes."""

    @classmethod
    def from_mapping(cls, data: Mapping) -> Self:
        """The input from a mapping such as a form's data; keys the input does not name (the
        CSRF token, the submit button) are ignored."""
        names = {item.name for item in fields(cls)}  # type: ignore[arg-type]
        return cls(**{key: value for key, value in data.items() if key in names})


@dataclass(frozen=True)
class AccountInput(ServiceInput):
    """An account as an administrator (or the command line) enters it."""

    email: str = ""
    full_name: str = ""
    role: str = ""
    committee: str | None = None
    regions: list[str] = field(default_factory=list)
    is_active: bool = True
    password: str = ""
    laboratory_id: int | None = None
    version: Version = None  # the account as its edit page was loaded
    reason: str = ""  # why an active account is disabled (kept in the audit row)
    role_reason: str = ""  # why the role changes (kept in the audit row)
    locale: str | None = None  # the language of the account's e-mails (None: unchanged)

    @property
    def is_inspector(self) -> bool:
        """Only inspectors belong to a committee and cover regions."""
        return self.role == Role.inspector


@dataclass(frozen=True)
class OfficialInput(ServiceInput):
    """How a registrar or inspector is named on the documents: name and position in Kazakh,
    Russian, English and Chinese."""

    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    name_zh: str = ""
    position_kk: str = ""
    position_ru: str = ""
    position_en: str = ""
    position_zh: str = ""
    version: Version = None


@dataclass(frozen=True)
class EnterpriseInput(ServiceInput):
    """An enterprise's profile as the exporter enters it (the BIN only when registering)."""

    bin: str = ""
    name_en: str = ""
    name_kk: str = ""
    name_ru: str = ""
    name_zh: str = ""
    legal_form: str = ""
    legal_representative: str = ""
    region_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    version: Version = None


@dataclass(frozen=True)
class EstablishmentInput(ServiceInput):
    """An establishment as the exporter enters it: name and address in Kazakh, and optionally
    in Russian, English and Chinese."""

    name: str = ""
    name_ru: str = ""
    name_en: str = ""
    name_zh: str = ""
    type: str = ""
    region_code: str = ""
    address: str = ""
    address_ru: str = ""
    address_en: str = ""
    address_zh: str = ""
    kz_registration_number: str = ""
    version: Version = None
    # The exporter confirms that an address changed in some languages only is meant so (a
    # spelling corrected): the others stay as they are.
    address_in_part: bool = False


@dataclass(frozen=True)
class ApplicationInput(ServiceInput):
    """An application's draft: kind, establishment, category and the questionnaire."""

    kind: str | None = None
    establishment_id: int | None = None
    gacc_category_code: str | None = None
    haccp_status: str | None = None
    haccp_details: str | None = None
    traceability: str | None = None
    production_capacity: int | None = None
    storage_capacity: int | None = None
    water_source: str | None = None
    staff_count: int | None = None
    last_inspection_date: date | None = None
    last_inspection_authority: str | None = None
    version: Version = None


@dataclass(frozen=True)
class ProductInput(ServiceInput):
    """A product line of an application: a catalogue product and its annual volume."""

    product_code: str | None = None
    annual_volume: Decimal | int | None = None
    volume_unit: str | None = None


@dataclass(frozen=True)
class FindingInput(ServiceInput):
    """A finding of an inspection."""

    requirement: str | None = None
    observation: str | None = None
    clause: str | None = None
    severity: str | None = None
    requirement_en: str | None = None  # for the dossier, when `requirement` is in Cyrillic
    observation_en: str | None = None  # for the dossier, when `observation` is in Cyrillic


@dataclass(frozen=True)
class SampleInput(ServiceInput):
    """A sample taken for the laboratory."""

    code: str | None = None
    product_code: str | None = None
    taken_on: date | None = None
    matrix: str | None = None
    laboratory: str | None = None
    laboratory_id: int | None = None


@dataclass(frozen=True)
class LabResultInput(ServiceInput):
    """One laboratory result of a sample, against one limit row.

    `detected`: 'yes'/'no' (or True/False) for presence tests, None for measured values.
    """

    limit_id: int | None = None
    value: Decimal | None = None
    unit: str | None = None
    loq: Decimal | None = None
    detected: str | bool | None = None
    method: str | None = None
    tested_on: date | None = None
    valid_days: int | None = None
    correction: str = ""  # why a result is added where the parameter has one already


@dataclass(frozen=True)
class LimitInput(ServiceInput):
    """An administrator's edit of a laboratory limit row."""

    value: Decimal | None = None
    unit: str | None = None
    matrix: str | None = None  # in English
    # The matrix in Russian, Kazakh and Chinese: None keeps the row's, empty shows the English.
    matrix_ru: str | None = None
    matrix_kk: str | None = None
    matrix_zh: str | None = None
    products: str | None = None
    source: str | None = None
    confidence: str | None = None
    required: bool | None = None
    version: Version = None


@dataclass(frozen=True)
class BatchInput(ServiceInput):
    """A request sent to GACC: its reference, date and the applications it carries."""

    reference: str | None = None
    submitted_on: date | None = None
    application_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class GaccReturnInput(ServiceInput):
    """GACC's request for corrections, one request per line."""

    requests: str | None = None
    response_deadline: date | None = None
    version: Version = None


@dataclass(frozen=True)
class GaccRefusalInput(ServiceInput):
    """GACC's refusal and its reasons."""

    reasons: str | None = None
    version: Version = None


@dataclass(frozen=True)
class RegistrationInput(ServiceInput):
    """GACC's listing as the registrar records it."""

    china_number: str | None = None
    listing_date: date | None = None
    valid_from: date | None = None
    route: str | None = None
    version: Version = None


@dataclass(frozen=True)
class StatusChangeInput(ServiceInput):
    """A change of a registration's status: the reason and what the action needs.

    suspend: authority, suspended_from, suspended_until (optional); resume:
    products_produced_from; revoke: reference (GACC's announcement); invalidate: cause.
    """

    reason: str | None = None
    authority: str | None = None
    suspended_from: date | None = None
    suspended_until: date | None = None
    products_produced_from: date | None = None
    reference: str | None = None
    cause: str | None = None
    version: Version = None


@dataclass(frozen=True)
class CorrectiveActionInput(ServiceInput):
    """The corrective action asked of the exporter for one finding, and its due date."""

    action: str = ""
    due_date: date | None = None
    action_en: str = ""  # for the dossier, when `action` is in Cyrillic


@dataclass(frozen=True)
class TokenInput(ServiceInput):
    """An API token as its owner asks for it: a name, the scopes, the days it is valid."""

    name: str = ""
    scopes: list[str] = field(default_factory=list)
    days: int | None = None


@dataclass(frozen=True)
class LaboratoryInput(ServiceInput):
    """An accredited laboratory as an administrator records it: `name` in English, as on the
    accreditation, and its names in Kazakh, Russian and Chinese."""

    name: str = ""
    name_kk: str = ""
    name_ru: str = ""
    name_zh: str = ""
    accreditation_number: str = ""
    accredited_until: date | None = None
    parameters: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # gacc_category codes


@dataclass(frozen=True)
class ListingInput(ServiceInput):
    """A GACC category's place on the Order 280 renewal list, with its source."""

    on_list: bool = False
    source: str = ""
    confidence: str | None = None
    version: Version = None


@dataclass(frozen=True)
class MarketAccessInput(ServiceInput):
    """A product's protocol with China as an administrator enters it."""

    protocol_status: str | None = None
    protocol_name: str = ""  # in English; the other languages fall back to it
    protocol_name_ru: str = ""
    protocol_name_kk: str = ""
    protocol_name_zh: str = ""
    protocol_date: date | None = None
    protocol_date_precision: str = "day"  # domain.market_access.DATE_PRECISIONS
    accepted_regions: str = ""
    source: str = ""
    confidence: str | None = None
    version: Version = None


@dataclass(frozen=True)
class MeasurementInput(ServiceInput):
    """A quarantine measurement taken during an inspection."""

    measured_product: str | None = None
    measure: str | None = None
    measured_value: Decimal | None = None
    species: str = ""
    correction: str = ""  # what was corrected, measuring again after a failing measurement
