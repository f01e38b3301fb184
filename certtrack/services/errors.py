"""The failures a use case reports, each carrying a message fit to show the user.

One hierarchy: every failure is a ServiceError with a translated `message` and an HTTP
`status`. The domain's IllegalTransition (an action not allowed in the object's state, most
often a stale page or a double click) is re-exported here and mapped by as_service_error().
"""

from flask_babel import gettext as _

from certtrack.domain.workflow import DomainError, IllegalTransition

__all__ = ["Conflict", "DomainError", "IllegalTransition", "NoLongerPossible", "NotFound",
           "PermissionDenied", "ServiceError", "Throttled", "ValidationFailed",
           "as_service_error"]


class ServiceError(Exception):
    """Base class: `message` is translated and safe to display; `status` is the HTTP status."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The object does not exist or the user may not know it exists (404, never 403)."""

    status = 404


class PermissionDenied(ServiceError):
    """The user is known to see the object but may not perform this action."""

    status = 403


class ValidationFailed(ServiceError):
    """The input breaks a rule; `errors` maps field names (or '' for the form) to messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]], message: str = ""):
        super().__init__(message or "; ".join(m for msgs in errors.values() for m in msgs))
        self.errors = errors


class Conflict(ServiceError):
    """Someone else changed the object first; nothing was applied."""

    status = 409


class Throttled(ServiceError):
    """Too many attempts; `retry_after` is in seconds."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class NoLongerPossible(Conflict):
    """The action is not allowed in the object's current state (IllegalTransition)."""

    def __init__(self, message: str = ""):
        super().__init__(message or _("This action is no longer possible; the page shows the "
                                      "current state."))


def as_service_error(error: Exception) -> ServiceError:
    """Take a failure raised by a use case; return it as a ServiceError (a domain
    IllegalTransition becomes NoLongerPossible, 409).

    :raise TypeError: the error is neither a ServiceError nor an IllegalTransition.
    """
    if isinstance(error, ServiceError):
        return error
    if isinstance(error, IllegalTransition):
        return NoLongerPossible()
    raise TypeError(f"not a service failure: {error!r}")
