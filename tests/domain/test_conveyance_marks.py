"""The marks of a lot name its wagon (8 digits) or its container (ISO 6346, check digit)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certtrack.domain.conveyance_marks import (
    container_check_digit,
    container_numbers,
    names_its_conveyance,
)


@pytest.mark.parametrize(("first_ten", "digit"), [
    ("CSQU305438", 3),  # ISO 6346's own example
    ("MSKU123456", 5), ("TGHU881234", 8)])
def test_the_check_digit_of_iso_6346(first_ten, digit):
    assert container_check_digit(first_ten) == digit


@pytest.mark.parametrize(("conveyance", "marks", "named"), [
    ("rail_wagon", "Wagon 95123456, seal KZ 778812", True),
    ("rail_wagon", "вагон 95123456", True),
    ("rail_wagon", "seal KZ 778812", False),
    ("rail_wagon", "Wagon 9512345", False),
    ("rail_wagon", "Wagon 951234567", False),  # nine digits: no wagon's number
    ("container", "Container MSKU 1234565, seal 004512", True),
    ("container", "msku1234565", True),
    ("container", "CSQU 305438 3", True),
    ("container", "Container MSKU 1234566", False),  # its check digit wrong
    ("container", "Container MSKA 1234565", False),  # no category letter U, J or Z
    ("container", "seal 004512", False),
    ("truck", "", True)])
def test_a_lots_marks_name_what_carries_it(conveyance, marks, named):
    assert names_its_conveyance(conveyance, marks) is named


@given(owner=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
       category=st.sampled_from("UJZ"), serial=st.integers(0, 999_999),
       wrong=st.integers(1, 9))
def test_a_number_with_its_check_digit_is_found_and_a_changed_check_digit_is_not(
        owner, category, serial, wrong):
    first_ten = f"{owner}{category}{serial:06d}"
    digit = container_check_digit(first_ten)
    assert container_numbers(f"Container {first_ten}{digit}") == [f"{first_ten}{digit}"]
    assert container_numbers(f"Container {first_ten}{(digit + wrong) % 10}") == []
