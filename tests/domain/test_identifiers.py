"""Tests for BIN/IIN, China registration number and certificate number rules."""

import pytest

from certtrack.domain.identifiers import (
    IdentifierError,
    bin_check_digit,
    format_certificate_number,
    parse_certificate_number,
    validate_bin,
    validate_china_registration_number,
    validate_iin,
)

# Published examples (docs/domain.md §9); the second needs the second weighting pass.
VALID_BINS = ["940140000385", "961141000023"]

# Single-digit changes of the examples that the published check-digit algorithm accepts and the
# BIN layout allows, so no validator following the algorithm can refuse them:
# - position 11 has weight 11 in the first pass, and 11 * anything is 0 modulo 11;
# - a change can switch the number between the first and the second pass, and the other
#   pass may happen to produce the same check digit.
UNDETECTABLE_SINGLE_DIGIT_CHANGES = {
    "940140700385",  # first pass becomes 10, the second pass gives 5
    "940140000305",
    "940140000315",
    "940140000325",
    "940140000335",
    "940140000345",
    "940140000355",
    "940140000365",
    "940140000375",
    "940140000395",
    "261141000023",  # the first pass no longer gives 10 and gives 3 directly
    "981141000023",
    "961241000023",
    "961141060023",
    "961141009023",
    "961141000723",
}


def _single_digit_changes(number):
    """Yield every number that differs from ``number`` in exactly one digit."""
    for position, original in enumerate(number):
        for digit in "0123456789":
            if digit != original:
                yield number[:position] + digit + number[position + 1 :]


SINGLE_DIGIT_CHANGES = [v for number in VALID_BINS for v in _single_digit_changes(number)]


def _code(call, value):
    with pytest.raises(IdentifierError) as excinfo:
        call(value)
    assert str(excinfo.value)  # every refusal carries a readable message
    return excinfo.value.code


@pytest.mark.parametrize(
    ("first11", "expected"),
    [
        ("94014000038", 5),  # first pass: 159 mod 11
        ("96114100002", 3),  # first pass 10, second pass: 102 mod 11
        ("94014000096", None),  # both passes give 10: no BIN ends like this
    ],
)
def test_bin_check_digit(first11, expected):
    assert bin_check_digit(first11) == expected


@pytest.mark.parametrize("first11", ["", "9401400003", "940140000385", "9401400003a"])
def test_bin_check_digit_needs_eleven_digits(first11):
    assert _code(bin_check_digit, first11) == "digits"


@pytest.mark.parametrize("value", VALID_BINS)
def test_published_bins_are_valid(value):
    assert validate_bin(value) == value


@pytest.mark.parametrize("value", [" 940140000385", "961141000023\n", "\t940140000385  "])
def test_bin_surrounding_whitespace_is_ignored(value):
    assert validate_bin(value) == value.strip()


def test_single_digit_change_list_is_complete():
    assert len(SINGLE_DIGIT_CHANGES) == 2 * 12 * 9
    assert set(SINGLE_DIGIT_CHANGES) >= UNDETECTABLE_SINGLE_DIGIT_CHANGES


@pytest.mark.parametrize(
    "value", [v for v in SINGLE_DIGIT_CHANGES if v not in UNDETECTABLE_SINGLE_DIGIT_CHANGES]
)
def test_single_digit_change_is_refused(value):
    assert _code(validate_bin, value) in {"structure", "check_digit"}


@pytest.mark.parametrize("value", sorted(UNDETECTABLE_SINGLE_DIGIT_CHANGES))
def test_single_digit_changes_the_algorithm_cannot_see_pass(value):
    # Kept as a test so that the list above stays exact: if one of these starts failing,
    # the validator no longer follows the published algorithm.
    assert validate_bin(value) == value


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "length"),
        ("94014000038", "length"),  # 11 digits
        ("9401400003850", "length"),  # 13 digits
        ("94014000038A", "digits"),
        ("9401400003 5", "digits"),  # inner space, 12 characters
        ("940140-00385", "digits"),
        ("٩٤٠١٤٠٠٠٠٣٨٥", "digits"),  # Arabic-Indic digits are not BIN digits
        ("941340000385", "structure"),  # month 13
        ("940040000385", "structure"),  # month 00
        ("940170000385", "structure"),  # type 7
        ("940130000385", "structure"),  # type 3
        ("940144000385", "structure"),  # attribute 4
        ("940140000386", "check_digit"),
        ("940140000960", "check_digit"),  # unusable: both passes give 10
    ],
)
def test_bin_refusals(value, code):
    assert _code(validate_bin, value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9401400003A", "length"),  # length is checked before digits
        ("94134000038A", "digits"),  # digits before structure
        ("941340000386", "structure"),  # structure before the check digit
    ],
)
def test_bin_checks_run_in_documented_order(value, code):
    assert _code(validate_bin, value) == code


@pytest.mark.parametrize("value", ["880512300124", " 900101400569 "])
def test_valid_iins(value):
    assert validate_iin(value) == value.strip()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("88051230012", "length"),
        ("88051230012X", "digits"),
        ("881312300124", "structure"),  # month 13
        ("880512000124", "structure"),  # century/gender digit 0
        ("880512700124", "structure"),  # century/gender digit 7
        ("880512300125", "check_digit"),
    ],
)
def test_iin_refusals(value, code):
    assert _code(validate_iin, value) == code


def test_iin_ignores_bin_type_and_attribute():
    # Digits 5-6 of an IIN are the day of birth, not a BIN type and attribute.
    assert validate_iin("880512300124") == "880512300124"
    assert _code(validate_bin, "880512300124") == "structure"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CKAZ12345678901234", "CKAZ12345678901234"),
        (" ckaz18pp1802010539 ", "CKAZ18PP1802010539"),
        ("CKAZabcdefghijklmn", "CKAZABCDEFGHIJKLMN"),
    ],
)
def test_valid_china_registration_numbers(value, expected):
    assert validate_china_registration_number(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "length"),
        ("CKAZ1234567890123", "length"),  # 17
        ("CKAZ123456789012345", "length"),  # 19
        ("CIND18PP1802010539", "prefix"),  # another country
        ("KAZ123456789012345", "prefix"),
        ("CKAZ1234567890123-", "characters"),
        ("CKAZ 234567890123X", "characters"),
        ("CKAZ1234567890123ı", "characters"),  # dotless i is not folded to I
    ],
)
def test_china_registration_number_refusals(value, code):
    assert _code(validate_china_registration_number, value) == code


@pytest.mark.parametrize(
    ("year", "serial", "expected"),
    [
        (2026, 123, "KZ-CN-2026-000123"),
        (2026, 1, "KZ-CN-2026-000001"),
        (2027, 999_999, "KZ-CN-2027-999999"),
    ],
)
def test_certificate_number_round_trip(year, serial, expected):
    assert format_certificate_number(year, serial) == expected
    assert parse_certificate_number(expected) == (year, serial)


@pytest.mark.parametrize(("year", "serial"), [(2026, 0), (2026, -1), (2026, 1_000_000), (999, 1)])
def test_certificate_number_out_of_range(year, serial):
    with pytest.raises(IdentifierError) as excinfo:
        format_certificate_number(year, serial)
    assert excinfo.value.code == "range"


def test_certificate_number_typed_by_hand_is_normalised():
    assert parse_certificate_number("  kz-cn-2026-000123\n") == (2026, 123)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "KZ-CN-2026-123",
        "KZ-CN-2026-0001234",
        "KZ-CN-26-000123",
        "KZ-CN-2026-000000",
        "KZ-CN-0999-000001",
        "XX-CN-2026-000123",
        "KZ CN 2026 000123",
        "KZ-CN-2026-000123-1",
    ],
)
def test_malformed_certificate_numbers_are_refused(text):
    assert _code(parse_certificate_number, text) == "format"
