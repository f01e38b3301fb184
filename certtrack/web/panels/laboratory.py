"""Detail-page panel for the laboratory stage: samples, results, and the conclusion."""

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from certtrack.domain.compliance import LimitKind
from certtrack.domain.workflow import Action, State
from certtrack.services import (
    accreditation,
    conclusions,
    lab_results,
    laboratory,
    numerals,
    sent_twice,
    sources,
)
from certtrack.services.applications import local_today
from certtrack.services.local_dates import format_moment
from certtrack.web.forms import BaseForm
from certtrack.web.number_fields import DecimalField, IntegerField
from certtrack.web.validators import DossierScript, NumberRange, ReasonLength, reason_validators

LAB_ACTIONS = (Action.send_to_lab, Action.record_lab_results, Action.conclude_positive,
               Action.conclude_negative)
UNITS = ("mg/kg", "µg/kg", "ppm", "ppb")
# Existing badge colours: green for a result that counts, blue for below LOQ, red for a failure.
VERDICT_BADGES = {"compliant": "badge badge-registered", "below_loq": "badge badge-submitted",
                  "non_compliant": "badge badge-rejected"}
SHOWN_STATES = (State.inspected, State.lab_testing, State.conclusion_positive,
                State.conclusion_negative)


class SampleForm(BaseForm):
    code = StringField(_l("Sample code"), validators=[DataRequired(), Length(max=64)])
    product_code = SelectField(_l("Product"), choices=[], validators=[DataRequired()])
    taken_on = DateField(_l("Taken on"), validators=[DataRequired()])
    matrix = StringField(_l("Matrix"), validators=[DataRequired(), Length(max=200)],
                         description=_l("What was sampled, e.g. wheat grain, beef muscle."))
    laboratory_id = SelectField(_l("Accredited laboratory"), coerce=int, choices=[],
                                validators=[Optional()],
                                description=_l("It sees the sample and posts its results in "
                                               "certtrack."))
    laboratory = StringField(_l("Another laboratory"), validators=[Optional(), Length(max=300)],
                             description=_l("When the sample goes to a laboratory without an "
                                            "account: you enter its results. Its name in Latin "
                                            "or Chinese script: the recommendation dossier "
                                            "sent to China's customs prints it as written."))


class ResultForm(BaseForm):
    limit_id = SelectField(_l("Parameter"), coerce=int, choices=[], validators=[DataRequired()])
    value = DecimalField(_l("Value"), places=None, validators=[Optional(), NumberRange(min=0)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=16)],
                       description=_l("mg/kg, µg/kg, ppm or ppb; converted to the limit's unit."))
    loq = DecimalField(_l("Limit of quantification (LOQ)"), places=None,
                       validators=[Optional(), NumberRange(min=0)],
                       description=_l("In the unit of the value. Needed with “not "
                                      "detected” against a maximum: only an LOQ at or below "
                                      "the limit shows it is met."))
    detected = SelectField(_l("Detected"), choices=[], validators=[Optional()],
                           description=_l("For banned substances and quarantine pests."))
    method = StringField(_l("Method"), validators=[Optional(), Length(max=120)],
                         description=_l("e.g. GB 5009.111"))
    tested_on = DateField(_l("Tested on"), validators=[DataRequired()])
    valid_days = IntegerField(_l("Valid for (days)"),
                              validators=[Optional(), NumberRange(min=1, max=3650)],
                              description=_l("The test day counts as the first. Leave empty "
                                             "when the result does not expire."))
    correction = TextAreaField(_l("Why this result is added"),
                               validators=[Optional(), ReasonLength(), Length(max=1000)],
                               description=_l("Needed when the sample has a result for the "
                                              "parameter already: the newer result counts. A "
                                              "new sample's result replaces the other samples' "
                                              "results for the parameter only with a reason (a "
                                              "retest); without one, every sample's result "
                                              "counts. Kept with the result."))


class ConclusionForm(BaseForm):
    conclusion = TextAreaField(_l("Conclusion"),
                               validators=[Optional(), Length(max=4000), DossierScript()])


class NegativeConclusionForm(BaseForm):
    # Named like ActionForm's comment: the workflow's "reason required" error names that field.
    comment = TextAreaField(_l("Reasons"), validators=reason_validators(4000))


def _locale() -> str:
    return str(get_locale())


def sample_form(application, formdata=None) -> SampleForm:
    """The form that records a sample, offering the application's products."""
    form = SampleForm(formdata)
    form.product_code.choices = [(line.product_code, line.product.name_in(_locale()))
                                 for line in application.products]
    form.laboratory_id.choices = [(0, "—")] + sorted(
        ((lab.id, lab.name_in(_locale())) for lab in accreditation.accredited_laboratories(
            [line.product_code for line in application.products])),
        key=lambda choice: choice[1])
    if len(form.laboratory_id.choices) == 1:  # none to choose: "Another" laboratory, of none
        form.laboratory.label.text = _("Laboratory")
        form.laboratory.flags.required = True
        form.laboratory.description = _(
            "No laboratory with an account in certtrack tests these products: name the "
            "laboratory the sample goes to, in Latin or Chinese script (the recommendation "
            "dossier sent to China's customs prints it as written); you enter its results.")
    return form


def limit_choice(limit) -> str:
    """How a limit is offered in the parameter list: parameter, matrix and the limit itself."""
    locale = _locale()
    return numerals.with_remark(f"{limit.parameter_in(locale)} — {limit.matrix_in(locale)}",
                               limit_text(limit), locale)


def limit_text(limit) -> str:
    """The limit in words: '≤ 1000 µg/kg', 'not detected (banned)' or 'absent'."""
    if limit is None:
        return "—"
    if limit.kind == LimitKind.max:
        return f"≤ {numerals.shown(limit.value)} {numerals.shown_unit(limit.unit)}"
    if limit.kind == LimitKind.not_detected:
        return _("not detected (banned)")
    return _("absent")


def result_form(sample, formdata=None, parameters: set[str] | None = None) -> ResultForm:
    """The form that records a result for a sample, offering the limits of its product (of
    `parameters` only, when given: a laboratory's scope of accreditation)."""
    form = ResultForm(formdata)
    # in the order of the reader's alphabet, not of the English names
    form.limit_id.choices = sorted(((limit.id, limit_choice(limit))
                                    for limit in laboratory.limits_for_sample(sample)
                                    if parameters is None or limit.parameter in parameters),
                                   key=lambda choice: choice[1].casefold())
    form.detected.choices = [("", "—"), ("no", _("Not detected / absent")),
                             ("yes", _("Detected / present"))]
    if formdata is None:
        form.valid_days.data = laboratory.result_validity(sample)
    return form


def _measured(row) -> str:
    if row.value is not None:
        return f"{numerals.shown(row.value)} {numerals.shown_unit(row.unit)}".strip()
    if row.detected is None:
        return "—"
    kind = row.limit.kind if row.limit is not None else None
    if kind == LimitKind.absent:
        return _("found") if row.detected else _("not found")
    return _("detected") if row.detected else _("not detected")


def _limit_as_judged(row) -> str:
    """The limit the result was judged by, even if an administrator has changed it since."""
    if row.limit is not None and row.limit.kind == LimitKind.max and row.limit_value is not None:
        return (f"≤ {numerals.shown(row.limit_value)} "
                f"{numerals.shown_unit(row.limit_unit)}").strip()
    return limit_text(row.limit)


def _judged_now(row) -> dict | None:
    """The limit in force now and its verdict, when they are not those the result was judged by."""
    now = lab_results.judge_now(row)
    if now is None:
        return None
    return {"limit": limit_text(now.limit),
            "source": sources.source_in(now.limit.source, _locale()), "verdict": now.verdict,
            "differs": now.verdict != row.verdict}


def _result_view(row, latest_ids: set[int], today) -> dict:
    return {"row": row, "measured": _measured(row), "limit": _limit_as_judged(row),
            "now": _judged_now(row),
            "sentence": conclusions.describe_result(row),
            "badge": VERDICT_BADGES.get(row.verdict, "badge"),
            "valid_until": lab_results.valid_until(row),
            "expired": lab_results.is_expired(row, today), "latest": row.id in latest_ids}


def result_views(application, sample=None) -> list[dict]:
    """The results of the application (or of one sample) as the tables show them."""
    latest_ids = {row.id for row in conclusions.latest_results(application)}
    today = local_today()
    samples = [sample] if sample is not None else laboratory.samples_of(application)
    return [_result_view(row, latest_ids, today) for one in samples for row in one.results]


def _samples(application) -> list[dict]:
    samples = laboratory.samples_of(application)
    if not samples:
        return []
    latest_ids = {row.id for row in conclusions.latest_results(application)}
    today = local_today()
    return [{"sample": sample,
             "results": [_result_view(row, latest_ids, today) for row in sample.results]}
            for sample in samples]


def _blocked(application) -> dict[str, list[str]]:
    """The required parameters with no result on file at all, and those whose result exceeds
    China's limit, as a positive conclusion would name them ("missing", "failing")."""
    blockers = conclusions.check_conclusion(application).blockers
    return {"missing": [b.parameter for b in blockers if b.code == "missing_result"],
            "failing": sorted({b.parameter for b in blockers
                               if b.code == "non_compliant_result"})}


def _step_forms(table: dict, rights, application, failed: dict) -> dict:
    """The forms of sending the samples and closing testing (with their confirmation), built
    only where the page offers the step; the required results still missing when closing, and
    those above China's limit."""
    offered = {str(action) for action in rights.actions}
    forms = {key: (failed.get(key) or table[name].build(application)) if name in offered
             else None
             for key, name in (("send_form", "send_to_lab"),
                               ("complete_form", "record_lab_results"))}
    blocked = _blocked(application) if forms["complete_form"] is not None else {}
    forms["missing"], forms["failing"] = blocked.get("missing", []), blocked.get("failing", [])
    return forms


def context(rights, application, failed: dict) -> dict:
    """Template context for the laboratory panel: samples, results, forms and blockers.

    `failed` may hold the sample, conclusion and negative forms as the user filled them in.
    """
    from certtrack.web import actions  # the action table imports this module's forms

    state = application.state
    check = conclusions.check_conclusion(application) if state == State.inspected else None
    can_sample = rights.can_record_sample
    samples = _samples(application)
    return {"lab": {
        "shown": bool(samples) or state in SHOWN_STATES,
        "samples": samples,
        "actions": [str(a) for a in rights.actions if a in LAB_ACTIONS],
        "waiting": [item["sample"].code for item in samples if not item["results"]],
        "can_record_sample": can_sample,
        "can_record_result": rights.can_record_result,
        "sample_form": failed.get("sample_form") or (sample_form(application) if can_sample
                                                     else None),
        "conclusion_form": failed.get("conclusion_form") or actions.LABORATORY[
            "conclude_positive"].build(application),
        "negative_form": failed.get("negative_form") or actions.LABORATORY[
            "conclude_negative"].build(application),
        **_step_forms(actions.LABORATORY, rights, application, failed),
        "blockers": check.messages if check is not None else [],
        "positive_possible": check is not None and check.allows_positive,
    }}


def sample_sent_before(user, application, form) -> tuple[str, str] | None:
    """The sample form sent twice (a double click, Back and the form sent again): the sample
    its first sending recorded, said and led to, rather than "already has a sample"."""
    earlier = sent_twice.sample(user, application, laboratory.SampleInput.from_mapping(
        form.data))
    if earlier is None:
        return None
    return (_("You already recorded sample %(code)s, at %(time)s: the form was sent twice, "
              "and nothing was recorded again.", code=earlier.record.code,
              time=format_moment(earlier.at)),
            url_for("inspector.application", application_id=application.id)
            + "#panel-laboratory")
