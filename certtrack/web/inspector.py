"""The inspector's pages: the work queue, and the review and inspection of an application."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from certtrack.domain.workflow import IllegalTransition
from certtrack.services import applications, corrective_actions, inspections, review
from certtrack.services.errors import PermissionDenied, ValidationFailed
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.forms import ActionForm, BaseForm
from certtrack.web.review_forms import (
    DocumentReviewForm,
    FindingForm,
    FindingVerificationForm,
    QueueFilterForm,
    RejectForm,
    ReturnForm,
    ScheduleForm,
    corrective_actions_form,
    record_inspection_form,
)
from certtrack.web.staff import render_application_detail

bp = Blueprint("inspector", __name__, url_prefix="/inspector")
bp.before_request(roles_required("inspector"))


def _queue_form() -> QueueFilterForm:
    form = QueueFilterForm(MultiDict(request.args))
    regions, categories = review.queue_choices(g.user)
    form.state.choices = [("", _("All states"))] + [
        (code, text) for code, text in labels.STATES.items() if code in review.QUEUE_STATES]
    form.region.choices = [("", _("All regions"))] + [(r.code, r.name_in(str(get_locale())))
                                                      for r in regions]
    form.category.choices = [("", _("All categories"))] + [
        (c.code, c.name_in(str(get_locale()))) for c in categories]
    return form


@bp.get("/")
def queue():
    """Applications of the inspector's committee and regions, or assigned to them."""
    form = _queue_form()
    filters = review.QueueFilters(
        state=form.state.data or None, region=form.region.data or None,
        category=form.category.data or None, overdue=form.overdue.data, mine=form.mine.data,
        sort=form.sort.data or "deadline", locale=str(get_locale()))
    pagination = review.list_queue(g.user, filters, page=request.args.get("page", 1, type=int))
    return render_template("inspector/queue.html", form=form, pagination=pagination)


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return render_application_detail(application_id)


def perform(application, name: str, form: BaseForm, call, success: str,
            detail: str = "inspector.application"):
    """Validate `form`, run `call(form)`, flash and redirect to the detail page.

    Field errors re-render the detail page with the form as typed (422); an action the state
    no longer allows (stale page, double click) is flashed and redirects.
    """
    target = url_for(detail, application_id=application.id)
    if form.validate():
        try:
            call(form)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            flash(_("This action is no longer possible; the page shows the current state."),
                  "error")
            return redirect(target)
        except PermissionDenied as error:
            flash(error.message, "error")
            return redirect(target)
        else:
            flash(success, "success")
            return redirect(target)
    g.review_forms = {name: form}
    return render_application_detail(application.id), 422


def _load(application_id: int):
    return applications.get_application(g.user, application_id)


@bp.post("/applications/<int:application_id>/"
         "<any(claim, start_review, verify_corrective_actions):verb>")
def act(application_id: int, verb: str):
    """The actions that are a button: claim, start the review, verify corrective actions."""
    application = _load(application_id)
    calls = {
        "claim": (review.claim_application, _("The application is now assigned to you.")),
        "start_review": (review.start_review, _("The completeness check has started.")),
        "verify_corrective_actions": (corrective_actions.verify_corrective_actions,
                                      _("The corrective actions are verified.")),
    }
    call, success = calls[verb]
    return perform(application, verb, ActionForm(request.form),
                   lambda form: call(g.user, application), success)


@bp.post("/applications/<int:application_id>/documents/<int:document_id>/review")
def review_document(application_id: int, document_id: int):
    application = _load(application_id)
    form = DocumentReviewForm(request.form)
    return perform(application, f"document_{document_id}", form,
                   lambda f: review.review_document(g.user, application, document_id,
                                                    f.decision.data, f.comment.data),
                   _("The document decision was recorded."))


@bp.post("/applications/<int:application_id>/return")
def return_for_corrections(application_id: int):
    application = _load(application_id)
    return perform(application, "return_for_corrections", ReturnForm(request.form),
                   lambda f: review.return_for_corrections(
                       g.user, application, f.deficiencies.data, f.response_deadline.data),
                   _("The application was returned to the exporter."))


@bp.post("/applications/<int:application_id>/reject")
def reject(application_id: int):
    application = _load(application_id)
    return perform(application, "reject", RejectForm(request.form),
                   lambda f: review.reject_application(g.user, application, f.reason.data),
                   _("The application was rejected."))


@bp.post("/applications/<int:application_id>/schedule")
def schedule_inspection(application_id: int):
    application = _load(application_id)
    return perform(application, "schedule_inspection", ScheduleForm(request.form),
                   lambda f: inspections.schedule_inspection(
                       g.user, application, f.mode.data, f.scheduled_for.data,
                       f.inspector_ids.data),
                   _("The inspection is scheduled and the exporter notified."))


@bp.post("/applications/<int:application_id>/findings")
def add_finding(application_id: int):
    application = _load(application_id)
    return perform(application, "finding", FindingForm(request.form),
                   lambda f: inspections.add_finding(g.user, application, f.data),
                   _("The finding was recorded."))


@bp.post("/applications/<int:application_id>/inspection")
def record_inspection(application_id: int):
    application = _load(application_id)
    form = record_inspection_form(inspections.checklist_for(application), request.form)
    return perform(application, "record_inspection", form,
                   lambda f: inspections.record_inspection(
                       g.user, application, f.performed_on.data, f.answers(), f.summary.data),
                   _("The inspection was recorded."))


@bp.post("/applications/<int:application_id>/corrective-actions")
def require_corrective_actions(application_id: int):
    application = _load(application_id)
    form = corrective_actions_form(corrective_actions.open_findings(application), request.form)
    return perform(application, "require_corrective_actions", form,
                   lambda f: corrective_actions.require_corrective_actions(
                       g.user, application, f.actions()),
                   _("Corrective actions were sent to the exporter."))


@bp.post("/applications/<int:application_id>/findings/<int:finding_id>/verify")
def verify_finding(application_id: int, finding_id: int):
    application = _load(application_id)
    return perform(application, f"finding_{finding_id}", FindingVerificationForm(request.form),
                   lambda f: corrective_actions.verify_finding(
                       g.user, application, finding_id, f.decision.data == "close",
                       f.comment.data),
                   _("The finding decision was recorded."))
