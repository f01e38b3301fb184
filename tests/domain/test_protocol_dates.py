"""A protocol's date as its source gives it: the year, the month or the day."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certtrack.domain.market_access import DATE_PRECISIONS, known_part, read_protocol_date


@pytest.mark.parametrize(("text", "expected"), [
    ("2019", (date(2019, 1, 1), "year")),
    ("2015-09", (date(2015, 9, 1), "month")),
    ("2015-09-14", (date(2015, 9, 14), "day")),
    ("  2018 ", (date(2018, 1, 1), "year")),
    ("", (None, "day")),
])
def test_a_date_is_read_with_how_much_of_it_is_known(text, expected):
    assert read_protocol_date(text) == expected


@pytest.mark.parametrize("text", ["19", "2015-9", "2015-13", "2015/09/14", "Sept 2015",
                                  "2015-09-31"])
def test_any_other_form_is_refused(text):
    with pytest.raises(ValueError):
        read_protocol_date(text)


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(DATE_PRECISIONS))
def test_what_is_kept_of_a_date_reads_back_the_same(day, precision):
    kept = known_part(day, precision)
    text = {"day": kept.isoformat(), "month": kept.isoformat()[:7],
            "year": kept.isoformat()[:4]}[precision]
    assert read_protocol_date(text) == (kept, precision)
    assert (kept.year, kept <= day) == (day.year, True)
