"""The reason of a final step (a refusal, a rejection, a suspension, a revocation...): a few
words that say why, since the record, the exporter and the public pages keep it."""

from math import ceil

from certtrack.domain.scripts import is_ideograph

# About two words: "x" or "no" said nothing, and the step cannot be taken back to ask.
REASON_MIN_LENGTH = 10
# A Chinese character is a word or most of one: "检出活虫" (live pests found) says what 16
# Latin letters say, and "检出活虫，暂停进口" was refused for its 9 characters. Each counts
# for this many, so that a reason of two Chinese words (4 characters) is enough.
IDEOGRAPH_WEIGHT = 3
REASON_MIN_IDEOGRAPHS = ceil(REASON_MIN_LENGTH / IDEOGRAPH_WEIGHT)


def reason_length(reason: str | None) -> int:
    """The length of `reason` without its surrounding blanks, a Chinese character counting
    for IDEOGRAPH_WEIGHT characters."""
    return sum(IDEOGRAPH_WEIGHT if is_ideograph(char) else 1 for char in (reason or "").strip())


def reason_is_enough(reason: str | None) -> bool:
    """True when `reason`, without its surrounding blanks, has REASON_MIN_LENGTH characters,
    or REASON_MIN_IDEOGRAPHS Chinese ones (reason_length)."""
    return reason_length(reason) >= REASON_MIN_LENGTH
