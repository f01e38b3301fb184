"""The `repeat` of an action whose form has no one-time key (web.perform.WebAction): the
second sending of the same entries, told what the first recorded and led there."""

from collections.abc import Callable
from typing import Any

from certtrack.services import repeated_entries
from certtrack.web.forms import BaseForm


def recorded_before(kind: str, find, to_input, url: Callable[[Any], str]):
    """The `repeat` of a form whose same entries its sender just recorded on the target
    (services.repeated_entries: a finding, a measurement, a treatment): `find(user, target,
    to_input(form))` is that record; said, and led to `url(target)`."""
    def repeat(user, target, form: BaseForm):
        earlier = find(user, target, to_input(form))
        if earlier is None:
            return None
        return repeated_entries.message(kind, earlier), url(target)
    return repeat
