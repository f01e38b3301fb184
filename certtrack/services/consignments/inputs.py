"""What the exporter and the inspector enter, as typed inputs for the consignment services."""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ConsignmentInput:
    """A consignment request's header: registration, consignee, conveyance, entry, origin."""

    registration_id: int
    consignee_name: str
    consignee_address: str
    conveyance: str
    crossing_code: str
    origin_region_code: str
    place_of_origin: str = ""
    production_from: date | None = None
    production_to: date | None = None
    storage_temperature: Decimal | None = None
    version: str | int | None = None


@dataclass(frozen=True)
class LotInput:
    """One product of the consignment with its quantities, packages and marks."""

    product_code: str
    net_weight: Decimal
    gross_weight: Decimal
    weight_unit: str
    packages_number: int
    packages_kind: str
    marks: str = ""


@dataclass(frozen=True)
class InspectionInput:
    """The inspection of the lot: when, where, with what result."""

    inspected_on: date
    place: str
    result: str
    notes: str = ""


@dataclass(frozen=True)
class TreatmentInput:
    """A treatment of the ISPM 12 treatment box."""

    type: str
    treated_on: date
    active_substance: str = ""
    concentration: str = ""
    temperature: Decimal | None = None
    duration: str = ""


@dataclass(frozen=True)
class LabResultInput:
    """A laboratory result on a sample of the consignment."""

    limit_id: int
    sample_code: str
    tested_on: date
    value: Decimal | None = None
    unit: str = ""
    loq: Decimal | None = None
    detected: bool | None = None
    method: str = ""
    laboratory: str = ""


def from_mapping(cls, data: dict):
    """Build an input dataclass from a form's data, ignoring keys it does not know."""
    names = {field.name for field in fields(cls)}
    return cls(**{key: value for key, value in data.items() if key in names})
