"""WTForms validators whose messages write numbers as the reader does."""

import math
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import StringField, validators
from wtforms.validators import ValidationError

from certtrack.domain import bounds
from certtrack.domain.reasons import reason_is_enough
from certtrack.domain.scripts import latin_or_chinese
from certtrack.services.applications import local_today
from certtrack.services.local_dates import format_day
from certtrack.services.numerals import shown
from certtrack.services.printed_names import DOSSIER_HINT, DOSSIER_SCRIPT
from certtrack.services.reasons import reason_message

# Our own messages: WTForms' catalogs said "больше 0" and "大于 0" (greater than) for "at
# least 0", refusing the zero they allowed.
AT_LEAST = _l("Enter a number of at least %(min)s.")
AT_MOST = _l("Enter a number of at most %(max)s.")
BETWEEN = _l("Enter a number between %(min)s and %(max)s.")


class NumberRange(validators.NumberRange):
    """WTForms' NumberRange, with its bounds in the reader's digits ("between 0 and
    100 000 000", not "100000000"). A value that could not be read as a number is left to the
    field's own message (BaseForm.validate)."""

    def __call__(self, form, field):
        data = field.data
        if (data is not None and not math.isnan(data)
                and (self.min is None or data >= self.min)
                and (self.max is None or data <= self.max)):
            return
        if self.message is not None:
            message = self.message
        else:
            message = AT_LEAST if self.max is None else AT_MOST if self.min is None else BETWEEN
        bounds = {"min": "" if self.min is None else shown(self.min),
                  "max": "" if self.max is None else shown(self.max)}
        raise ValidationError(str(message) % bounds)


class AboveZero(NumberRange):
    """A number above zero, up to `max`: zero is refused with the negative numbers, by one
    `message` (a weight's -5 said "between 0 and 100 000 000", then its 0 "greater than
    zero")."""

    def __init__(self, message, max=None):
        super().__init__(min=0, max=max)
        self.above_zero = message

    def __call__(self, form, field):
        data = field.data
        if data is not None and not math.isnan(data) and data <= 0:
            raise ValidationError(str(self.above_zero))
        super().__call__(form, field)


class PastDate:
    """A day that has come (today in Kazakhstan, or before), refused with `message`."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is not None and field.data > local_today():
            raise ValidationError(str(self.message))


def out_of_bounds(field) -> str | None:
    """The message for a number or date typed outside its bounds, None when it is within.
    A field's own rule (its range, a past date) says it when it has one: the storage's
    bounds ("below 2 147 483 647") mean nothing to the reader."""
    value = field.data if field.raw_data else None
    if isinstance(value, Decimal) and not bounds.amount_in_range(value):
        return _own_message(field, value) or _l("Enter a number below %(limit)s.",
                                                limit=shown(bounds.MAX_AMOUNT))
    if isinstance(value, int) and not bounds.integer_in_range(value):
        return _own_message(field, value) or _l("Enter a number below %(limit)s.",
                                                limit=shown(bounds.MAX_INTEGER))
    if isinstance(value, date) and not bounds.date_in_window(value, local_today()):
        past = any(isinstance(rule, PastDate) for rule in field.validators)  # today at most
        return _own_message(field, value) or _l(
            "Enter a date between %(first)s and %(last)s.",
            first=format_day(bounds.EARLIEST_DATE),
            last=format_day(local_today() if past else bounds.latest_date(local_today())))
    return None


def _own_message(field, value) -> str | None:
    """What the field's own range (a number) or past-date rule (a date) says of `value`."""
    if isinstance(value, Decimal) and not value.is_finite():
        return None  # NaN and Infinity: the storage's bounds say it
    kind = PastDate if isinstance(value, date) else validators.NumberRange
    for validator in field.validators:
        if isinstance(validator, kind):
            try:
                validator(None, field)
            except ValidationError as refused:
                return str(refused)
    return None


class ReasonLength:
    """A reason of a few words (services.reasons), said beside the field; a blank one is left
    to the field's DataRequired."""

    def __call__(self, form, field):
        if (field.data or "").strip() and not reason_is_enough(field.data):
            raise ValidationError(reason_message())


REASON_MESSAGE = _l("Please give a reason.")
TICK_MESSAGE = _l("Tick the box to confirm.")


def required_reason() -> list:
    """A required reason of an irreversible step, kept in the audit trail: the same words
    everywhere, blank or too short (ReasonLength), said with the form's other errors."""
    return [validators.DataRequired(message=REASON_MESSAGE), ReasonLength()]


def reason_validators(max_length: int) -> list:
    """required_reason() of at most `max_length` characters."""
    return [*required_reason(), validators.Length(max=max_length)]


def ticked() -> list:
    """The box an irreversible step is confirmed with, and what to say when it is not."""
    return [validators.DataRequired(message=TICK_MESSAGE)]


class DossierScript:
    """A text the recommendation dossier to GACC prints as written: in Latin or Chinese script,
    as the service requires (printed_names.dossier_script_errors), said with the form's other
    errors."""

    field_flags: dict = {}

    def __call__(self, form, field):
        if field.data and not latin_or_chinese(field.data):
            raise ValidationError(str(DOSSIER_SCRIPT))


def gacc_text(label, max_length: int, field_class=StringField):
    """An optional text the dossier to GACC prints as written: its form says so and refuses
    Cyrillic (DossierScript)."""
    return field_class(label, validators=[validators.Optional(), validators.Length(max=max_length),
                                          DossierScript()], description=DOSSIER_HINT)
