"""The inspector's laboratory and conclusion actions on one application."""

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from certtrack.domain.workflow import IllegalTransition
from certtrack.services import applications, conclusions, laboratory
from certtrack.services.errors import ValidationFailed
from certtrack.web.access import roles_required
from certtrack.web.forms import ActionForm, render_form
from certtrack.web.panels import laboratory as panel
from certtrack.web.staff import render_application_detail

bp = Blueprint("laboratory", __name__,
               url_prefix="/inspector/applications/<int:application_id>")
bp.before_request(roles_required("inspector"))


def _detail(application_id: int):
    return redirect(url_for("inspector.application", application_id=application_id))


def _no_longer_possible(application_id: int):
    flash(_("This action is no longer possible; the page shows the current state."), "error")
    return _detail(application_id)


def _refused(application_id: int, **forms):
    """The detail page again, status 422, showing the forms as the user filled them in."""
    panel.override(**forms)
    return render_application_detail(application_id), 422


@bp.post("/samples")
def record_sample(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = panel.sample_form(application, request.form)
    if form.validate():
        try:
            sample = laboratory.record_sample(g.user, application, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _no_longer_possible(application_id)
        else:
            flash(_("Sample %(code)s was recorded.", code=sample.code), "success")
            return _detail(application_id)
    return _refused(application_id, sample_form=form)


@bp.route("/samples/<int:sample_id>/results", methods=["GET", "POST"])
def result(application_id: int, sample_id: int):
    application = applications.get_application(g.user, application_id)
    sample = laboratory.get_sample(g.user, application, sample_id)
    form = panel.result_form(sample, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            row = laboratory.record_result(g.user, application, sample, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _no_longer_possible(application_id)
        else:
            flash(_("%(parameter)s: %(sentence)s", parameter=row.parameter,
                    sentence=conclusions.describe_result(row)),
                  "success" if row.verdict != "non_compliant" else "error")
            return redirect(request.path)
    return render_form("laboratory/result_form.html", form, application=application,
                       sample=sample, results=panel.result_views(application, sample),
                       can_record=application.state in laboratory.RESULT_STATES)


@bp.post("/send-to-lab")
def send_to_lab(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = ActionForm(request.form)
    try:
        sent = laboratory.send_to_lab(g.user, application, form.comment.data or "")
    except ValidationFailed as error:
        flash(error.message, "error")
        return _refused(application_id)
    except IllegalTransition:
        return _no_longer_possible(application_id)
    flash(ngettext("%(num)d sample was sent to the laboratory.",
                   "%(num)d samples were sent to the laboratory.", len(sent)), "success")
    return _detail(application_id)


@bp.post("/lab-results-complete")
def record_lab_results(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = ActionForm(request.form)
    try:
        laboratory.record_lab_results(g.user, application, form.comment.data or "")
    except ValidationFailed as error:
        flash(error.message, "error")
        return _refused(application_id)
    except IllegalTransition:
        return _no_longer_possible(application_id)
    flash(_("Laboratory testing is complete; the exporter was notified."), "success")
    return _detail(application_id)


@bp.post("/conclusion/positive")
def conclude_positive(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = panel.ConclusionForm(request.form)
    if form.validate():
        try:
            conclusions.conclude_positive(g.user, application, form.conclusion.data or "")
        except ValidationFailed as error:
            flash(error.message, "error")
        except IllegalTransition:
            return _no_longer_possible(application_id)
        else:
            flash(_("The positive conclusion was recorded."), "success")
            return _detail(application_id)
    return _refused(application_id, conclusion_form=form)


@bp.post("/conclusion/negative")
def conclude_negative(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = panel.NegativeConclusionForm(request.form)
    if form.validate():
        try:
            conclusions.conclude_negative(g.user, application, form.comment.data or "")
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _no_longer_possible(application_id)
        else:
            flash(_("The negative conclusion was recorded."), "success")
            return _detail(application_id)
    return _refused(application_id, negative_form=form)
