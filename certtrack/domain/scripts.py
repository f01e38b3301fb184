"""Whether a text entered for a language is written in that language's script."""

import re
import unicodedata

# CJK Unified Ideographs with extension A and the compatibility block.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")


def fits_language(lang: str, value: str) -> bool:
    """True when `value` (non-empty) suits `lang`: Chinese (zh) has Han characters; Kazakh,
    Russian and English have letters and no Han character (a Chinese name typed into the
    Kazakh field would print as the Kazakh name); English has Latin letters only (a Kazakh
    name typed into the English field would print in Cyrillic where China reads English)."""
    if lang == "zh":
        return bool(_HAN.search(value))
    if lang == "en":
        return bool(_LETTER.search(value)) and latin(value)
    return bool(_LETTER.search(value)) and not _HAN.search(value)


def is_ideograph(char: str) -> bool:
    """True when `char` is a Chinese character (a Han ideograph)."""
    return bool(_HAN.match(char))


def latin(value: str) -> bool:
    """True when every letter of `value` is Latin (with its accents): no Cyrillic, no Han."""
    return all(_is_latin(char) for char in value if char.isalpha())


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("LATIN ", "FULLWIDTH LATIN "))


def latin_or_chinese(value: str) -> bool:
    """True when every letter of `value` is Latin (with its accents) or Chinese: what a
    certificate addressed to China may print of a consignee (no Cyrillic, say)."""
    return all(_is_latin_or_han(char) for char in value if char.isalpha())


def _is_latin_or_han(char: str) -> bool:
    return bool(_HAN.match(char)) or _is_latin(char) or \
        unicodedata.name(char, "").startswith("CJK ")


def changed_in_part(proposed: dict[str, str], registered: dict[str, str],
                    prefix: str = "address", *, new_lines: bool = True) -> bool:
    """True when `proposed` changes the fields named `prefix…` (a text in each language) in
    some languages and keeps others that have a registered text: a certificate would print
    the new text in those languages beside the old one in the others. With `new_lines`
    false, a text given in a language that had none (a translation added) is no change."""
    fields = [f for f in proposed if f.startswith(prefix)]
    changed = {f for f in fields if proposed[f] != registered.get(f, "")
               and (new_lines or registered.get(f))}
    return bool(changed) and any(f not in changed and registered.get(f) for f in fields)
