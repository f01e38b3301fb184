"""The one rule and message for the reason of a final step (domain.reasons), used by every
service that asks for one and by the forms that ask it first."""

from flask_babel import gettext as _

from certtrack.domain.reasons import REASON_MIN_IDEOGRAPHS, REASON_MIN_LENGTH, reason_is_enough
from certtrack.services.errors import ValidationFailed


def reason_message() -> str:
    """What to tell someone whose reason is missing or too short."""
    return _("Give the reason in a few words: at least %(num)d characters, or %(ideographs)d "
             "Chinese characters.", num=REASON_MIN_LENGTH, ideographs=REASON_MIN_IDEOGRAPHS)


def reason_errors(reason: str | None, field: str = "reason") -> dict[str, list[str]]:
    """Take a reason and the field it was typed in; return {} when it is enough, else
    {field: [reason_message()]}."""
    return {} if reason_is_enough(reason) else {field: [reason_message()]}


def require_reason(reason: str | None, field: str = "reason") -> str:
    """Take a reason and its field; return it stripped.

    :raise ValidationFailed: blank or shorter than domain.reasons.REASON_MIN_LENGTH.
    """
    errors = reason_errors(reason, field)
    if errors:
        raise ValidationFailed(errors)
    return (reason or "").strip()


def require_comment(comment: str | None, field: str, *, final: bool) -> str:
    """Take the comment of a workflow step that requires one and the field it was typed in;
    return it stripped. A final step (`final`) needs a reason (require_reason); the others any
    text (a list of deficiencies, GACC's requests).

    :raise ValidationFailed: blank, or for a final step too short.
    """
    if final:
        return require_reason(comment, field)
    if not (comment or "").strip():
        raise ValidationFailed({field: [_("Please give a reason.")]})
    return (comment or "").strip()
