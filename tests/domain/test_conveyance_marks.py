"""The marks of a lot name its wagon (8 digits, check digit) or its container (ISO 6346, check
digit)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certtrack.domain.conveyance_marks import (
    container_check_digit,
    container_numbers,
    names_its_conveyance,
    railway_check_digit,
    wagon_numbers,
)


@pytest.mark.parametrize(("first_ten", "digit"), [
    ("CSQU305438", 3),  # ISO 6346's own example
    ("MSKU123456", 5), ("TGHU881234", 8)])
def test_the_check_digit_of_iso_6346(first_ten, digit):
    assert container_check_digit(first_ten) == digit


@pytest.mark.parametrize(("digits", "check"), [
    ("21805246003", 5), ("50512618001", 5), ("21743353998", 8),  # UIC numbers, published
    ("9512345", 1), ("9512006", 9)])
def test_the_railways_check_digit(digits, check):
    assert railway_check_digit(digits) == check


@pytest.mark.parametrize(("conveyance", "marks", "named"), [
    ("rail_wagon", "Wagon 95123451, seal KZ 778812", True),
    ("rail_wagon", "вагон 95123451", True),
    ("rail_wagon", "Wagon 95123456, seal KZ 778812", False),  # its check digit wrong
    ("rail_wagon", "Wagon 95123415", False),  # two digits swapped
    ("rail_wagon", "seal KZ 778812", False),
    ("rail_wagon", "Wagon 9512345", False),
    ("rail_wagon", "Wagon 951234567", False),  # nine digits: no wagon's number
    ("container", "Container MSKU 1234565, seal 004512", True),
    ("container", "msku1234565", True),
    ("container", "CSQU 305438 3", True),
    ("container", "Container MSKU 1234566", False),  # its check digit wrong
    ("container", "Container MSKA 1234565", False),  # no category letter U, J or Z
    ("container", "seal 004512", False),
    ("truck", "Truck 123 ABC 02, seal 4471", True),
    ("truck", " ", False)])  # a truck's lot with no marks: nothing to match at the border
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


@given(first_seven=st.integers(0, 9_999_999), position=st.integers(0, 7),
       change=st.integers(1, 9))
def test_a_wagon_number_with_one_digit_mistyped_is_not_found(first_seven, position, change):
    number = f"{first_seven:07d}{railway_check_digit(f'{first_seven:07d}')}"
    assert wagon_numbers(f"Wagon {number}") == [number]
    digit = str((int(number[position]) + change) % 10)
    mistyped = number[:position] + digit + number[position + 1:]
    assert wagon_numbers(f"Wagon {mistyped}") == []
