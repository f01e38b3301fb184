"""Validation and formatting of BIN/IIN, China registration numbers and certificate numbers."""

from __future__ import annotations

import re
import string

from certtrack.domain.workflow import DomainError

_FIRST_PASS_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_PASS_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_BIN_TYPES = "456"  # resident legal entity, non-resident, joint individual entrepreneur
_BIN_ATTRIBUTES = "0123"  # head office, branch, representative office, peasant farm
_IIN_CENTURY_GENDER = "123456"

_ASCII_DIGITS = re.compile(r"[0-9]+")
_CHINA_PREFIX = "CKAZ"
_CHINA_LENGTH = 18
_CHINA_TAIL = re.compile(r"[A-Z0-9]{14}")
# Only ASCII letters are uppercased, so a non-ASCII look-alike is refused instead of folded.
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)

CERTIFICATE_PREFIX = "KZ-CN"
_CERTIFICATE = re.compile(r"KZ-CN-([0-9]{4})-([0-9]{6})")
_MAX_SERIAL = 999_999


class IdentifierError(DomainError, ValueError):
    """Raised when an identifier is malformed; ``code`` names the check that failed."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def _is_ascii_digits(value: str) -> bool:
    return _ASCII_DIGITS.fullmatch(value) is not None


def bin_check_digit(first11: str) -> int | None:
    """Compute the BIN/IIN check digit.

    Takes the first 11 digits as a string. Returns the digit (0-9) the 12th position must hold,
    or None when both weighting passes give 10, which makes the number unusable.
    Raises IdentifierError('digits') unless ``first11`` is exactly 11 ASCII digits.
    """
    if len(first11) != 11 or not _is_ascii_digits(first11):
        raise IdentifierError("digits", "The check digit needs exactly 11 digits.")
    digits = [int(char) for char in first11]
    for weights in (_FIRST_PASS_WEIGHTS, _SECOND_PASS_WEIGHTS):
        remainder = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _check_twelve_digits(value: str, label: str) -> str:
    """Strip surrounding whitespace, then check length and then that every character is a digit."""
    value = value.strip()
    if len(value) != 12:
        raise IdentifierError("length", f"A {label} has exactly 12 digits; got {len(value)}.")
    if not _is_ascii_digits(value):
        raise IdentifierError("digits", f"A {label} contains only digits 0-9.")
    return value


def _check_month(value: str, label: str) -> None:
    if not 1 <= int(value[2:4]) <= 12:
        raise IdentifierError("structure", f"Digits 3-4 of a {label} are a month, 01-12.")


def _check_check_digit(value: str, label: str) -> None:
    expected = bin_check_digit(value[:11])
    if expected is None:
        raise IdentifierError("check_digit", f"This {label} cannot be issued (no check digit).")
    if expected != int(value[11]):
        raise IdentifierError("check_digit", f"The check digit of this {label} is wrong.")


def validate_bin(value: str) -> str:
    """Validate a business identification number (BIN) of a Kazakh legal entity.

    Takes the text as typed; only surrounding whitespace is removed. The checks run in this order
    and the first failure is raised as IdentifierError with its code:
    'length' (not 12 characters), 'digits' (any character other than 0-9, inner spaces included),
    'structure' (month in positions 3-4 not 01-12, type in position 5 not 4/5/6, or attribute in
    position 6 not 0/1/2/3), 'check_digit' (wrong or impossible check digit).
    Returns the 12-digit string.
    """
    value = _check_twelve_digits(value, "BIN")
    _check_month(value, "BIN")
    if value[4] not in _BIN_TYPES:
        raise IdentifierError("structure", "Digit 5 of a BIN is the entity type: 4, 5 or 6.")
    if value[5] not in _BIN_ATTRIBUTES:
        raise IdentifierError("structure", "Digit 6 of a BIN is the attribute: 0, 1, 2 or 3.")
    _check_check_digit(value, "BIN")
    return value


def validate_iin(value: str) -> str:
    """Validate an individual identification number (IIN).

    Takes the text as typed; only surrounding whitespace is removed. Checks, in order:
    'length', 'digits', 'structure' (month in positions 3-4 is 01-12 and the century/gender digit
    in position 7 is 1-6; the day is not checked), 'check_digit' (same algorithm as the BIN).
    Returns the 12-digit string; raises IdentifierError with the code of the first failed check.
    """
    value = _check_twelve_digits(value, "IIN")
    _check_month(value, "IIN")
    if value[6] not in _IIN_CENTURY_GENDER:
        raise IdentifierError("structure", "Digit 7 of an IIN is the century and gender: 1-6.")
    _check_check_digit(value, "IIN")
    return value


def validate_china_registration_number(value: str) -> str:
    """Validate a GACC registration number of a Kazakh establishment.

    Takes the text as typed; surrounding whitespace is removed and ASCII letters are uppercased.
    Checks, in order: 'length' (exactly 18 characters), 'prefix' (starts with CKAZ),
    'characters' (the other 14 are A-Z or 0-9). The meaning of those 14 is undocumented, so
    nothing more is checked. Returns the normalised number; raises IdentifierError.
    """
    value = value.strip().translate(_ASCII_UPPER)
    if len(value) != _CHINA_LENGTH:
        raise IdentifierError(
            "length", f"A China registration number has {_CHINA_LENGTH} characters."
        )
    if not value.startswith(_CHINA_PREFIX):
        raise IdentifierError(
            "prefix", f"A Kazakh China registration number starts with {_CHINA_PREFIX}."
        )
    if _CHINA_TAIL.fullmatch(value[len(_CHINA_PREFIX) :]) is None:
        raise IdentifierError(
            "characters", "After CKAZ a China registration number has only letters A-Z and digits."
        )
    return value


def format_certificate_number(year: int, serial: int) -> str:
    """Format a certtrack certificate number, e.g. (2026, 123) -> 'KZ-CN-2026-000123'.

    Takes the issue year (1000-9999) and the serial within that year (1-999999).
    Returns the number; raises IdentifierError('range') when either is out of range.
    """
    if not 1000 <= year <= 9999:
        raise IdentifierError("range", "A certificate year has four digits.")
    if not 1 <= serial <= _MAX_SERIAL:
        raise IdentifierError("range", f"A certificate serial is between 1 and {_MAX_SERIAL}.")
    return f"{CERTIFICATE_PREFIX}-{year:04d}-{serial:06d}"


def parse_certificate_number(text: str) -> tuple[int, int]:
    """Parse a certificate number such as 'KZ-CN-2026-000123' typed by hand or read from a QR code.

    Surrounding whitespace is removed and ASCII letters are uppercased.
    Returns (year, serial); raises IdentifierError('format') for anything
    format_certificate_number could not have produced.
    """
    match = _CERTIFICATE.fullmatch(text.strip().translate(_ASCII_UPPER))
    if match is None:
        raise IdentifierError("format", "A certificate number looks like KZ-CN-2026-000123.")
    year, serial = int(match.group(1)), int(match.group(2))
    if year < 1000 or serial < 1:
        raise IdentifierError("format", "A certificate number looks like KZ-CN-2026-000123.")
    return year, serial
