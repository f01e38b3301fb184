"""The demo's clock: a story's steps never land after the last office hour before now."""

from datetime import UTC, datetime

import pytest

from certtrack.demo import clock


@pytest.mark.parametrize(("now", "latest"), [
    # Sunday 11:35 in Kazakhstan (UTC+5): the Friday before, at 16:30 (it was Sunday 11:25)
    (datetime(2026, 12, 6, 6, 35, tzinfo=UTC), datetime(2026, 12, 4, 11, 30, tzinfo=UTC)),
    # Monday 08:00, before the office opens: the Friday before
    (datetime(2026, 12, 7, 3, 0, tzinfo=UTC), datetime(2026, 12, 4, 11, 30, tzinfo=UTC)),
    # Wednesday 12:00: ten minutes before now
    (datetime(2026, 12, 9, 7, 0, tzinfo=UTC), datetime(2026, 12, 9, 6, 50, tzinfo=UTC)),
    # Wednesday 21:00: the office's closing, 17:00
    (datetime(2026, 12, 9, 16, 0, tzinfo=UTC), datetime(2026, 12, 9, 12, 0, tzinfo=UTC)),
    # Wednesday 16 December, Independence Day (a public holiday): Tuesday 16:30
    (datetime(2026, 12, 16, 7, 0, tzinfo=UTC), datetime(2026, 12, 15, 11, 30, tzinfo=UTC)),
])
def test_a_step_held_back_to_the_present_takes_the_last_office_hour(ctx, now, latest):
    assert clock._ceiling(now) == latest
