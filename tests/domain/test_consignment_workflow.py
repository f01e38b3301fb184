"""The consignment workflow table and consignment certificate numbers."""

import pytest

from certtrack.domain.consignment import (
    CONSIGNMENT_TRANSITIONS,
    TERMINAL_CONSIGNMENT_STATES,
    CertificateKind,
    ConsignmentState,
    allowed_consignment_actions,
    check_consignment_transition,
    conveyance_enters_by,
    format_consignment_certificate_number,
    parse_consignment_certificate_number,
)
from certtrack.domain.identifiers import IdentifierError
from certtrack.domain.workflow import IllegalTransition, Role


@pytest.mark.parametrize(("state", "role", "expected"), [
    ("draft", Role.exporter, ["submit", "withdraw"]),
    ("draft", Role.inspector, []),
    ("submitted", Role.inspector, ["start_inspection", "refuse"]),
    ("submitted", Role.exporter, ["withdraw"]),
    ("under_inspection", Role.inspector, ["issue", "refuse"]),
    ("under_inspection", Role.exporter, []),
    ("under_inspection", Role.registrar, []),
    ("issued", Role.inspector, ["reopen", "cancel"]),
    ("issued", Role.exporter, ["request_correction"]),
    ("issued", Role.registrar, []),
    ("refused", Role.exporter, []),
    ("cancelled", Role.inspector, []),
])
def test_who_may_do_what(state, role, expected):
    assert allowed_consignment_actions(state, role) == expected


def test_terminal_states_have_no_way_out():
    sources = {source for source, _action in CONSIGNMENT_TRANSITIONS}
    assert not sources & TERMINAL_CONSIGNMENT_STATES
    terminal = {ConsignmentState.refused, ConsignmentState.withdrawn,
                ConsignmentState.cancelled}
    assert set(TERMINAL_CONSIGNMENT_STATES) == terminal


@pytest.mark.parametrize(("action", "role", "target"), [
    ("request_correction", Role.exporter, "draft"), ("reopen", Role.inspector, "under_inspection"),
    ("cancel", Role.inspector, "cancelled")])
def test_an_issued_certificate_is_corrected_or_cancelled_with_a_reason(action, role, target):
    row = check_consignment_transition("issued", action, role)
    assert row.requires_comment and row.target == target


def test_refusal_needs_a_reason_and_an_inspector():
    assert check_consignment_transition("submitted", "refuse", Role.inspector).requires_comment
    with pytest.raises(IllegalTransition):
        check_consignment_transition("submitted", "refuse", Role.exporter)
    with pytest.raises(IllegalTransition):
        check_consignment_transition("issued", "issue", Role.inspector)


@pytest.mark.parametrize(("kind", "year", "serial", "number"), [
    ("phyto", 2027, 123, "KZ-PC-2027-000123"),
    ("vet", 2027, 45, "KZ-VC-2027-000045"),
    ("vet", 2030, 999999, "KZ-VC-2030-999999"),
])
def test_numbers_round_trip(kind, year, serial, number):
    assert format_consignment_certificate_number(kind, year, serial) == number
    assert parse_consignment_certificate_number(f" {number.lower()} ") == (
        CertificateKind(kind), year, serial)


@pytest.mark.parametrize("text", ["KZ-CN-2027-000001", "KZ-PC-2027-000000", "KZ-PC-27-1",
                                  "KZ-XC-2027-000001", ""])
def test_other_texts_are_not_numbers(text):
    with pytest.raises(IdentifierError):
        parse_consignment_certificate_number(text)


def test_out_of_range_serials_are_refused():
    with pytest.raises(IdentifierError):
        format_consignment_certificate_number("phyto", 2027, 1_000_000)
    with pytest.raises(ValueError):
        format_consignment_certificate_number("dairy", 2027, 1)


@pytest.mark.parametrize(("conveyance", "mode", "enters"), [
    ("rail_wagon", "rail", True), ("rail_wagon", "road", False), ("truck", "road", True),
    ("truck", "rail", False), ("container", "rail", True), ("container", "road", True)])
def test_a_conveyance_enters_by_the_crossings_mode(conveyance, mode, enters):
    assert conveyance_enters_by(conveyance, mode) is enters
