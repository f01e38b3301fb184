"""The failures a use case reports, each carrying a message fit to show the user.

One hierarchy: every failure is a ServiceError with a translated `message` and an HTTP
`status`. The domain's IllegalTransition (an action not allowed in the object's state, most
often a stale page or a double click) is re-exported here: the web's perform() flashes it and
the API answers it with 409.
"""


from certtrack.domain.workflow import DomainError, IllegalTransition

__all__ = ["Conflict", "DomainError", "IllegalTransition", "NotFound", "PermissionDenied",
           "ServiceError", "Throttled", "ValidationFailed"]


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
