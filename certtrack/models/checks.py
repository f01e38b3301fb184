"""CHECK constraints of the enumerated columns, derived from the domain's enumerations.

Each row names a column and the enumeration whose codes it may hold; `optional` columns may
also be NULL or empty (questionnaire answers left blank, a registration never suspended).
Migration 0016 creates the same constraints, under the same names, in existing databases.
"""

from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import CheckConstraint, MetaData

from certtrack.domain.compliance import LimitKind, Verdict
from certtrack.domain.consignment import CancellationGround
from certtrack.domain.vocabulary import (
    ApplicationKind,
    ChangeRequestStatus,
    Committee,
    Confidence,
    CorrectionSource,
    EstablishmentType,
    FindingStatus,
    HaccpStatus,
    InspectionMode,
    LegalForm,
    ListingRoute,
    NotificationKind,
    Regime,
    ReviewStatus,
    Severity,
    SuspensionAuthority,
    VolumeUnit,
    WaterSource,
    codes,
)
from certtrack.domain.workflow import RegistrationStatus, Role, State


class EnumColumn(NamedTuple):
    """A column whose values come from an enumeration."""

    table: str
    column: str
    enum: type[StrEnum]
    optional: bool = False


ENUM_COLUMNS = (
    EnumColumn("user", "role", Role),
    EnumColumn("user", "committee", Committee, optional=True),
    EnumColumn("gacc_category", "committee", Committee),
    EnumColumn("application", "state", State),
    EnumColumn("application", "kind", ApplicationKind),
    EnumColumn("application", "haccp_status", HaccpStatus, optional=True),
    EnumColumn("application", "water_source", WaterSource, optional=True),
    EnumColumn("application_product", "volume_unit", VolumeUnit),
    EnumColumn("enterprise", "legal_form", LegalForm),
    EnumColumn("establishment", "type", EstablishmentType),
    EnumColumn("document", "review_status", ReviewStatus),
    EnumColumn("correction_request", "source", CorrectionSource),
    EnumColumn("inspection", "mode", InspectionMode),
    EnumColumn("finding", "severity", Severity),
    EnumColumn("finding", "status", FindingStatus),
    EnumColumn("lab_limit", "kind", LimitKind),
    EnumColumn("lab_limit", "confidence", Confidence),
    EnumColumn("lab_result", "verdict", Verdict),
    EnumColumn("registration", "status", RegistrationStatus),
    EnumColumn("registration", "route", ListingRoute),
    EnumColumn("registration", "regime", Regime),
    EnumColumn("registration", "suspension_authority", SuspensionAuthority, optional=True),
    EnumColumn("notification", "kind", NotificationKind),
    EnumColumn("name_change_request", "status", ChangeRequestStatus),
    EnumColumn("consignment_certificate", "cancellation_ground", CancellationGround,
               optional=True),
)


def check_condition(column: str, values: tuple[str, ...], optional: bool) -> str:
    """The SQL condition allowing `values` (our own codes, never a user's text)."""
    listed = ", ".join(f"'{value}'" for value in (*values, *([""] if optional else [])))
    condition = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {condition}" if optional else condition


def attach_checks(metadata: MetaData) -> None:
    """Add the CHECK constraint of every enumerated column to its table (named
    ck_<table>_<column>_allowed by the naming convention)."""
    for row in ENUM_COLUMNS:
        table = metadata.tables[row.table]
        name = f"{row.column}_allowed"
        if any(getattr(c, "name", None) == name for c in table.constraints):
            continue
        table.append_constraint(CheckConstraint(
            check_condition(row.column, codes(row.enum), row.optional), name=name))
