"""WTForms validators whose messages write numbers as the reader does."""

import math

from flask_babel import lazy_gettext as _l
from wtforms import validators
from wtforms.validators import ValidationError

from certtrack.services.numerals import shown

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
