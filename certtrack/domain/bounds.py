"""The ranges every input is held to: ids, pages, amounts and dates (docs/security.md item 12).

Ids are PostgreSQL INTEGER columns (1 .. 2^31 - 1); a larger number cannot name a row and would
overflow the driver. Amounts fit the NUMERIC(14, 3) columns of capacities, volumes and weights.
Dates of documents, inspections and results lie between Kazakhstan's independence year and a
few years ahead: anything else is a typing error (year 1 for 2001, 9999 for 2025).
"""

from datetime import date
from decimal import Decimal

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
MAX_INTEGER = 2**31 - 1
MAX_AMOUNT = Decimal(10) ** 9
MAX_DAILY_CAPACITY = Decimal(10) ** 6  # tonnes a day
MAX_STORAGE = Decimal(10) ** 8  # tonnes
MAX_VOLUME = Decimal(10) ** 8  # a year's volume, in tonnes or head
MAX_WEIGHT = Decimal(10) ** 8  # a lot's weight, kg or tonnes
MAX_PACKAGES = 10**7
MIN_TEMPERATURE, MAX_TEMPERATURE = -100, 200  # °C, a treatment or a cold store (NUMERIC(5, 1))
EARLIEST_DATE = date(1991, 1, 1)
YEARS_AHEAD = 5
CONTROL_CHARACTERS = frozenset(chr(code) for code in (*range(0x20), 0x7F))


def latest_date(today: date) -> date:
    """The last date accepted: `today` plus YEARS_AHEAD years (28 February for 29 February)."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_in_window(value: date, today: date) -> bool:
    """True when `value` lies within EARLIEST_DATE .. latest_date(today)."""
    return EARLIEST_DATE <= value <= latest_date(today)


def amount_in_range(value: Decimal) -> bool:
    """True for a finite decimal of magnitude below MAX_AMOUNT (no NaN, sNaN or Infinity)."""
    return value.is_finite() and value.copy_abs() < MAX_AMOUNT  # abs() overflows 1e999999999


def integer_in_range(value: int) -> bool:
    """True for an integer that fits a PostgreSQL INTEGER column."""
    return -MAX_INTEGER <= value <= MAX_INTEGER


def has_control_characters(text: str) -> bool:
    """True when `text` holds a control character (a line break, a tab, NUL, DEL)."""
    return any(character in CONTROL_CHARACTERS for character in text)
