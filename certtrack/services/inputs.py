"""The base of the use cases' typed inputs: dataclasses built from a form's data or by hand."""

from collections.abc import Mapping
from dataclasses import fields
from typing import Self


class ServiceInput:
    """Mixin for a dataclass of the entries a use case takes.

    Every field has a default, so an input built by hand names only what it sets; the service
    checks the values and reports every problem at once (ValidationFailed).
    """

    @classmethod
    def from_mapping(cls, data: Mapping) -> Self:
        """The input from a mapping such as a form's data; keys the input does not name (the
        CSRF token, the submit button) are ignored."""
        names = {field.name for field in fields(cls)}  # type: ignore[arg-type]
        return cls(**{key: value for key, value in data.items() if key in names})
