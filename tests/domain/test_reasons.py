"""The reason of a final step: a few words, not a character (domain.reasons)."""

import pytest

from certtrack.domain.reasons import REASON_MIN_LENGTH, reason_is_enough


@pytest.mark.parametrize(("reason", "enough"), [
    (None, False), ("", False), ("x", False), ("   Audit   ", False),
    ("x" * (REASON_MIN_LENGTH - 1), False), ("  " + "x" * REASON_MIN_LENGTH + "  ", True),
    ("Out of scope", True), ("Дубликат заявки", True),
    # A Chinese character says what three Latin letters do: four make a reason.
    ("检出活虫，暂停进口", True), ("检出活虫", True), ("  不合格  ", False), ("虫害", False),
    ("不合格。", True), ("GACC 不合格", True),  # as "Non-conforming." is
])
def test_a_reason_has_a_few_words(reason, enough):
    assert reason_is_enough(reason) is enough
