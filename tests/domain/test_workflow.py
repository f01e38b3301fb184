"""Table-driven tests of the application workflow and the registration lifecycle."""

from itertools import product

import pytest

from certtrack.domain.workflow import (
    REGISTRATION_TRANSITIONS,
    STAGE_SLA,
    SYSTEM_ACTIONS,
    TERMINAL_REGISTRATION_STATUSES,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    DomainError,
    IllegalTransition,
    RegistrationAction,
    RegistrationStatus,
    Role,
    State,
    allowed_actions,
    allowed_registration_actions,
    check_transition,
    next_registration_status,
    next_registration_status_by_system,
    next_state,
)

# (source, action, role) -> target, copied from the table of docs/domain.md §3, not the code.
EXPECTED = {
    ("draft", "submit", "exporter"): "submitted",
    ("submitted", "start_review", "inspector"): "under_review",
    ("under_review", "return_for_corrections", "inspector"): "returned",
    ("returned", "resubmit", "exporter"): "submitted",
    ("under_review", "reject", "inspector"): "rejected",
    ("under_review", "schedule_inspection", "inspector"): "inspection_scheduled",
    ("inspection_scheduled", "record_inspection", "inspector"): "inspected",
    ("inspected", "require_corrective_actions", "inspector"): "corrective_actions",
    ("corrective_actions", "submit_corrective_evidence", "exporter"): "corrective_actions",
    ("corrective_actions", "verify_corrective_actions", "inspector"): "inspected",
    ("inspected", "send_to_lab", "inspector"): "lab_testing",
    ("lab_testing", "record_lab_results", "inspector"): "inspected",
    ("inspected", "conclude_negative", "inspector"): "conclusion_negative",
    ("inspected", "conclude_positive", "inspector"): "conclusion_positive",
    ("conclusion_positive", "recommend", "registrar"): "recommended",
    ("recommended", "submit_to_gacc", "registrar"): "submitted_to_gacc",
    ("submitted_to_gacc", "record_gacc_return", "registrar"): "gacc_returned",
    ("gacc_returned", "resubmit_to_gacc", "registrar"): "submitted_to_gacc",
    ("submitted_to_gacc", "record_gacc_refusal", "registrar"): "gacc_refused",
    ("gacc_returned", "record_gacc_refusal", "registrar"): "gacc_refused",  # never answered
    ("submitted_to_gacc", "record_registration", "registrar"): "registered",
    ("draft", "withdraw", "exporter"): "withdrawn",
    ("submitted", "withdraw", "exporter"): "withdrawn",
    ("returned", "withdraw", "exporter"): "withdrawn",
}

# (status, action, role) -> status, from docs/domain.md §4 (GACC Decree 248, Art. 19-20).
EXPECTED_REGISTRATION = {
    ("active", "suspend", "registrar"): "suspended",
    ("suspended", "resume", "registrar"): "active",
    ("suspended", "amend_suspension", "registrar"): "suspended",  # its end, as GACC moves it
    ("active", "revoke", "registrar"): "revoked",
    ("suspended", "revoke", "registrar"): "revoked",
    ("active", "cancel", "registrar"): "cancelled",
    ("suspended", "cancel", "registrar"): "cancelled",
    ("active", "invalidate", "registrar"): "invalidated",
    ("suspended", "invalidate", "registrar"): "invalidated",
    ("active", "expire", "registrar"): "expired",
    ("suspended", "expire", "registrar"): "expired",
}


@pytest.mark.parametrize(
    ("state", "action", "role"),
    list(product(State, Action, Role)),
    ids=lambda value: str(value),
)
def test_next_state_matches_the_table(state, action, role):
    expected = EXPECTED.get((state.value, action.value, role.value))
    if expected is None:
        with pytest.raises(IllegalTransition) as caught:
            next_state(state, action, role)
        assert (caught.value.state, caught.value.action, caught.value.role) == (state, action, role)
        assert str(caught.value)
    else:
        assert next_state(state, action, role) == State(expected)


@pytest.mark.parametrize(
    ("status", "action", "role"),
    list(product(RegistrationStatus, RegistrationAction, Role)),
    ids=lambda value: str(value),
)
def test_next_registration_status_matches_the_table(status, action, role):
    expected = EXPECTED_REGISTRATION.get((status.value, action.value, role.value))
    if expected is None:
        with pytest.raises(IllegalTransition):
            next_registration_status(status, action, role)
    else:
        assert next_registration_status(status, action, role) == RegistrationStatus(expected)


def test_tables_have_no_rows_beyond_the_documented_ones():
    assert len(TRANSITIONS) == len(EXPECTED)
    assert len(REGISTRATION_TRANSITIONS) == len(EXPECTED_REGISTRATION)


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        ("draft", "exporter", ["submit", "withdraw"]),
        ("submitted", "inspector", ["start_review"]),
        ("submitted", "exporter", ["withdraw"]),
        ("returned", "exporter", ["resubmit", "withdraw"]),
        (
            "inspected",
            "inspector",
            ["require_corrective_actions", "send_to_lab", "conclude_negative", "conclude_positive"],
        ),
        ("corrective_actions", "exporter", ["submit_corrective_evidence"]),
        ("corrective_actions", "inspector", ["verify_corrective_actions"]),
        (
            "submitted_to_gacc",
            "registrar",
            ["record_gacc_return", "record_gacc_refusal", "record_registration"],
        ),
        ("draft", "inspector", []),
        ("registered", "registrar", []),
    ],
)
def test_allowed_actions_examples(state, role, expected):
    assert allowed_actions(State(state), Role(role)) == [Action(a) for a in expected]


@pytest.mark.parametrize("state", list(State))
def test_admin_has_no_workflow_actions(state):
    assert allowed_actions(state, Role.admin) == []


def test_anonymous_has_no_workflow_actions():
    assert allowed_actions(State.draft, None) == []
    with pytest.raises(IllegalTransition):
        next_state(State.draft, Action.submit, None)


def test_illegal_transition_is_a_domain_error_with_an_english_message():
    with pytest.raises(DomainError, match="Role 'inspector' may not perform 'submit'"):
        next_state(State.draft, Action.submit, Role.inspector)
    with pytest.raises(DomainError, match="'conclude_positive' is not possible in state 'draft'"):
        next_state(State.draft, Action.conclude_positive, Role.inspector)


def test_comment_is_required_for_refusals_returns_and_withdrawals():
    """A withdrawal is final: the page asked for a reason, the API did not (one rule now)."""
    needing = {key[1] for key, row in TRANSITIONS.items() if row.requires_comment}
    assert needing == {
        Action.withdraw,
        Action.return_for_corrections,
        Action.reject,
        Action.conclude_negative,
        Action.record_gacc_refusal,
        Action.record_gacc_return,
    }
    assert check_transition(State.under_review, Action.reject, Role.inspector).requires_comment


def test_terminal_states_have_no_way_out():
    expected = {
        State.rejected,
        State.conclusion_negative,
        State.gacc_refused,
        State.registered,
        State.withdrawn,
    }
    assert set(TERMINAL_STATES) == expected
    for state in TERMINAL_STATES:
        assert not any(source == state for source, _ in TRANSITIONS)
    for status in TERMINAL_REGISTRATION_STATUSES:
        assert not any(source == status for source, _ in REGISTRATION_TRANSITIONS)


def test_completeness_check_sla_is_two_working_days():
    assert dict(STAGE_SLA) == {State.submitted: ("completeness_check", 2)}
    assert STAGE_SLA[State.submitted].working_days == 2


def test_registration_actions_per_role():
    assert allowed_registration_actions(RegistrationStatus.active, Role.registrar) == [
        RegistrationAction.suspend,
        RegistrationAction.revoke,
        RegistrationAction.cancel,
        RegistrationAction.invalidate,
        RegistrationAction.expire,
    ]
    assert allowed_registration_actions(RegistrationStatus.suspended, Role.registrar)[0] == (
        RegistrationAction.resume
    )
    assert allowed_registration_actions(RegistrationStatus.active, Role.admin) == []
    assert allowed_registration_actions(RegistrationStatus.revoked, Role.registrar) == []


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("active", "expire", "expired"),
        ("suspended", "expire", "expired"),
        ("suspended", "resume", "active"),
        ("active", "cancel", "cancelled"),  # Order 280 renewal window missed
        ("suspended", "cancel", "cancelled"),
    ],
)
def test_daily_job_may_expire_and_resume(status, action, expected):
    result = next_registration_status_by_system(
        RegistrationStatus(status), RegistrationAction(action)
    )
    assert result == RegistrationStatus(expected)


@pytest.mark.parametrize(
    ("status", "action"),
    [("active", "revoke"), ("active", "suspend"), ("active", "resume"), ("expired", "expire")],
)
def test_daily_job_may_not_apply_manual_or_undefined_actions(status, action):
    assert set(SYSTEM_ACTIONS) == {RegistrationAction.expire, RegistrationAction.cancel,
                                   RegistrationAction.resume}
    with pytest.raises(IllegalTransition) as caught:
        next_registration_status_by_system(RegistrationStatus(status), RegistrationAction(action))
    assert caught.value.role is None
