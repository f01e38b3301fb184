"""Numbers and lists as the reader writes them: the request's language, every digit kept."""

from decimal import Decimal

from babel import lists, numbers
from flask_babel import get_locale


def shown(value: Decimal | int | float | None) -> str | None:
    """'1,000.5' in English, '1 000,5' in Kazakh and Russian; a Decimal without exponent or
    trailing zeros; None for None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = value.normalize()
    return numbers.format_decimal(value, locale=get_locale() or "en", decimal_quantization=False)


def listed(items) -> str:
    """Items joined as the request's language lists them: "A, B and C", "A、B和C"."""
    items = [str(item) for item in items]
    return lists.format_list(items, locale=get_locale() or "en") if items else ""
