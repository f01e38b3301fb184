"""The one renewal decision: regime by the day a registration ends, window, outcome."""

from datetime import date

import pytest

from certtrack.domain.calendar import REGIME_248, REGIME_280, registration_valid_to
from certtrack.domain.renewal import Outcome, decide_renewal, renewal_regime

D = date.fromisoformat


@pytest.mark.parametrize(
    ("listed_on", "on_list", "regime", "window", "outcome"),
    [
        # Listed under Decree 248, ends before Order 280: 248 window, expires.
        ("2021-06-01", False, REGIME_248, ("2025-11-30", "2026-02-28"), Outcome.expire),
        ("2021-06-01", True, REGIME_248, ("2025-11-30", "2026-02-28"), Outcome.expire),
        # Listed under Decree 248, ends on the first day of Order 280: Order 280 decides.
        ("2021-06-02", False, REGIME_280, None, Outcome.renew),
        ("2021-06-02", True, REGIME_280, ("2025-06-01", "2026-03-01"), Outcome.cancel),
        # Listed under Decree 248, ends years after it stopped applying (the old bug: a 248
        # window in 2027).
        ("2023-07-01", True, REGIME_280, ("2027-06-30", "2028-03-30"), Outcome.cancel),
        ("2023-07-01", False, REGIME_280, None, Outcome.renew),
        # Listed under Order 280.
        ("2026-06-01", False, REGIME_280, None, Outcome.renew),
        ("2026-06-01", True, REGIME_280, ("2030-05-31", "2031-02-28"), Outcome.cancel),
    ],
)
def test_the_regime_in_force_when_a_registration_ends_decides(listed_on, on_list, regime,
                                                                window, outcome):
    valid_to = registration_valid_to(D(listed_on))
    decision = decide_renewal(valid_to, on_list, D(listed_on))
    assert decision.regime == regime == renewal_regime(valid_to)
    assert decision.window == (None if window is None else (D(window[0]), D(window[1])))
    assert decision.outcome == outcome
    assert decision.due is False


@pytest.mark.parametrize(
    ("valid_to", "on_list", "today", "state"),
    [
        # Decree 248: 6 to 3 months before 2026-04-30.
        ("2026-04-30", False, "2025-10-29", "upcoming"),
        ("2026-04-30", False, "2025-10-30", "open"),  # first day
        ("2026-04-30", False, "2026-01-30", "open"),  # last day
        ("2026-04-30", False, "2026-01-31", "closed"),
        # Order 280, listed: 12 to 3 months before 2028-09-15.
        ("2028-09-15", True, "2027-09-14", "upcoming"),
        ("2028-09-15", True, "2027-09-15", "open"),  # first day
        ("2028-09-15", True, "2028-06-15", "open"),  # last day
        ("2028-09-15", True, "2028-06-16", "closed"),
        # Order 280, not listed: no window at all.
        ("2028-09-15", False, "2028-06-15", "automatic"),
    ],
)
def test_window_edges(valid_to, on_list, today, state):
    assert decide_renewal(D(valid_to), on_list, D(today)).state == state


@pytest.mark.parametrize(
    ("valid_to", "on_list", "applied", "outcome"),
    [
        ("2026-05-31", False, False, Outcome.expire),  # last day under Decree 248
        ("2026-05-31", True, True, Outcome.expire),
        ("2026-06-01", False, False, Outcome.renew),  # first day under Order 280
        ("2026-06-01", True, False, Outcome.cancel),  # window missed
        ("2026-06-01", True, True, Outcome.expire),  # applied, GACC has not decided
    ],
)
def test_outcome_is_due_the_day_after_the_last_valid_day(valid_to, on_list, applied, outcome):
    last = D(valid_to)
    on_last_day = decide_renewal(last, on_list, last, renewal_applied=applied)
    after = decide_renewal(last, on_list, date.fromordinal(last.toordinal() + 1),
                           renewal_applied=applied)
    assert (on_last_day.due, after.due) == (False, True)
    assert on_last_day.outcome == after.outcome == outcome


def test_reminders_follow_the_window():
    decision = decide_renewal(D("2031-06-14"), True, D("2030-01-01"))
    assert decision.reminders == [D("2030-06-14"), D("2030-10-28"), D("2031-02-12")]
    assert decide_renewal(D("2031-06-14"), False, D("2030-01-01")).reminders == []
