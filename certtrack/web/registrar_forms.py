"""The registrar's forms: recommendation, GACC batches and decisions (and the exporter's answer to
GACC's requests), registration lifecycle."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from certtrack.domain.bounds import MAX_ID
from certtrack.domain.identifiers import IdentifierError, validate_china_registration_number
from certtrack.services import registrations
from certtrack.services.local_dates import format_day
from certtrack.services.registration_entries import china_number_message
from certtrack.web import labels
from certtrack.web.forms import BaseForm
from certtrack.web.validators import reason_validators


def _reason(label=None, required=True):
    return TextAreaField(label or _l("Reason"), validators=reason_validators(4000) if required
                         else [Optional(), Length(max=4000)])


def _date(label, required=True, **kwargs):
    first = InputRequired(message=_l("Give a date.")) if required else Optional()
    return DateField(label, validators=[first], **kwargs)


class SelectionForm(BaseForm):
    """Applications ticked in a queue, with an optional comment."""

    application_id = SelectMultipleField(_l("Applications"), coerce=int, validate_choice=False)
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])

    def validate_application_id(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one application."))
        if any(not 1 <= application_id <= MAX_ID for application_id in field.data):
            raise ValidationError(_l("Choose the applications from the list."))


class BatchForm(SelectionForm):
    reference = StringField(
        _l("Batch reference"), validators=[DataRequired(), Length(max=64)],
        description=_l("The reference of the request sent to GACC, e.g. KZ-GACC-2026-014."))
    submitted_on = _date(_l("Sent to GACC on"))


class GaccReturnForm(BaseForm):
    requests = TextAreaField(
        _l("GACC's requests"), validators=[DataRequired(), Length(max=8000)],
        description=_l("One request per line; the exporter and the inspector receive the list."))
    response_deadline = _date(_l("Respond by"), required=False)
    version = HiddenField()


class GaccAnswerForm(BaseForm):
    """The exporter's answer to GACC's requests, which goes back to GACC with the application."""

    response = TextAreaField(
        _l("Your answer to GACC's requests"), validators=[DataRequired(), Length(max=8000)],
        description=_l("What you corrected for each request, or why something stays as it "
                       "was. The registrar sends it to GACC with the application."))


class GaccRefusalForm(BaseForm):
    reasons = _reason(_l("GACC's reasons"))
    version = HiddenField()


class ResubmitForm(BaseForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])
    version = HiddenField()


def china_number_validator(form, field) -> None:
    """Length, CKAZ prefix and characters of a China registration number (GACC register)."""
    try:
        field.data = validate_china_registration_number(field.data or "")
    except IdentifierError as error:
        raise ValidationError(china_number_message(error.code)) from error


class RegistrationForm(BaseForm):
    china_number = StringField(
        _l("China registration number"),
        validators=[DataRequired(), Length(max=40), china_number_validator],
        description=_l("18 characters starting with CKAZ, as GACC lists it."))
    listing_date = _date(_l("Listing date"))
    valid_from = _date(_l("Valid from"), required=False,
                       description=_l("Leave empty: the listing date (for a renewal, the day "
                                      "after the current registration ends)."))
    route = SelectField(_l("Route"), choices=[], validators=[DataRequired()])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.route.choices = labels.choices(labels.ROUTES)


class SuspendForm(BaseForm):
    authority = SelectField(_l("Suspended by"), choices=[], validators=[DataRequired()])
    reason = _reason()
    suspended_from = _date(_l("Suspended from"), description=_l(
        "Today or a day past: a suspension is recorded on the day it takes effect."))
    suspended_until = _date(_l("Suspended until"), required=False,
                            description=_l("Leave empty for a suspension without an end date; "
                                           "the daily job lifts a time-boxed one after it."))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority.choices = labels.choices(labels.SUSPENSION_AUTHORITIES, "—")


class AmendSuspensionForm(BaseForm):
    suspended_until = _date(_l("Suspended until"), required=False,
                            description=_l("The new last day, as GACC or the authority gives it; "
                                           "leave empty for a suspension until further notice."))
    reason = _reason()
    version = HiddenField()


class ResumeForm(BaseForm):
    products_produced_from = _date(_l("Products produced on or after"), description=_l(
        "Today or a day past: a resumption is recorded once the products it covers are "
        "accepted."))
    reason = _reason(_l("Comment"), required=False)
    version = HiddenField()


class RevokeForm(BaseForm):
    reference = StringField(_l("GACC announcement"), validators=[DataRequired(), Length(max=200)])
    reason = _reason()
    version = HiddenField()


class CancelForm(BaseForm):
    reason = _reason()
    version = HiddenField()


class InvalidateForm(BaseForm):
    cause = SelectField(_l("What voids the number"), choices=[], validators=[DataRequired()])
    reason = _reason(_l("Details"))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cause.choices = labels.choices(labels.INVALIDATION_CAUSES, "—")


class ExpireForm(BaseForm):
    reason = _reason()
    version = HiddenField()


def _on_registration(form_class):
    """The factory of a lifecycle form: (registration, formdata) -> form."""
    return lambda _registration, formdata: form_class(formdata)


# The forms of a registration's lifecycle steps, by verb, as (registration, formdata) -> form.
LIFECYCLE_FORMS = {
    "suspend": _on_registration(SuspendForm),
    # the end in force, to be changed: an empty field read as "until further notice"
    "amend_suspension": lambda registration, formdata: AmendSuspensionForm(
        formdata, suspended_until=registration.suspended_until),
    "resume": _on_registration(ResumeForm), "revoke": _on_registration(RevokeForm),
    "cancel": _on_registration(CancelForm), "invalidate": _on_registration(InvalidateForm),
    "expire": _on_registration(ExpireForm)}


def registration_form(formdata, obj):
    """The registration's form; for a renewal or a change, with the number of the registration
    it renews or changes (which keeps it)."""
    renewed = (registrations.registration_of(obj)
               if obj.renewal_of_id is not None or obj.kind == "change" else None)
    kept = {"route": renewed.route} if renewed is not None and obj.kind == "change" else {}
    return RegistrationForm(formdata, obj=obj,  # a change: the route it was listed by
                            china_number=renewed.china_number if renewed else None, **kept)


def suspension_end_told(registration) -> str:
    """The flash of a suspension's changed end ("now: Suspended" said nothing of it)."""
    if registration.suspended_until is None:
        return _("The suspension now runs until it is resumed.")
    return _("The suspension now ends on %(date)s.",
             date=format_day(registration.suspended_until))
