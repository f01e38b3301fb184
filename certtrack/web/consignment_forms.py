"""The forms of the consignment pages and their factories (choices from the reference data)."""

from decimal import Decimal

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FileField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from certtrack.domain import bounds
from certtrack.domain.consignment import INSPECTOR_GROUNDS
from certtrack.domain.scripts import latin_or_chinese
from certtrack.services import market_access, reference
from certtrack.services.consignments import drafts, gate, inspection
from certtrack.services.consignments.in_force import current_certificate
from certtrack.services.numerals import with_remark
from certtrack.web import consignment_labels as clabels
from certtrack.web import labels
from certtrack.web.forms import BaseForm
from certtrack.web.number_fields import DecimalField, IntegerField
from certtrack.web.validators import AboveZero, NumberRange, PastDate, reason_validators

CHOOSE = _l("Choose…")


class ConsignmentForm(BaseForm):
    registration_id = SelectField(_l("China registration"), coerce=int, choices=[],
                                  validators=[DataRequired(_l("Choose a registration."))])
    consignee_name = StringField(_l("Consignee in China"), validators=[
        DataRequired(), Length(max=300)], description=_l("In Latin or Chinese script."))
    consignee_address = TextAreaField(_l("Consignee's address"), validators=[
        DataRequired(), Length(max=1000)], description=_l("In Latin or Chinese script."))
    conveyance = SelectField(_l("Means of conveyance"), choices=[], validators=[DataRequired()])
    crossing_code = SelectField(_l("Point of entry"), choices=[], validators=[DataRequired()])
    origin_region_code = SelectField(_l("Region of origin"), choices=[],
                                     validators=[DataRequired()])
    place_of_origin = StringField(_l("Place of origin"), validators=[Optional(),
                                                                     Length(max=300)],
                                  description=_l("The district, in English and Chinese, as the "
                                                 "certificate prints it before the region: "
                                                 "Kostanay District 科斯塔奈区."))
    production_from = DateField(_l("Slaughter or production date (first)"),
                                validators=[Optional(), PastDate(drafts.PRODUCTION_FUTURE)],
                                description=_l("Animal products, and any product after its "
                                               "registration's suspension."))
    production_to = DateField(_l("Slaughter or production date (last)"),
                              validators=[Optional(), PastDate(drafts.PRODUCTION_FUTURE)])
    storage_temperature = DecimalField(_l("Storage temperature, °C"), places=None,
                                       example=Decimal("-18.5"),
                                       validators=[Optional(), NumberRange(min=-60, max=40)],
                                       description=_l("Of chilled or frozen goods; none for "
                                                      "honey, which travels at ambient "
                                                      "temperature."))
    version = HiddenField()

    # The service's rules on these fields (drafts._header_errors, in its wording), checked
    # here too so that they show with the form's own errors in one answer, not one by one.
    def validate_consignee_name(self, field):
        if field.data and not latin_or_chinese(field.data):
            raise ValidationError(drafts.CONSIGNEE_SCRIPT)

    def validate_consignee_address(self, field):
        if field.data and not latin_or_chinese(field.data):
            raise ValidationError(drafts.ADDRESS_SCRIPT)

    def validate_place_of_origin(self, field):
        if field.data and not latin_or_chinese(field.data):
            raise ValidationError(drafts.PRINTED_SCRIPT)

    def validate_conveyance(self, field):
        if field.data and (refusal := drafts.conveyance_refusal(field.data,
                                                                self.crossing_code.data)):
            raise ValidationError(refusal)

    def validate_production_to(self, field):
        first = self.production_from.data
        if field.data and first and field.data < first and not field.errors:
            raise ValidationError(drafts.PRODUCTION_ORDER)


class LotForm(BaseForm):
    product_code = SelectField(_l("Product"), choices=[], validators=[DataRequired()])
    net_weight = DecimalField(_l("Net weight"), places=None, validators=[
        InputRequired(), AboveZero(drafts.WEIGHT_ABOVE_ZERO, max=bounds.MAX_WEIGHT)])
    gross_weight = DecimalField(_l("Gross weight"), places=None, validators=[
        InputRequired(), AboveZero(drafts.WEIGHT_ABOVE_ZERO, max=bounds.MAX_WEIGHT)])
    # Chosen, never preset: "t" and "Bulk" preset declared 16 500 t of bulk meat for a mutton
    # exporter who typed 16500 meaning kilograms of cartons.
    weight_unit = SelectField(_l("Unit"), choices=[], validators=[
        DataRequired(drafts.CHOOSE_UNIT)])
    packages_number = IntegerField(_l("Number of packages"), validators=[
        InputRequired(), NumberRange(min=1, max=bounds.MAX_PACKAGES)])
    packages_kind = SelectField(_l("Kind of packages"), choices=[], validators=[
        DataRequired(drafts.CHOOSE_PACKAGES)])
    marks = TextAreaField(_l("Distinguishing marks (wagon, container and seal numbers)"),
                          validators=[Optional(), Length(max=2000)],
                          description=_l("In Latin or Chinese script."))

    def validate_marks(self, field):  # with the weights' errors, not after them
        if field.data and not latin_or_chinese(field.data):
            raise ValidationError(drafts.MARKS_SCRIPT)

    # The service's rules on the weights (drafts._weight_errors, in its wording), here too:
    # a gross weight under the net came after the next save when the marks had an error.
    def validate_net_weight(self, field):
        _three_places(field)

    def validate_gross_weight(self, field):
        _three_places(field)
        net = self.net_weight.data
        if (not field.errors and field.data is not None and net is not None
                and net.is_finite() and field.data < net):
            raise ValidationError(drafts.GROSS_BELOW_NET)


def _three_places(field) -> None:
    """:raise ValidationError: a weight finer than the gram of a kilogram it is stored to
    (unless its range is said already)."""
    value = field.data
    if (not field.errors and value is not None and value.is_finite()
            and value.as_tuple().exponent < -3):
        raise ValidationError(drafts.WEIGHT_PLACES)


class ConsignmentDocumentForm(BaseForm):
    kind = SelectField(_l("Document"), choices=[], validators=[DataRequired()])
    file = FileField(_l("File (PDF, JPEG or PNG)"), validators=[DataRequired()])


# The inspector's three forms leave what is required to the service, which says every missing
# or wrong entry in one answer (a day left out and a unit mistyped came in two rounds; a value
# below zero, or a temperature of 500 °C, and a day in the future too); the forms check only
# what must be read at all (a date, a number, a length).
class InspectionForm(BaseForm):
    inspected_on = DateField(_l("Inspected on"), validators=[Optional()])
    place = StringField(_l("Place of inspection"), validators=[Optional(), Length(max=300)],
                        description=_l("In Latin or Chinese script, as the certificate's data "
                                       "for China's border carries it: Kostanay station, "
                                       "track 2, say."))
    result = SelectField(_l("Result"), choices=[], validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])


class ConsignmentLabForm(BaseForm):
    limit_id = SelectField(_l("Parameter"), coerce=int, choices=[], validators=[DataRequired()])
    sample_code = StringField(_l("Sample code"), validators=[Optional(), Length(max=40)])
    # Its own id: "laboratory" is the id of the page's section, the address its links open.
    laboratory = StringField(_l("Laboratory"), validators=[Optional(), Length(max=200)],
                             id="laboratory-name")
    value = DecimalField(_l("Value"), places=None, validators=[Optional()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=16)])
    loq = DecimalField(_l("Limit of quantification (LOQ)"), places=None,
                       validators=[Optional()])
    detected = SelectField(_l("Detected"), choices=[], validators=[Optional()])
    method = StringField(_l("Method"), validators=[Optional(), Length(max=120)])
    tested_on = DateField(_l("Tested on"), validators=[Optional()])


class TreatmentForm(BaseForm):
    type = SelectField(_l("Treatment"), choices=[], validators=[DataRequired()])
    # Printed as typed on the certificate: the service holds them to Latin or Chinese script.
    active_substance = StringField(_l("Chemical (active ingredient)"),
                                   validators=[Optional(), Length(max=120)],
                                   description=_l("In Latin or Chinese script."))
    concentration = StringField(_l("Dose or concentration"), validators=[Optional(),
                                                                         Length(max=60)],
                                description=_l("In Latin or Chinese script."))
    temperature = DecimalField(_l("Temperature, °C"), places=None, example=Decimal("25.5"),
                               validators=[Optional()])
    duration = StringField(_l("Duration"), validators=[Optional(), Length(max=60)],
                           description=_l("In Latin or Chinese script."))
    treated_on = DateField(_l("Date of treatment"), validators=[Optional()])


class DeclarationsForm(BaseForm):
    """The protocol's statements as boxes to tick: each is a paragraph to read, and a list
    box would hide all but a line of each and need Ctrl+click to choose more than one."""

    codes = SelectMultipleField(_l("Additional declarations and attestations"), choices=[],
                                validators=[Optional()], option_widget=widgets.CheckboxInput())


class ReasonForm(BaseForm):
    """An irreversible step: a required reason (the action table adds the confirmation)."""

    version = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=reason_validators(4000))


class ReplaceForm(ReasonForm):
    """A replacement, naming the certificate it replaces: sent twice, the second finds that
    one replaced and issues nothing."""

    certificate = HiddenField()


def replace_form(consignment, formdata) -> ReplaceForm:
    form = ReplaceForm(formdata)
    if formdata is None and (current := current_certificate(consignment)) is not None:
        form.certificate.data = current.number
    return form


class CancelForm(ReasonForm):
    """A certificate cancelled: the ground anyone who checks it reads in their language, and
    the reason its exporter reads."""

    ground = SelectField(_l("Ground of the cancellation"), choices=[], validators=[
        DataRequired(_l("Choose why the certificate is cancelled."))])
    reason = TextAreaField(_l("Reason"), description=_l(
        "The exporter reads it, and the audit trail keeps it. Anyone who checks the "
        "certificate reads the ground above, in their own language."),
        validators=reason_validators(4000))


def cancel_form(_consignment, formdata) -> CancelForm:
    """The inspector's grounds (domain.consignment.INSPECTOR_GROUNDS), none chosen."""
    form = CancelForm(formdata)
    form.ground.choices = [("", str(CHOOSE))] + [
        (ground.value, str(clabels.CANCELLATION_GROUNDS[ground])) for ground in INSPECTOR_GROUNDS]
    return form


def _locale() -> str:
    return str(get_locale())


def _registration_choice(registration) -> str:
    """A registration as the request's list offers it: number, establishment, category."""
    return (f"{registration.china_number} — {registration.establishment.name_in(_locale())} — "
            f"{registration.gacc_category.name_in(_locale())}")


def consignment_form(consignment, formdata) -> ConsignmentForm:
    """The request's header; the registration is fixed once the draft exists."""
    form = ConsignmentForm(formdata, obj=consignment)
    if consignment is not None:
        form.registration_id.choices = [(consignment.registration_id,
                                         _registration_choice(consignment.registration))]
        # the animal products' dates and temperature: for a veterinary certificate only
        form.animal_registrations = [consignment.registration_id] * (consignment.kind == "vet")
        barrier = consignment.registration.products_produced_from
        form.resumed = {consignment.registration_id: barrier} if barrier else {}
    else:
        usable = gate.usable_registrations(g.user)
        form.registration_id.choices = [(0, str(CHOOSE))] + [
            (r.id, _registration_choice(r)) for r in usable]
        form.animal_registrations = [r.id for r in usable
                                     if r.gacc_category.committee == "veterinary"]
        # resumed with "produced on or after": the production dates, of any product
        form.resumed = {r.id: r.products_produced_from for r in usable
                        if r.products_produced_from}
        form.barred = [] if usable else gate.barred_registrations(g.user)
        if formdata is None and len(usable) == 1:  # the one there is, not "Choose…"
            form.registration_id.data = usable[0].id
    form.conveyance.choices = labels.choices(clabels.CONVEYANCES, str(CHOOSE))
    modes = list(clabels.CROSSING_MODES)  # rail first, then road; by name within each
    form.crossing_code.choices = [SelectChoice("", str(CHOOSE))] + [
        SelectChoice(c.code, c.name_in(_locale()), optgroup=str(clabels.CROSSING_MODES[c.mode]))
        for c in sorted(market_access.crossings(), key=lambda c: modes.index(c.mode))]
    form.origin_region_code.choices = [("", str(CHOOSE))] + [
        (r.code, with_remark(r.name_in(_locale()), r.code)) for r in reference.regions()]
    return form


def lot_form(consignment, formdata) -> LotForm:
    """A lot: the products are those of the consignment's registration only."""
    form = LotForm(formdata)
    form.product_code.choices = [
        (p.code, f"{p.hs_code} — {p.name_in(_locale())}")
        for p in drafts.registration_products(consignment.registration)]
    form.weight_unit.choices = labels.choices(clabels.WEIGHT_UNITS, str(CHOOSE))
    form.packages_kind.choices = labels.choices(clabels.PACKAGE_KINDS, str(CHOOSE))
    return form


def document_form(_consignment, formdata) -> ConsignmentDocumentForm:
    form = ConsignmentDocumentForm(formdata)
    form.kind.choices = labels.choices(clabels.DOCUMENT_KINDS)
    return form


def inspection_form(consignment, formdata) -> InspectionForm:
    """The inspection's form, holding what was recorded (it came back empty: changing one
    entry meant typing them all again)."""
    form = InspectionForm(formdata, data={
        "inspected_on": consignment.inspected_on, "place": consignment.inspection_place,
        "result": consignment.inspection_result, "notes": consignment.inspection_notes}
        if consignment is not None and consignment.inspected_on else None)
    # No result is chosen for the inspector: one skipped would record a pass.
    form.result.choices = labels.choices(clabels.INSPECTION_RESULTS, str(CHOOSE))
    return form


def lab_form(consignment, formdata) -> ConsignmentLabForm:
    form = ConsignmentLabForm(formdata)
    locale = _locale()
    form.limit_id.choices = sorted(  # in the order of the reader's alphabet
        ((limit.id, f"{limit.parameter_in(locale)} — {limit.matrix_in(locale)}")
         for limit in inspection.limits_for(consignment)), key=lambda c: c[1].casefold())
    form.detected.choices = [("", "—"), ("no", str(_l("Not detected / absent"))),
                             ("yes", str(_l("Detected / present")))]
    for name in ("sample_code", "laboratory"):  # the service says what is missing, with the rest
        getattr(form, name).flags.required = True
    return form


def treatment_form(_consignment, formdata) -> TreatmentForm:
    form = TreatmentForm(formdata)
    form.type.choices = labels.choices(clabels.TREATMENT_TYPES)
    return form


def declarations_form(consignment, formdata) -> DeclarationsForm:
    """The protocol's wording for the consignment's kind and products; the current choice."""
    form = DeclarationsForm(formdata)
    form.codes.choices = [(d.code, d.text_in(_locale()))
                          for d in inspection.available_declarations(consignment)]
    if formdata is None:
        form.codes.data = [d.declaration_code for d in consignment.declarations]
    return form
