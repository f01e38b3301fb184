"""The reason of a final step: a few words, not a character (domain.reasons)."""

import pytest

from certtrack.domain.reasons import REASON_MIN_LENGTH, reason_is_enough


@pytest.mark.parametrize(("reason", "enough"), [
    (None, False), ("", False), ("x", False), ("   Audit   ", False),
    ("x" * (REASON_MIN_LENGTH - 1), False), ("  " + "x" * REASON_MIN_LENGTH + "  ", True),
    ("Out of scope", True), ("Дубликат заявки", True),
])
def test_a_reason_has_a_few_words(reason, enough):
    assert reason_is_enough(reason) is enough
