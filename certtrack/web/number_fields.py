"""Number fields as people type them: a text box with the phone's number keypad, read in the
page's language.

WTForms' own fields are browser number boxes (`<input type="number">`), and a browser empties
what it cannot read before sending it: "1e400", or "0,05" where its language writes "0.05".
The field then reads as left blank, and an optional value is lost without a word. These fields
send the text as typed and read it as the page's language writes numbers (Babel): "0,05" and
"1 000,5" in Kazakh and Russian, "1,000.5" in English and Chinese, "0.05" in every language.
What does not read as a number is refused beside the field and stays in the box.
"""

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import fields, validators, widgets

from certtrack.services.numerals import shown

SPACES = re.compile(r"[\s\u00a0\u202f]")  # thousands as "1 000", whatever the space
WHOLE = re.compile(r"[+-]?\d[\d.,]*")
# Digits and separators only: "1e3", "NaN" and "Infinity" are numbers to Python, not to people.
WRITTEN = re.compile(r"[+-]?(?=[\d.,]*\d)[\d.,]+")
# "50.000" where a comma marks decimals: fifty, or fifty thousand grouped with a dot?
AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
NOT_A_NUMBER = _l("Enter a number, such as %(example)s.")
TWO_WAYS = _l("“%(typed)s” reads two ways: write a decimal with a comma (%(decimal)s), "
              "thousands with a space (%(thousands)s).")
NOT_A_WHOLE_NUMBER = _l("Enter a whole number, such as %(example)s.")


def _locale() -> str:
    return str(get_locale() or "en")


def read_decimal(text: str) -> Decimal | None:
    """The number `text` writes in the page's language; None when it writes none."""
    text = SPACES.sub("", text)
    if not WRITTEN.fullmatch(text):
        return None
    try:
        return parse_decimal(text, locale=_locale(), strict=True)
    except NumberFormatError:
        return None


def _two_ways(text: str) -> str | None:
    """The message for a number that reads two ways in the page's language, else None."""
    text = SPACES.sub("", text)
    if get_decimal_symbol(_locale()) == "." or not AMBIGUOUS.fullmatch(text):
        return None
    decimal = Decimal(text)
    return str(TWO_WAYS) % {"typed": text, "decimal": shown(decimal.normalize()),
                            "thousands": shown(decimal * 1000)}


def _keypad(field_validators) -> str:
    """The phone keyboard for the field: digits and a separator, or the full keyboard when
    the value may be negative (a phone's decimal keypad has no minus sign)."""
    for validator in field_validators or ():
        if isinstance(validator, validators.NumberRange) and validator.min is not None \
                and validator.min >= 0:
            return "decimal"
    return "text"


class DecimalField(fields.DecimalField):
    """A decimal number: "0,05" or "0.05" in Kazakh and Russian, "0.05" in English; `example`
    is the number its error message shows (a temperature's is not 1 234,5)."""

    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, example: Decimal = Decimal("1234.5"),
                 **kwargs):
        render_kw = {"inputmode": _keypad(validators), "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.example = example

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = read_decimal(valuelist[0])
        if self.data is None:
            raise ValueError(str(NOT_A_NUMBER) % {"example": shown(self.example)})
        if message := _two_ways(valuelist[0]):
            self.data = None
            raise ValueError(message)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        value = self.data if isinstance(self.data, Decimal) else Decimal(str(self.data))
        plain = format(value.normalize(), "f") if value.is_finite() else str(value)
        return plain.replace(".", get_decimal_symbol(_locale()))


class IntegerField(fields.IntegerField):
    """A whole number, with or without spaces between its thousands ("1 200")."""

    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        # digits and separators only: "1e3" is no way to count packages
        number = read_decimal(valuelist[0]) if WHOLE.fullmatch(SPACES.sub("", valuelist[0])) \
            else None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            self.data = None
            raise ValueError(str(NOT_A_WHOLE_NUMBER) % {"example": shown(1200)})
        # "1e100000000" would make an integer of a hundred million digits: past 2**63 the
        # number is as out of bounds as any other (BaseForm.validate says so)
        self.data = int(number) if number.adjusted() < 19 else 2**63
