"""Application workflow and registration lifecycle as data, with the checks that enforce them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple


class DomainError(Exception):
    """Base class for violations of a business rule."""


class Role(StrEnum):
    """Human roles; admins manage users and reference data, never the workflow."""

    exporter = "exporter"
    inspector = "inspector"
    registrar = "registrar"
    admin = "admin"
    laboratory = "laboratory"  # an accredited laboratory: posts results of samples sent to it


class State(StrEnum):
    """States of a certification application (MoA procedure for GACC's register; Decree 248)."""

    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    returned = "returned"
    rejected = "rejected"
    inspection_scheduled = "inspection_scheduled"
    inspected = "inspected"
    corrective_actions = "corrective_actions"
    lab_testing = "lab_testing"
    conclusion_negative = "conclusion_negative"
    conclusion_positive = "conclusion_positive"
    recommended = "recommended"
    submitted_to_gacc = "submitted_to_gacc"
    gacc_returned = "gacc_returned"
    gacc_refused = "gacc_refused"
    registered = "registered"
    withdrawn = "withdrawn"


# The workflow's order, as docs/domain.md §3 lists the states (the order State declares them):
# from the draft through the inspection and GACC to the registration, then the withdrawal.
# A list sorted by state follows it, never the codes' alphabetical order.
STATE_ORDER: tuple[State, ...] = tuple(State)


class Action(StrEnum):
    """Verbs that move an application between states."""

    submit = "submit"
    resubmit = "resubmit"
    withdraw = "withdraw"
    start_review = "start_review"
    return_for_corrections = "return_for_corrections"
    reject = "reject"
    schedule_inspection = "schedule_inspection"
    record_inspection = "record_inspection"
    require_corrective_actions = "require_corrective_actions"
    submit_corrective_evidence = "submit_corrective_evidence"
    verify_corrective_actions = "verify_corrective_actions"
    send_to_lab = "send_to_lab"
    record_lab_results = "record_lab_results"
    conclude_negative = "conclude_negative"
    conclude_positive = "conclude_positive"
    recommend = "recommend"
    submit_to_gacc = "submit_to_gacc"
    record_gacc_return = "record_gacc_return"
    resubmit_to_gacc = "resubmit_to_gacc"
    record_gacc_refusal = "record_gacc_refusal"
    record_registration = "record_registration"


class RegistrationStatus(StrEnum):
    """States of a GACC registration after listing (GACC Decree 248; docs/domain.md §4)."""

    active = "active"
    suspended = "suspended"
    revoked = "revoked"
    cancelled = "cancelled"
    expired = "expired"
    invalidated = "invalidated"


# A registration China holds: in force, or suspended (it resumes). Revoked, cancelled, expired
# and invalidated ones are over.
LIVE_REGISTRATION_STATUSES = (RegistrationStatus.active.value, RegistrationStatus.suspended.value)


class RegistrationAction(StrEnum):
    """Verbs that change a registration's status (amend_suspension: its suspension's end)."""

    suspend = "suspend"
    amend_suspension = "amend_suspension"
    resume = "resume"
    revoke = "revoke"
    cancel = "cancel"
    invalidate = "invalidate"
    expire = "expire"


@dataclass(frozen=True)
class Transition:
    """One row of the application workflow: who may do `action` in `source`, and where it leads."""

    source: State
    action: Action
    target: State
    roles: frozenset[Role]
    requires_comment: bool = False


@dataclass(frozen=True)
class RegistrationTransition:
    """One row of the registration lifecycle."""

    source: RegistrationStatus
    action: RegistrationAction
    target: RegistrationStatus
    roles: frozenset[Role]
    requires_comment: bool = False


class StageSla(NamedTuple):
    """Service level of a stage: its name and the working days allowed in it."""

    name: str
    working_days: int


class IllegalTransition(DomainError):
    """Raised when an action is not defined for a state or the role may not perform it."""

    def __init__(self, state: str, action: str, role: str | None, *, defined: bool) -> None:
        self.state = state
        self.action = action
        self.role = role
        if defined:
            actor = "The system" if role is None else f"Role '{role}'"
            message = f"{actor} may not perform '{action}' in state '{state}'."
        else:
            message = f"Action '{action}' is not possible in state '{state}'."
        super().__init__(message)
        self.message = message


# The ministry's staff: a second factor at sign-in and a shorter idle timeout.
STAFF_ROLES = frozenset({Role.inspector, Role.registrar, Role.admin})

_EXPORTER = frozenset({Role.exporter})
_INSPECTOR = frozenset({Role.inspector})
_REGISTRAR = frozenset({Role.registrar})

S, A = State, Action
# Table order matters: allowed_actions() lists actions in this order.
_ROWS: tuple[Transition, ...] = (
    Transition(S.draft, A.submit, S.submitted, _EXPORTER),
    Transition(S.draft, A.withdraw, S.withdrawn, _EXPORTER, True),
    Transition(S.submitted, A.start_review, S.under_review, _INSPECTOR),
    Transition(S.submitted, A.withdraw, S.withdrawn, _EXPORTER, True),
    Transition(S.under_review, A.return_for_corrections, S.returned, _INSPECTOR, True),
    Transition(S.under_review, A.reject, S.rejected, _INSPECTOR, True),
    Transition(S.under_review, A.schedule_inspection, S.inspection_scheduled, _INSPECTOR),
    Transition(S.returned, A.resubmit, S.submitted, _EXPORTER),
    Transition(S.returned, A.withdraw, S.withdrawn, _EXPORTER, True),
    Transition(S.inspection_scheduled, A.record_inspection, S.inspected, _INSPECTOR),
    Transition(S.inspected, A.require_corrective_actions, S.corrective_actions, _INSPECTOR),
    Transition(S.inspected, A.send_to_lab, S.lab_testing, _INSPECTOR),
    Transition(S.inspected, A.conclude_negative, S.conclusion_negative, _INSPECTOR, True),
    Transition(S.inspected, A.conclude_positive, S.conclusion_positive, _INSPECTOR),
    # The exporter's evidence upload keeps the state; the inspector's verification moves it on.
    Transition(S.corrective_actions, A.submit_corrective_evidence, S.corrective_actions, _EXPORTER),
    Transition(S.corrective_actions, A.verify_corrective_actions, S.inspected, _INSPECTOR),
    Transition(S.lab_testing, A.record_lab_results, S.inspected, _INSPECTOR),
    Transition(S.conclusion_positive, A.recommend, S.recommended, _REGISTRAR),
    Transition(S.recommended, A.submit_to_gacc, S.submitted_to_gacc, _REGISTRAR),
    Transition(S.submitted_to_gacc, A.record_gacc_return, S.gacc_returned, _REGISTRAR, True),
    Transition(S.submitted_to_gacc, A.record_gacc_refusal, S.gacc_refused, _REGISTRAR, True),
    Transition(S.submitted_to_gacc, A.record_registration, S.registered, _REGISTRAR),
    Transition(S.gacc_returned, A.resubmit_to_gacc, S.submitted_to_gacc, _REGISTRAR),
    # GACC may close a file whose corrections never came: else it awaited GACC for ever.
    Transition(S.gacc_returned, A.record_gacc_refusal, S.gacc_refused, _REGISTRAR, True),
)
del S, A

TRANSITIONS: Mapping[tuple[State, Action], Transition] = MappingProxyType(
    {(row.source, row.action): row for row in _ROWS}
)

# Registered ends the application; the registration then follows its own lifecycle.
TERMINAL_STATES: frozenset[State] = frozenset(
    {
        State.rejected,
        State.conclusion_negative,
        State.gacc_refused,
        State.registered,
        State.withdrawn,
    }
)

# From the submission to the inspector's conclusion: an application's inspector works on it,
# or waits on the exporter's corrections. Only then is it assigned or taken; from the
# conclusion on it is the registrar's and GACC's, and its inspector stays the one who concluded.
INSPECTION_STATES: frozenset[State] = frozenset(
    {
        State.submitted,
        State.under_review,
        State.returned,
        State.inspection_scheduled,
        State.inspected,
        State.corrective_actions,
        State.lab_testing,
    }
)

# Working days an application may stay in a state before it is overdue (public-service standard).
STAGE_SLA: Mapping[State, StageSla] = MappingProxyType(
    {State.submitted: StageSla("completeness_check", 2)}
)

RS, RA = RegistrationStatus, RegistrationAction
_REGISTRATION_ROWS: tuple[RegistrationTransition, ...] = (
    RegistrationTransition(RS.active, RA.suspend, RS.suspended, _REGISTRAR, True),
    RegistrationTransition(RS.suspended, RA.resume, RS.active, _REGISTRAR),
    # GACC extends or shortens a suspension: resuming and suspending again told the exporter
    # "active again" for a day it was not.
    RegistrationTransition(RS.suspended, RA.amend_suspension, RS.suspended, _REGISTRAR),
    *(
        RegistrationTransition(source, action, target, _REGISTRAR, action != RA.expire)
        for source in (RS.active, RS.suspended)
        for action, target in (
            (RA.revoke, RS.revoked),
            (RA.cancel, RS.cancelled),
            (RA.invalidate, RS.invalidated),
            (RA.expire, RS.expired),
        )
    ),
)
del RS, RA

REGISTRATION_TRANSITIONS: Mapping[
    tuple[RegistrationStatus, RegistrationAction], RegistrationTransition
] = MappingProxyType({(row.source, row.action): row for row in _REGISTRATION_ROWS})

TERMINAL_REGISTRATION_STATUSES: frozenset[RegistrationStatus] = frozenset(
    {
        RegistrationStatus.revoked,
        RegistrationStatus.cancelled,
        RegistrationStatus.expired,
        RegistrationStatus.invalidated,
    }
)

# Actions the daily job may apply without a human actor: expiry at valid_to, cancellation of
# a registration whose Order 280 renewal window was missed (domain.renewal), and the end of a
# time-boxed suspension.
SYSTEM_ACTIONS: frozenset[RegistrationAction] = frozenset(
    {RegistrationAction.expire, RegistrationAction.cancel, RegistrationAction.resume}
)


def allowed_actions(state: State, role: Role | None) -> list[Action]:
    """Take a state and the acting role; return the actions that role may perform, in table order.

    An unknown role (or None, for an anonymous user) gets an empty list.
    """
    return [row.action for row in _ROWS if row.source == state and role in row.roles]


def check_transition(state: State, action: Action, role: Role | None) -> Transition:
    """Take a state, an action and the acting role; return the matching `Transition`.

    :raise IllegalTransition: the action is not defined in that state, or the role may not do it.
    """
    row = TRANSITIONS.get((state, action))
    if row is None:
        raise IllegalTransition(state, action, role, defined=False)
    if role not in row.roles:
        raise IllegalTransition(state, action, role, defined=True)
    return row


def check_state(state: str, allowed, step: str) -> None:
    """Take an object's state, the states a step on it (an edit, an upload) is possible in and
    the step's name.

    :raise IllegalTransition: not possible in that state: the state refuses it, not the role.
    """
    if state not in allowed:
        raise IllegalTransition(state, step, None, defined=False)


def next_state(state: State, action: Action, role: Role | None) -> State:
    """Take a state, an action and the acting role; return the state the action leads to.

    :raise IllegalTransition: the action is not defined in that state, or the role may not do it.
    """
    return check_transition(state, action, role).target


def allowed_registration_actions(
    status: RegistrationStatus, role: Role | None
) -> list[RegistrationAction]:
    """Take a registration status and a role; return the actions that role may perform."""
    return [row.action for row in _REGISTRATION_ROWS if row.source == status and role in row.roles]


def check_registration_transition(
    status: RegistrationStatus, action: RegistrationAction, role: Role | None
) -> RegistrationTransition:
    """Take a status, an action and the acting role; return the matching transition.

    :raise IllegalTransition: the action is not defined for that status, or the role may not do it.
    """
    row = REGISTRATION_TRANSITIONS.get((status, action))
    if row is None:
        raise IllegalTransition(status, action, role, defined=False)
    if role not in row.roles:
        raise IllegalTransition(status, action, role, defined=True)
    return row


def next_registration_status(
    status: RegistrationStatus, action: RegistrationAction, role: Role | None
) -> RegistrationStatus:
    """Take a status, an action and the acting role; return the resulting status.

    :raise IllegalTransition: the action is not defined for that status, or the role may not do it.
    """
    return check_registration_transition(status, action, role).target


def next_registration_status_by_system(
    status: RegistrationStatus, action: RegistrationAction
) -> RegistrationStatus:
    """Take a status and an action applied by the daily job; return the resulting status.

    Only `SYSTEM_ACTIONS` are accepted; the error's `role` is None.

    :raise IllegalTransition: the action is not a system action or not defined for that status.
    """
    row = REGISTRATION_TRANSITIONS.get((status, action))
    if row is None:
        raise IllegalTransition(status, action, None, defined=False)
    if action not in SYSTEM_ACTIONS:
        raise IllegalTransition(status, action, None, defined=True)
    return row.target
