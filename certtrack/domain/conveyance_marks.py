"""What a lot's distinguishing marks must name for the border to match the goods: the wagon's
number on a rail consignment, the container's number on a container consignment, the truck's
plate and seal on a road one (as typed: they follow no one numbering to check).

A rail wagon of the 1520 mm network (Kazakhstan, China's border stations' transfer tracks)
carries an 8-digit number whose last digit is a check digit: the first seven weighted 2, 1,
2, 1, 2, 1, 2, the digits of the products summed, the check digit what brings the sum to the
next ten (the rule of the UIC's 12-digit numbers, on seven digits), which catches a mistyped
digit and most swapped ones. A container carries an ISO 6346 number: a three-letter owner
code, the category letter U, J or Z, six digits and a check digit computed from the other
ten characters, which catches a mistyped character (MSKU 1234565).
"""

from __future__ import annotations

import re
import string

_WAGON = re.compile(r"(?<!\d)(\d{7})(\d)(?!\d)")
_CONTAINER = re.compile(r"(?<![A-Z])([A-Z]{3}[UJZ])\s?(\d{6})\s?(\d)(?!\d)")


def railway_check_digit(digits: str) -> int:
    """The check digit railways append to a wagon's number: from the right, the digits
    weighted 2, 1, 2, 1…, the digits of the products summed, the complement to the next ten
    ("21805246003" → 5, a UIC number; "9512345" → 1, a 1520 mm wagon)."""
    total = 0
    for position, ch in enumerate(reversed(digits)):
        product = int(ch) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return -total % 10


def wagon_numbers(marks: str) -> list[str]:
    """The 8-digit wagon numbers in the marks whose check digit holds."""
    return [first + check for first, check in _WAGON.findall(marks)
            if railway_check_digit(first) == int(check)]


def _letter_values() -> dict[str, int]:
    """ISO 6346 values of the letters: A = 10, skipping the multiples of 11."""
    values, value = {}, 10
    for letter in string.ascii_uppercase:
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_VALUES = _letter_values()


def container_check_digit(first_ten: str) -> int:
    """The ISO 6346 check digit of an owner code, category letter and serial ("MSKU123456")."""
    total = sum((_VALUES[ch] if ch.isalpha() else int(ch)) * 2 ** position
                for position, ch in enumerate(first_ten))
    return total % 11 % 10


def container_numbers(marks: str) -> list[str]:
    """The ISO 6346 numbers in the marks whose check digit holds, as "MSKU1234565"."""
    return [f"{owner}{serial}{check}" for owner, serial, check in
            _CONTAINER.findall(marks.upper())
            if container_check_digit(owner + serial) == int(check)]


def names_its_conveyance(conveyance: str, marks: str) -> bool:
    """Whether a lot's marks name what carries it: a valid 8-digit wagon number by rail, a
    valid ISO 6346 container number by container; by truck, marks of some kind (its plate and
    seal, which follow no one numbering to check)."""
    if conveyance == "rail_wagon":
        return bool(wagon_numbers(marks))
    if conveyance == "container":
        return bool(container_numbers(marks))
    return bool(marks.strip())
