"""WTForms validators whose messages write numbers as the reader does."""

import math

from wtforms import validators
from wtforms.validators import ValidationError

from certtrack.services.numerals import shown

# WTForms' own messages, translated by its own catalogs through `field.gettext` (not ours).
AT_LEAST = "Number must be at least %(min)s."
AT_MOST = "Number must be at most %(max)s."
BETWEEN = "Number must be between %(min)s and %(max)s."


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
        elif self.max is None:
            message = field.gettext(AT_LEAST)
        elif self.min is None:
            message = field.gettext(AT_MOST)
        else:
            message = field.gettext(BETWEEN)
        bounds = {"min": "" if self.min is None else shown(self.min),
                  "max": "" if self.max is None else shown(self.max)}
        raise ValidationError(message % bounds)
