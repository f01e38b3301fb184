"""What a lot's distinguishing marks must name for the border to match the goods: the wagon's
number on a rail consignment, the container's number on a container consignment.

A rail wagon of the 1520 mm network (Kazakhstan, China's border stations' transfer tracks)
carries an 8-digit number. A container carries an ISO 6346 number: a three-letter owner code,
the category letter U, J or Z, six digits and a check digit computed from the other ten
characters, which catches a mistyped character (MSKU 1234565).
"""

from __future__ import annotations

import re
import string

_WAGON = re.compile(r"(?<!\d)\d{8}(?!\d)")
_CONTAINER = re.compile(r"(?<![A-Z])([A-Z]{3}[UJZ])\s?(\d{6})\s?(\d)(?!\d)")


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
    """Whether a lot's marks name what carries it: an 8-digit wagon number by rail, a valid
    ISO 6346 container number by container; any marks do for a truck."""
    if conveyance == "rail_wagon":
        return bool(_WAGON.search(marks))
    if conveyance == "container":
        return bool(container_numbers(marks))
    return True
