"""A signed-in person's password or code asked again (to change the password, to remove the
second factor or renew its recovery codes), counted as sign-ins are: before the check, under
the account's policy (docs/security.md item 3). A session left open is then no oracle that
guesses the password, or the six digits, at the speed of the hash."""

from collections.abc import Callable
from typing import TypeVar

from flask_babel import ngettext

from certtrack.models import User
from certtrack.services import throttle
from certtrack.services.errors import ValidationFailed
from certtrack.services.transaction import transaction

T = TypeVar("T")


def checked(user: User, field: str, check: Callable[[], T]) -> T:
    """Take a slot under the user's key, then run `check` (the password's or the code's, which
    returns a false value when it fails); a check that passes forgets the failures.

    :raise ValidationFailed: too many failures: the attempt waits (said beside `field`), and
        nothing was checked.
    """
    key, policy = f"reauth:{user.id}", throttle.login_policy("account")
    with transaction():
        decision = throttle.take(key, policy)
    if not decision.allowed:
        minutes = (decision.retry_after + 59) // 60
        raise ValidationFailed({field: [ngettext(
            "Too many wrong entries. Try again in %(num)d minute.",
            "Too many wrong entries. Try again in %(num)d minutes.", minutes)]})
    passed = check()
    if passed:
        with transaction():
            throttle.clear(key)
    return passed
