"""Password rules (docs/security.md item 2): 12 to 128 characters, not on the breached list
shipped in reference/, and not guessable by zxcvbn's estimate (score 2 or more), whose
feedback is shown in the user's language."""

import gzip
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

PASSWORD_MIN, PASSWORD_MAX = 12, 128
MIN_SCORE = 2  # zxcvbn: 0 too guessable … 4 very unguessable
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; a longer password is judged on its start
REFERENCE = Path(__file__).resolve().parent.parent / "reference"

# zxcvbn's feedback (English, from its feedback module), in the user's language.
FEEDBACK = {
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to "
                                                     "guess."),
    'Repeats like "aaa" are easy to guess.': _l("Repeats like “aaa” are easy to guess."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l("Repeats like “abcabcabc” are only slightly harder to guess than “abc”."),
    'Sequences like "abc" or "6543" are easy to guess.':
        _l("Sequences like “abc” or “6543” are easy to guess."),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "This is a top-10 common password.": _l("This is one of the most common passwords."),
    "This is a top-100 common password.": _l("This is one of the most common passwords."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l("This is similar to a commonly used "
                                                       "password."),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.":
        _l("Names and surnames by themselves are easy to guess."),
    "Common names and surnames are easy to guess.": _l("Common names and surnames are easy to "
                                                       "guess."),
    "Add another word or two. Uncommon words are better.":
        _l("Add another word or two. Uncommon words are better."),
    "Avoid repeated words and characters.": _l("Avoid repeated words and characters."),
    "Avoid sequences.": _l("Avoid sequences."),
    "Avoid recent years.": _l("Avoid recent years."),
    "Avoid years that are associated with you.": _l("Avoid years that are associated with "
                                                    "you."),
    "Avoid dates and years that are associated with you.":
        _l("Avoid dates and years that are associated with you."),
    "Use a longer keyboard pattern with more turns.": _l("Use a longer keyboard pattern with "
                                                         "more turns."),
    "Use a few words, avoid common phrases.": _l("Use a few words, avoid common phrases."),
}


@cache
def breached_passwords() -> frozenset[str]:
    """The passwords of 12 characters or more among the million most common in public breach
    lists, plus the local list, lower-cased (reference/SOURCES.md)."""
    with gzip.open(REFERENCE / "breached_passwords.txt.gz", "rt", encoding="utf-8") as stream:
        words = {line.strip() for line in stream if line.strip()}
    local = (REFERENCE / "common_passwords.txt").read_text(encoding="utf-8")
    words.update(line.strip().lower() for line in local.splitlines() if line.strip())
    return frozenset(words)


def strength_feedback(password: str, user_inputs: list[str] | None = None) -> list[str]:
    """zxcvbn's warning and suggestions, translated, when the password is too guessable."""
    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=user_inputs or [])
    if result["score"] >= MIN_SCORE:
        return []
    messages = [result["feedback"]["warning"], *result["feedback"]["suggestions"]]
    known = [str(FEEDBACK[text]) for text in messages if text in FEEDBACK]
    return [_("This password is too easy to guess."), *dict.fromkeys(known)]


def password_problems(password: str, user_inputs: list[str] | None = None) -> list[str]:
    """Messages for every rule the password breaks; `user_inputs` (e-mail, name) count as
    guessable words."""
    if len(password) < PASSWORD_MIN:
        return [_("Use at least %(n)d characters.", n=PASSWORD_MIN)]
    if len(password) > PASSWORD_MAX:
        return [_("Use at most %(n)d characters.", n=PASSWORD_MAX)]
    if password.lower() in breached_passwords():
        return [_("This password appears in lists of breached passwords; choose another.")]
    return strength_feedback(password, user_inputs)
