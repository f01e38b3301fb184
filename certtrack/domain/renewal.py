"""Which GACC rules govern a registration's renewal, and what they decide on a given day.

The rules in force on the day a registration ends decide its renewal, not the day it was
listed: GACC Decree 248 (in force 2022-01-01 to 2026-05-31), Art. 20, asks for a renewal
application 3 to 6 months before the registration ends; GACC Order 280 (issued 2025-10-14, in
force from 2026-06-01, replacing Decree 248) renews a registration automatically at the end of
its validity, except for the foods on GACC's list, whose producers must still apply 3 to 12
months before the end and whose registration is cancelled when they do not. A registration
whose last valid day is 31 May 2026 or earlier ends under Decree 248; one ending from 1 June
2026 on follows Order 280, whatever the date it was listed. (Order 280's dates, and its Art. 6
on the catalogue of foods registered on an official recommendation, as reported by secondary
sources; its renewal articles were not checked against the official Chinese text, so none is
cited.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from certtrack.domain.calendar import (
    REGIME_248,
    REGIME_280,
    REGIME_280_START,
    reminder_dates,
    renewal_window,
)


class Outcome(StrEnum):
    """What happens to a registration once its validity ends without a recorded renewal."""

    expire = "expire"  # Decree 248, or a listed category whose renewal GACC has not decided
    cancel = "cancel"  # Order 280, listed category, window missed
    renew = "renew"  # Order 280, category not on the list: automatic, 5 more years


class WindowState(StrEnum):
    """Where a day falls relative to the renewal window."""

    automatic = "automatic"  # no application: Order 280 renews it
    upcoming = "upcoming"
    open = "open"
    closed = "closed"


@dataclass(frozen=True)
class RenewalDecision:
    """The regime, the window (None when renewal is automatic), where `today` falls, the
    reminder days, the outcome at the end of validity and whether that end has passed."""

    regime: str
    on_renewal_list: bool
    window: tuple[date, date] | None
    state: WindowState
    outcome: Outcome
    due: bool
    reminders: list[date] = field(default_factory=list)


def renewal_regime(valid_to: date) -> str:
    """Take a registration's last valid day; return the regime in force on it."""
    return REGIME_280 if valid_to >= REGIME_280_START else REGIME_248


def _outcome(regime: str, on_renewal_list: bool, renewal_applied: bool) -> Outcome:
    if regime == REGIME_248:
        return Outcome.expire
    if not on_renewal_list:
        return Outcome.renew
    return Outcome.expire if renewal_applied else Outcome.cancel


def decide_renewal(valid_to: date, on_renewal_list: bool, today: date, *,
                   renewal_applied: bool = False) -> RenewalDecision:
    """Take a registration's last valid day, whether its GACC category is on Order 280's
    renewal list, the day to decide for and whether a renewal application was submitted;
    return the one decision the registration page, the reminders and the daily job follow.

    `due` is True from the day after `valid_to`: the daily job then applies `outcome`. Under
    Order 280 a listed category with no renewal applied for is cancelled; one applied for but
    not yet decided by GACC expires like a Decree 248 registration.
    """
    regime = renewal_regime(valid_to)
    window = renewal_window(valid_to, regime, on_renewal_list)
    outcome = _outcome(regime, on_renewal_list, renewal_applied)
    if window is None:
        return RenewalDecision(regime, on_renewal_list, None, WindowState.automatic, outcome,
                               today > valid_to)
    opens, closes = window
    state = (WindowState.upcoming if today < opens else
             WindowState.closed if today > closes else WindowState.open)
    return RenewalDecision(regime, on_renewal_list, window, state, outcome, today > valid_to,
                           reminder_dates(window))
