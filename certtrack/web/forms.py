"""WTForms with session CSRF: one base class, and the forms of every page."""

from datetime import timedelta

from flask import current_app, g, has_request_context, render_template, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # lazy; extracted as pgettext, with context
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    Form,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from certtrack.domain import bounds
from certtrack.domain.identifiers import IdentifierError, validate_bin
from certtrack.services.enterprises import KZ_NUMBER, KZ_NUMBER_MESSAGE, PHONE, PHONE_MESSAGE
from certtrack.services.printed_names import DOSSIER_HINT
from certtrack.services.transaction import stale_message
from certtrack.web.number_fields import DecimalField, IntegerField
from certtrack.web.validators import (
    NumberRange,
    PastDate,
    gacc_text,
    out_of_bounds,
    reason_validators,
    required_reason,
    ticked,
)

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EMAIL_MESSAGE = _l("This is not an e-mail address: write it as name@example.kz.")


class BaseForm(Form):
    """Every form of the app: CSRF bound to the session, messages in the user's language."""

    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_time_limit = timedelta(hours=12)

        @property
        def csrf_secret(self):
            return current_app.config["SECRET_KEY"].encode()

        @property
        def csrf_context(self):
            return session

        @property
        def locales(self):
            return [str(get_locale()), "en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unique_ids()

    def _unique_ids(self) -> None:
        """Give every field an id no other form of the page uses (one page shows many forms
        with a `comment` or a `reason`): the first keeps its name, the next get `-2`, `-3`…"""
        for field in self:
            _unique_id(field)

    def validate(self, extra_validators=None) -> bool:
        """Validate, with every number and date first held to the bounds of domain/bounds.py
        (a NaN or a year 9999 is refused with a message, never compared or stored), and keep
        the failed form for the page's error summary."""
        for field in self:
            message = out_of_bounds(field)
            if message is not None:
                field.data = None
                field.validators = (refuse(message),)
            elif field.process_errors and _typed(field):  # "abc" for a number: that alone
                field.validators = ()                           # is said, not a range too
        valid = super().validate(extra_validators)
        if not valid:
            _remember_failed(self)
        return valid

    @property
    def field_errors(self) -> bool:
        """True when any field other than the CSRF token failed validation."""
        return any(errors for name, errors in self.errors.items() if name != "csrf_token")

    def keep_after_conflict(self, message: str, version) -> None:
        """Someone saved the object after this form was loaded: keep what was typed, say who
        changed it and that nothing was saved, and take the object's version now, so that
        saving again is a choice made knowing it (it then replaces the other change)."""
        if message == stale_message():  # "Reload and try again" would lose what was typed
            message = _("Someone else saved this record after you opened it.")
        self.add_errors({"": [message, _("What you typed is kept below and was not saved: "
                                         "saving it again replaces that change.")]})
        if version is not None and "version" in self._fields:
            self.version.data = str(version)

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach service-side errors to the fields they name ('' is the form as a whole)."""
        for name, messages in errors.items():
            field = getattr(self, name, None) if name else None
            target = field.errors if field is not None else self.form_errors
            if isinstance(target, tuple):
                target = field.errors = list(target)
            target.extend(messages)
        _remember_failed(self)


def _unique_id(field) -> None:
    """Rename the field's id when another form of this request already uses it."""
    if not has_request_context():
        return
    used = g.setdefault("form_ids", set())
    candidate, number = field.id, 2
    while candidate in used:
        candidate, number = f"{field.id}-{number}", number + 1
    used.add(candidate)
    field.id = field.label.field_id = candidate


def _remember_failed(form: BaseForm) -> None:
    """The forms of this request that carry errors, in order: the page lists them on top."""
    if has_request_context():
        failed = g.setdefault("failed_forms", [])
        if form not in failed:
            failed.append(form)


def forget_forms() -> None:
    """Start a request with no form ids taken and no failed form (a test may keep one
    application context over several requests, and `g` with it)."""
    g.pop("form_ids", None)
    g.pop("failed_forms", None)


def failed_forms() -> list:
    """The forms of this request that carry errors other than a stale CSRF token alone."""
    return [form for form in g.get("failed_forms", [])
            if form.field_errors or form.form_errors]


def _typed(field) -> bool:
    """True when something other than blanks was typed into the field."""
    return any(isinstance(value, str) and value.strip() for value in field.raw_data or ())


def refuse(message):
    """A validator that stops a field's validation with `message`."""
    def check(form, field):
        raise StopValidation(message)
    return check


LAST_INSPECTION_PAST = _l("The last official inspection is a past date: enter the day it "
                          "took place.")


class ActionForm(BaseForm):
    """A button that changes state, with an optional comment."""

    version = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])


class LoginForm(BaseForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(
        _l("Authentication code"), validators=[Optional(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
        description=_l("Staff: the 6-digit code of your authenticator app, or a recovery code. "
                       "Others: only if you turned two-step sign-in on."))
    next = HiddenField()


class TotpCodeForm(BaseForm):
    """A current code of the authenticator app (set-up, new recovery codes)."""

    code = StringField(_l("Code from the app"),
                       validators=[DataRequired(), Length(max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


# The password rules (length, breached list, strength) live in services.passwords, so that
# every form reports them with the same words.
# Made before the new password's fields, so that a form of all three lists it first, as its
# page shows them (the error summary follows a form's order of fields).
_CURRENT_PASSWORD = PasswordField(_l("Current password"), validators=[DataRequired()],
                                  render_kw={"autocomplete": "current-password"})


class NewPasswordForm(BaseForm):
    """A new password typed twice (a typo in a hidden field would lock its owner out)."""

    new_password = PasswordField(_l("New password"), validators=[DataRequired()],
                                 render_kw={"autocomplete": "new-password"},
                                 description=_l("12 to 128 characters; a long phrase is easy "
                                                "to remember."))
    repeat_password = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(NewPasswordForm):
    current_password = _CURRENT_PASSWORD


def without_separators(value):
    """A number as typed from paper, without the spaces and hyphens that group its digits
    ("9401 4000 0385" is 940140000385)."""
    return "".join(value.split()).replace("-", "") if isinstance(value, str) else value


def bin_validator(form, field) -> None:
    """The BIN's length, digits, layout and check digit (RK Law No. 223-III)."""
    messages = {
        "length": _l("A BIN has exactly 12 digits."),
        "digits": _l("A BIN has digits only, without letters or other signs."),
        "structure": _l("This is not the layout of a BIN (month, entity type, attribute)."),
        "check_digit": _l("The check digit does not match: please check the number."),
    }
    try:
        field.data = validate_bin(field.data or "")
    except IdentifierError as error:
        raise ValidationError(messages.get(error.code, _l("This BIN is not valid."))) from error


def _text(label, required=False, max_length=300, **kwargs):
    first = DataRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length)], **kwargs)


class EnterpriseForm(BaseForm):
    bin = StringField(
        _l("BIN"), validators=[InputRequired(), bin_validator], filters=[without_separators],
        description=_l("Business identification number: 12 digits."),
    )
    # in the order of the page, which its error summary follows
    legal_form = SelectField(_l("Legal form"), choices=[], validators=[DataRequired()])
    legal_representative = _text(_l("Legal representative"), required=True, max_length=200,
                                 description=DOSSIER_HINT)
    name_en = _text(_l("Legal name in English"), required=True)
    name_kk = _text(_l("Legal name in Kazakh"))
    name_ru = _text(_l("Legal name in Russian"))
    name_zh = _text(_l("Legal name in Chinese"))
    region_code = SelectField(_l("Region"), choices=[], validators=[DataRequired()])
    address = TextAreaField(_l("Legal address"), validators=[DataRequired(), Length(max=1000)])
    phone = StringField(_l("Phone"), validators=[  # said with the other fields' errors
        Optional(), Length(max=40), Regexp(rf"(?:{PHONE.pattern})\Z", message=PHONE_MESSAGE)])
    email = StringField(_l("E-mail"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL_PATTERN, message=EMAIL_MESSAGE)])
    version = HiddenField()


def _address(label, required: bool = False):
    first = DataRequired() if required else Optional()
    return TextAreaField(label, validators=[first, Length(max=1000)])


class EstablishmentForm(BaseForm):
    """Name and address in Kazakh (required) and, when the exporter has them, in Russian,
    English and Chinese: the certificate prints each language given."""

    name = _text(_l("Name in Kazakh"), required=True)  # in the order of the page
    name_zh = _text(_l("Name in Chinese"))
    name_ru = _text(_l("Name in Russian"))
    name_en = _text(_l("Name in English"))
    type = SelectField(_l("Type"), choices=[], validators=[DataRequired()])
    region_code = SelectField(_l("Region"), choices=[], validators=[DataRequired()])
    kz_registration_number = StringField(
        _l("Kazakh registration or accounting number"), validators=[
            DataRequired(), Length(max=64),
            Regexp(rf"\s*(?:{KZ_NUMBER.pattern})\s*\Z", message=KZ_NUMBER_MESSAGE)])
    address = _address(_l("Address in Kazakh"), required=True)
    address_zh = _address(_l("Address in Chinese"))
    address_ru = _address(_l("Address in Russian"))
    address_en = _address(_l("Address in English"))
    version = HiddenField()


def _amount(label, maximum):
    return DecimalField(label, places=None,
                        validators=[Optional(), NumberRange(min=0, max=maximum)])


class ApplicationForm(BaseForm):
    kind = SelectField(_l("Kind of application"), choices=[], validators=[DataRequired()])
    establishment_id = SelectField(
        _l("Establishment"), coerce=int, choices=[], validators=[DataRequired()]
    )
    gacc_category_code = SelectField(
        _l("GACC product category"), choices=[], validators=[DataRequired()]
    )
    haccp_status = SelectField(_l("HACCP"), choices=[], validators=[Optional()])
    haccp_details = gacc_text(_l("HACCP plan or certificate details"), 4000, TextAreaField)
    traceability = gacc_text(_l("Traceability procedure"), 4000, TextAreaField)
    production_capacity = _amount(_l("Production capacity, tonnes per day"),
                                  bounds.MAX_DAILY_CAPACITY)
    storage_capacity = _amount(_l("Storage capacity, tonnes"), bounds.MAX_STORAGE)
    water_source = SelectField(_l("Water source"), choices=[], validators=[Optional()])
    staff_count = IntegerField(
        _l("Staff"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    last_inspection_date = DateField(_l("Last official inspection"),
                                     validators=[Optional(), PastDate(LAST_INSPECTION_PAST)])
    last_inspection_authority = gacc_text(_l("Inspecting authority"), 300)
    version = HiddenField()


class ProductLineForm(BaseForm):
    product_code = SelectField(_l("Product"), choices=[], validators=[DataRequired()])
    annual_volume = DecimalField(
        _l("Annual volume"), places=None,
        validators=[
            InputRequired(),
            NumberRange(min=0.001, message=_l("Enter a volume greater than zero.")),
            NumberRange(max=bounds.MAX_VOLUME),
        ],
    )
    volume_unit = SelectField(_l("Unit"), choices=[], validators=[DataRequired()])


class DocumentForm(BaseForm):
    document_type = SelectField(_l("Document"), choices=[], validators=[DataRequired()])
    file = FileField(_l("File (PDF, JPEG or PNG)"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a file to upload."))


class UserForm(BaseForm):
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), Regexp(EMAIL_PATTERN, message=EMAIL_MESSAGE)],
    )
    full_name = _text(_l("Full name"), required=True, max_length=200)
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    committee = SelectField(_l("Committee"), choices=[], validators=[Optional()])
    regions = SelectMultipleField(_l("Regions"), choices=[], validators=[Optional()])
    is_active = BooleanField(pgettext("account", "Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=128)])
    version = HiddenField()


def add_field(form: BaseForm, name: str, unbound, formdata) -> None:
    """Bind one more field to a built form and read its value from the request."""
    field = unbound.bind(form=form, name=name, prefix=form._prefix,
                         translations=form.meta.get_translations(form))
    form._fields[name] = field
    setattr(form, name, field)
    field.process(formdata)
    _unique_id(field)


def add_confirmation(form: BaseForm, formdata, consequence, needs_reason: bool) -> None:
    """The confirmation step of an irreversible action, added to its form: the consequence to
    show, a required reason when the record must say why, and a box to tick."""
    form.consequence = consequence
    if needs_reason and "reason" not in form._fields:
        add_field(form, "reason", TextAreaField(_l("Reason"), validators=reason_validators(4000)),
                  formdata)
    elif needs_reason and not form.reason.flags.required:
        form.reason.validators = [*required_reason(), *[
            v for v in form.reason.validators if not isinstance(v, Optional)]]
        form.reason.flags.required, form.reason.flags.optional = True, False
    add_field(form, "confirm", BooleanField(
        _l("I understand, and I want to go ahead."),
        validators=ticked()), formdata)


def render_form(template: str, form: BaseForm, **context):
    """Render a page with a form: status 422 when the form carries errors, else 200."""
    status = 422 if (form.field_errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status
