"""Forms of the review and inspection stages: queue filters, assignment, decisions, findings."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from certtrack.services.inputs import CorrectiveActionInput
from certtrack.web import labels
from certtrack.web.forms import BaseForm
from certtrack.web.number_fields import DecimalField
from certtrack.web.validators import NumberRange, gacc_text, reason_validators


def _choices(pairs) -> list[SelectChoice]:
    """Choices fixed in the class: as SelectChoice, since WTForms 3.3 deprecates tuples there."""
    return [SelectChoice(value, label) for value, label in pairs]


QUEUE_SORTS = {"deadline": _l("Deadline"), "age": _l("Time in stage"),
               "enterprise": _l("Enterprise")}
# The queue's views, in the order of its tabs (review.QUEUE_SCOPES).
QUEUE_SCOPES = {"action": _l("Needs your action"), "open": _l("All open"),
                "all": _l("All, closed included")}


class QueueFilterForm(BaseForm):
    """The queue's GET filters; no CSRF on a form that changes nothing."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), choices=[], validate_choice=False)
    region = SelectField(_l("Region"), choices=[], validate_choice=False)
    category = SelectField(_l("Product category"), choices=[], validate_choice=False)
    overdue = BooleanField(_l("Overdue only"))
    mine = BooleanField(_l("Assigned to me"))
    sort = SelectField(_l("Sort by"), choices=_choices(QUEUE_SORTS.items()), validate_choice=False)


class AssignForm(BaseForm):
    inspector_id = SelectField(_l("Inspector"), coerce=int, choices=[], validate_choice=False,
                               validators=[DataRequired(_l("Choose an inspector."))])


class DocumentReviewForm(BaseForm):
    decision = SelectField(_l("Decision"), choices=_choices([("accepted", _l("Accept")),
                                                             ("rejected", _l("Reject"))]))
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class ReturnForm(BaseForm):
    deficiencies = TextAreaField(
        _l("Deficiencies"), validators=[DataRequired(), Length(max=8000)],
        description=_l("One deficiency per line; the exporter sees them as a list."))
    response_deadline = DateField(_l("Response deadline"), validators=[InputRequired()])


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"), validators=reason_validators(4000),
        description=_l("For example: false information, no protocol for the product, or out "
                       "of scope. Rejection is final."))


class ScheduleForm(BaseForm):
    mode = SelectField(_l("Mode"), choices=_choices(labels.INSPECTION_MODES.items()))
    scheduled_for = DateField(_l("Date"), validators=[InputRequired()])
    inspector_ids = SelectMultipleField(
        _l("Inspectors"), coerce=int, choices=[], validate_choice=False,
        description=_l("At least one inspector of the committee; two are recommended."))

    outside_working_hours = BooleanField(
        _l("Outside working hours"),
        description=_l("Tick to hold the inspection on a weekend day or a public holiday."))
    outside_hours_reason = TextAreaField(
        _l("Why outside working hours"), validators=[Optional(), Length(max=2000)],
        description=_l("Required when the box above is ticked."))
    # No inspector chosen is the service's to say (inspections._schedule_errors), with a past
    # date or a day off in the same answer: the form said it alone, the date came next time.


class MeasurementForm(BaseForm):
    # Names of their own: the laboratory's sample form on the same page has product_code.
    measured_product = SelectField(_l("Product"), choices=[], validate_choice=False)
    measure = SelectField(_l("Measured"), choices=_choices(labels.QUARANTINE_MEASURES.items()))
    measured_value = DecimalField(_l("Value"), places=None,
                                  validators=[InputRequired(), NumberRange(min=0)],
                         description=_l("Moisture and foreign matter in %, quarantine weed "
                                        "seeds per kg, live pests as the number found."))
    species = StringField(_l("Species found"), validators=[Optional(), Length(max=300)],
                          description=_l("Required when live pests were found."))
    correction = TextAreaField(
        _l("What was corrected"), validators=[Optional(), Length(max=1000)],
        description=_l("Needed when the product's last measurement of this kind did not meet "
                       "its requirement: the lot cleaned or dried, a value typed wrong. Kept "
                       "in the audit trail."))


class FindingForm(BaseForm):
    requirement = StringField(_l("Requirement"), validators=[DataRequired(), Length(max=300)])
    observation = TextAreaField(_l("Observation"), validators=[DataRequired(), Length(max=4000)])
    clause = StringField(_l("Clause"), validators=[Optional(), Length(max=120)],
                         description=_l("For example GB 2761 or Decree 248 Art. 8."))
    severity = SelectField(_l("Severity"), choices=_choices(labels.SEVERITIES.items()))
    requirement_en = gacc_text(_l("Requirement for the dossier, in English or Chinese"), 300)
    observation_en = gacc_text(_l("Observation for the dossier, in English or Chinese"), 4000,
                               TextAreaField)


class RecordInspectionForm(BaseForm):
    performed_on = DateField(_l("Inspected on"), validators=[InputRequired()])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=8000)])
    summary_en = gacc_text(_l("Summary for the dossier, in English or Chinese"), 8000,
                           TextAreaField)

    def answers(self) -> dict:
        """The checklist answers as the service takes them: key → {answer, note}."""
        return {name[len("answer_"):]: {"answer": field.data,
                                        "note": self[f"note_{name[len('answer_'):]}"].data}
                for name, field in self._fields.items() if name.startswith("answer_")}


def record_inspection_form(checklist, formdata=None) -> RecordInspectionForm:
    """A RecordInspectionForm with an answer and a note for each checklist item."""

    class Form(RecordInspectionForm):
        pass

    for item in checklist:
        setattr(Form, f"answer_{item.key}",
                SelectField(item.label, validate_choice=False,
                            choices=_choices([("", "—"), *labels.CHECKLIST_ANSWERS.items()])))
        setattr(Form, f"note_{item.key}",
                StringField(_l("Note"), validators=[Optional(), Length(max=2000)]))
    return Form(formdata)


class CorrectiveActionsForm(BaseForm):
    def actions(self) -> dict[int, CorrectiveActionInput]:
        """The corrective actions as the service takes them: finding id → action, due date."""
        return {int(name[len("action_"):]): CorrectiveActionInput(
            action=field.data, due_date=self[f"due_{name[len('action_'):]}"].data,
            action_en=self[f"dossier_{name}"].data or "")
            for name, field in self._fields.items() if name.startswith("action_")}


def corrective_actions_form(findings, formdata=None) -> CorrectiveActionsForm:
    """A CorrectiveActionsForm with an action and a due date for each open finding."""

    class Form(CorrectiveActionsForm):
        pass

    for finding in findings:
        setattr(Form, f"action_{finding.id}", TextAreaField(
            _l("Corrective action"), validators=[Optional(), Length(max=4000)]))
        setattr(Form, f"due_{finding.id}", DateField(_l("Due date"), validators=[Optional()]))
        setattr(Form, f"dossier_action_{finding.id}", gacc_text(
            _l("Corrective action for the dossier, in English or Chinese"), 4000, TextAreaField))
    return Form(formdata)


class FindingVerificationForm(BaseForm):
    decision = SelectField(_l("Decision"), choices=_choices([("close", _l("Close")),
                                                             ("reopen", _l("Re-open"))]))
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class EvidenceForm(BaseForm):
    file = FileField(_l("Evidence (PDF, JPEG or PNG)"))
    note = StringField(_l("What was done"), validators=[Optional(), Length(max=2000)])

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a file to upload."))
