"""Consignment certificates (layer 3): the consignment workflow as data, kinds and numbering."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from certtrack.domain.identifiers import IdentifierError
from certtrack.domain.workflow import IllegalTransition, Role


class ConsignmentState(StrEnum):
    """States of a request for a consignment certificate."""

    draft = "draft"
    submitted = "submitted"
    under_inspection = "under_inspection"
    issued = "issued"
    refused = "refused"
    withdrawn = "withdrawn"
    cancelled = "cancelled"


class ConsignmentAction(StrEnum):
    """Verbs that move a consignment between states."""

    submit = "submit"
    withdraw = "withdraw"
    start_inspection = "start_inspection"
    refuse = "refuse"
    issue = "issue"
    request_correction = "request_correction"
    reopen = "reopen"
    cancel = "cancel"


class CertificateKind(StrEnum):
    """A phytosanitary certificate (ISPM 12) or a veterinary certificate (WOAH model)."""

    phyto = "phyto"
    vet = "vet"


class CancellationGround(StrEnum):
    """Why a consignment certificate was cancelled, as anyone who checks it reads it in their
    own language (ISPM 12 section 6.1). Its inspector chooses one of INSPECTOR_GROUNDS; the
    workflow sets the others. The words of the reason stay with the exporter and the audit
    trail: they are in the writer's language and may be the exporter's business."""

    not_exported = "not_exported"  # the goods do not leave
    issued_in_error = "issued_in_error"
    withdrawn = "withdrawn"  # the exporter withdrew the consignment being corrected
    refused = "refused"  # the consignment being corrected was refused at its inspection


INSPECTOR_GROUNDS = (CancellationGround.not_exported, CancellationGround.issued_in_error)


@dataclass(frozen=True)
class ConsignmentTransition:
    """One row of the consignment workflow."""

    source: ConsignmentState
    action: ConsignmentAction
    target: ConsignmentState
    roles: frozenset[Role]
    requires_comment: bool = False


_EXPORTER = frozenset({Role.exporter})
_INSPECTOR = frozenset({Role.inspector})
S, A = ConsignmentState, ConsignmentAction
# Table order matters: allowed_consignment_actions() lists actions in this order.
_ROWS: tuple[ConsignmentTransition, ...] = (
    ConsignmentTransition(S.draft, A.submit, S.submitted, _EXPORTER),
    ConsignmentTransition(S.draft, A.withdraw, S.withdrawn, _EXPORTER, True),
    ConsignmentTransition(S.submitted, A.start_inspection, S.under_inspection, _INSPECTOR),
    ConsignmentTransition(S.submitted, A.refuse, S.refused, _INSPECTOR, True),
    ConsignmentTransition(S.submitted, A.withdraw, S.withdrawn, _EXPORTER, True),
    ConsignmentTransition(S.under_inspection, A.issue, S.issued, _INSPECTOR),
    ConsignmentTransition(S.under_inspection, A.refuse, S.refused, _INSPECTOR, True),
    # An issued certificate's data corrected (ISPM 12 section 6.1): by the exporter, whose
    # draft it is again, or by its inspector; it stays valid until the replacement is
    # issued, which names it. Cancelled: the goods do not leave, or it was issued in error.
    ConsignmentTransition(S.issued, A.request_correction, S.draft, _EXPORTER, True),
    ConsignmentTransition(S.issued, A.reopen, S.under_inspection, _INSPECTOR, True),
    ConsignmentTransition(S.issued, A.cancel, S.cancelled, _INSPECTOR, True),
)
del S, A

CONSIGNMENT_TRANSITIONS: Mapping[tuple[ConsignmentState, ConsignmentAction],
                                 ConsignmentTransition] = MappingProxyType(
    {(row.source, row.action): row for row in _ROWS})

# No way out. An issued consignment has one: its certificate corrected or cancelled.
TERMINAL_CONSIGNMENT_STATES = frozenset({ConsignmentState.refused, ConsignmentState.withdrawn,
                                         ConsignmentState.cancelled})
# States an inspector works on; the certificate's service level runs from submission.
OPEN_CONSIGNMENT_STATES = frozenset({ConsignmentState.submitted,
                                     ConsignmentState.under_inspection})

# The committee that inspects a GACC category certifies its consignments (MoA structure).
KIND_OF_COMMITTEE: Mapping[str, CertificateKind] = MappingProxyType(
    {"phytosanitary": CertificateKind.phyto, "veterinary": CertificateKind.vet})
# The service level of each certificate, a key of calendar.SLA_WORKING_DAYS.
SLA_SERVICE: Mapping[CertificateKind, str] = MappingProxyType(
    {CertificateKind.phyto: "phytosanitary_certificate",
     CertificateKind.vet: "veterinary_certificate"})
NUMBER_PREFIX: Mapping[CertificateKind, str] = MappingProxyType(
    {CertificateKind.phyto: "KZ-PC", CertificateKind.vet: "KZ-VC"})
_NUMBER = re.compile(r"KZ-(PC|VC)-([0-9]{4})-([0-9]{6})")
_MAX_SERIAL = 999_999


def allowed_consignment_actions(state: str, role: Role | str | None) -> list[ConsignmentAction]:
    """Take a state and a role; return the actions that role may perform, in table order."""
    return [row.action for row in _ROWS if row.source == state and role in row.roles]


def check_consignment_transition(state: str, action: str,
                                 role: Role | str | None) -> ConsignmentTransition:
    """Take a state, an action and a role; return the transition.

    :raise IllegalTransition: not defined in that state, or the role may not perform it.
    """
    row = CONSIGNMENT_TRANSITIONS.get((state, action))
    if row is None:
        raise IllegalTransition(state, action, role, defined=False)
    if role not in row.roles:
        raise IllegalTransition(state, action, role, defined=True)
    return row


def format_consignment_certificate_number(kind: str, year: int, serial: int) -> str:
    """(phyto, 2027, 123) -> 'KZ-PC-2027-000123'; (vet, 2027, 45) -> 'KZ-VC-2027-000045'.

    Raises ValueError for an unknown kind, IdentifierError('range') for a year outside
    1000-9999 or a serial outside 1-999999.
    """
    prefix = NUMBER_PREFIX[CertificateKind(kind)]
    if not 1000 <= year <= 9999 or not 1 <= serial <= _MAX_SERIAL:
        raise IdentifierError("range", "A certificate number has a four-digit year and a "
                                       f"serial between 1 and {_MAX_SERIAL}.")
    return f"{prefix}-{year:04d}-{serial:06d}"


def parse_consignment_certificate_number(text: str) -> tuple[CertificateKind, int, int]:
    """Parse 'KZ-PC-2027-000123' (whitespace trimmed, letters uppercased) into (kind, year,
    serial). Raises IdentifierError('format') for anything the formatter could not produce.
    """
    match = _NUMBER.fullmatch(text.strip().upper())
    if match is None or int(match.group(2)) < 1000 or int(match.group(3)) < 1:
        raise IdentifierError("format", "A consignment certificate number looks like "
                                        "KZ-PC-2027-000123 or KZ-VC-2027-000045.")
    kind = CertificateKind.phyto if match.group(1) == "PC" else CertificateKind.vet
    return kind, int(match.group(2)), int(match.group(3))


def is_consignment_certificate_number(text: str) -> bool:
    """True when `text` reads as a consignment certificate's number (KZ-PC-…, KZ-VC-…)."""
    try:
        parse_consignment_certificate_number(text)
    except IdentifierError:
        return False
    return True


# The border crossings' modes (reference/crossings.csv) each means of conveyance enters by: a
# wagon by rail, a truck by road, a container by either (on a flat wagon or a trailer).
CONVEYANCE_MODES = MappingProxyType({"rail_wagon": frozenset({"rail"}),
                                     "truck": frozenset({"road"}),
                                     "container": frozenset({"rail", "road"})})


def conveyance_enters_by(conveyance: str, mode: str) -> bool:
    """True when the means of `conveyance` can cross the border at a crossing of `mode`
    ("rail" or "road"); an unknown conveyance or mode is left to the other checks."""
    modes = CONVEYANCE_MODES.get(conveyance)
    return modes is None or mode not in ("rail", "road") or mode in modes


# The GACC categories whose goods travel at ambient temperature: their veterinary certificate
# states no storage temperature. Honey is shipped in drums, unrefrigerated; the WOAH model
# certificate (docs/domain.md §7) names no storage temperature, which the chilled and frozen
# products' certificates state as the temperature they are kept at.
AMBIENT_CATEGORIES = frozenset({"bee_products"})


def needs_storage_temperature(kind: str, category_code: str) -> bool:
    """True when a consignment's certificate must state the temperature its goods are kept at:
    a veterinary certificate, except for goods that travel at ambient temperature (honey)."""
    return kind == CertificateKind.vet and category_code not in AMBIENT_CATEGORIES
