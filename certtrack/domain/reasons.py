"""The reason of a final step (a refusal, a rejection, a suspension, a revocation...): a few
words that say why, since the record, the exporter and the public pages keep it."""

# About two words: "x" or "no" said nothing, and the step cannot be taken back to ask.
REASON_MIN_LENGTH = 10


def reason_is_enough(reason: str | None) -> bool:
    """True when `reason`, without its surrounding blanks, has REASON_MIN_LENGTH characters."""
    return len((reason or "").strip()) >= REASON_MIN_LENGTH
