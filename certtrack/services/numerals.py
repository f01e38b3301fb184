"""Numbers and lists as the reader writes them: the request's language, every digit kept."""

from decimal import Decimal

from babel import lists, numbers
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


def shown(value: Decimal | int | float | None) -> str | None:
    """'1,000.5' in English, '1 000,5' in Kazakh and Russian; a Decimal without exponent or
    trailing zeros; None for None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = value.normalize()
    return numbers.format_decimal(value, locale=get_locale() or "en", decimal_quantization=False)


# The units of mass fraction as a page in the reader's language writes them: "мг/кг" and
# "мкг/кг" in Kazakh and Russian, as their laboratories' reports do. The documents to China
# print them as stored ("mg/kg").
UNITS = {"mg/kg": _l("mg/kg"), "µg/kg": _l("µg/kg")}


def shown_unit(unit: str | None) -> str:
    """`unit` as the reader writes it ("мг/кг" for mg/kg in Russian); a unit of no other
    spelling (ppm as typed, %) as it is; "" for None."""
    return str(UNITS.get(unit or "", unit or ""))


def listed(items) -> str:
    """Items joined as the request's language lists them: "A, B and C", "A、B和C"."""
    items = [str(item) for item in items]
    return lists.format_list(items, locale=get_locale() or "en") if items else ""


# What joins the parts of a list the page builds item by item (regions, products), a place to
# its region, a list's entries, or a label to what it names: Chinese writes "阿拜州、阿拉木图州"
# with the enumeration comma, a clause after "，", entries after "；" and a label's text after
# "：" (an ASCII ", " or ": " read as a typing slip).
SEPARATORS = {"zh": {"list": "、", "comma": "，", "semicolon": "；", "colon": "："}}
LATIN_SEPARATORS = {"list": ", ", "comma": ", ", "semicolon": "; ", "colon": ": "}


def separator(kind: str = "list", language: str | None = None) -> str:
    """The separator of `kind` ("list", "comma", "semicolon" or "colon") in `language`, by
    default the request's: "、", "，", "；" and "：" in Chinese, ", ", "; " and ": " in the
    others."""
    language = str(language or get_locale() or "en").split("_")[0]
    return SEPARATORS.get(language, LATIN_SEPARATORS)[kind]


# A remark in brackets after a word: Chinese writes it in full-width brackets with no space
# before ("阿亚古兹屠宰厂（屠宰厂）"), the others after a space ("Ayagoz slaughterhouse
# (Slaughterhouse)").
BRACKETS = {"zh": ("（", "）")}
LATIN_BRACKETS = (" (", ")")


def brackets(language: str | None = None) -> tuple[str, str]:
    """The opening (with the space before it, where the language puts one) and the closing
    bracket of a remark in `language`, by default the request's."""
    language = str(language or get_locale() or "en").split("_")[0]
    return BRACKETS.get(language, LATIN_BRACKETS)


def with_remark(text: str, remark: str, language: str | None = None) -> str:
    """`text` followed by `remark` in brackets, as `language` (by default the request's)
    writes it: "Abai Region (KZ-10)", "阿拜州（KZ-10）"."""
    opening, closing = brackets(language)
    return f"{text}{opening}{remark}{closing}"


def separated(items, kind: str = "list") -> str:
    """Items joined by the request's language's separator of `kind`, without a final "and"
    (a label's list of regions: "Abai, Almaty", "阿拜州、阿拉木图州")."""
    return separator(kind).join(str(item) for item in items)
