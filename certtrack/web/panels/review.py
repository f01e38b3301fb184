"""Detail-page panel for the review and inspection stages, for staff and for the exporter."""

from flask import g, request
from flask_babel import get_locale
from flask_babel import gettext as _

from certtrack.domain.workflow import Action, State
from certtrack.services import (
    corrections,
    corrective_actions,
    inspections,
    quarantine,
    reference,
    review,
)
from certtrack.services.numerals import separated, with_remark
from certtrack.web import actions as table
from certtrack.web.review_forms import (
    AssignForm,
    FindingForm,
    MeasurementForm,
    ScheduleForm,
)

# The workflow actions this panel offers; the other stages' panels offer the rest.
REVIEW_ACTIONS = (Action.start_review, Action.return_for_corrections, Action.reject,
                  Action.schedule_inspection, Action.record_inspection,
                  Action.require_corrective_actions, Action.verify_corrective_actions)


def _inspector_label(user, region_names: dict[str, str]) -> str:
    """An inspector as a choice: the name and the regions served, named in the reader's
    language."""
    regions = separated(sorted(region_names.get(code, code) for code in user.region_codes))
    return with_remark(user.full_name, regions) if regions else user.full_name


def _region_names() -> dict[str, str]:
    locale = str(get_locale())
    return {region.code: region.name_in(locale) for region in reference.regions()}


def _action_forms(application, actions: list[str]) -> dict:
    """Unbound forms for the actions the page offers, with their choices and defaults."""
    forms: dict = {}
    # The action table adds the confirmation step of the irreversible actions.
    if "return_for_corrections" in actions:
        forms["return_for_corrections"] = table.REVIEW["return_for_corrections"].build(
            application)
        forms["return_for_corrections"].response_deadline.data = \
            review.default_response_deadline()
    if "reject" in actions:
        forms["reject"] = table.REVIEW["reject"].build(application)
    if "schedule_inspection" in actions:
        forms["schedule_inspection"] = ScheduleForm()
    if application.state in inspections.FINDING_STATES:
        forms["finding"] = FindingForm()
        if quarantine.measured_of(application):
            forms["measurement"] = MeasurementForm()
    for name in ("record_inspection", "require_corrective_actions"):
        if name in actions:
            forms[name] = table.REVIEW[name].build(application)
    return forms


def _with_choices(application, forms: dict) -> dict:
    """Select fields need their choices whether the form is fresh or came back with errors."""
    if "schedule_inspection" in forms:
        names = _region_names()
        candidates = inspections.team_candidates(application)
        team = forms["schedule_inspection"].inspector_ids
        team.choices = [(u.id, _inspector_label(u, names)) for u in candidates]
        if request.method == "GET" and not team.data and g.user in candidates:
            team.data = [g.user.id]  # the inspector who schedules it leads it, as a rule
    if "measurement" in forms:
        locale = str(get_locale())
        forms["measurement"].retake = bool(quarantine.failing_measurements(application))
        forms["measurement"].measured_product.choices = [
            (line.product_code, line.product.name_in(locale)) for line in application.products]
    if "assign" in forms:
        forms["assign"].inspector_id.choices = _assign_choices(application)
    return forms


def _assign_choices(application) -> list[tuple[int, str]]:
    """The inspectors the application may be assigned to, and the one it is assigned to now
    even when no longer among them (disabled, or moved to another committee or role): the
    choice shows who is assigned, never "—" beside an assignee."""
    names = _region_names()
    eligible = review.eligible_inspectors(application)
    choices = [(0, "—")] + [(u.id, _inspector_label(u, names)) for u in eligible]
    assignee = application.assignee
    if assignee is not None and assignee not in eligible:
        choices.insert(1, (assignee.id, _("%(name)s (no longer an active inspector of this "
                                          "committee)", name=assignee.full_name)))
    return choices


def _staff_context(rights, application) -> dict:
    actions = [str(a) for a in rights.actions if a in REVIEW_ACTIONS]
    if "require_corrective_actions" in actions and not corrective_actions.open_findings(
            application):  # nothing to require: no card with a button that only errs
        actions.remove("require_corrective_actions")
    forms = _action_forms(application, actions)
    if rights.can_assign:
        forms["assign"] = AssignForm(inspector_id=application.assignee_id or 0)
    corrective = application.state == State.corrective_actions
    return {
        "actions": actions,
        "can_assign": rights.can_assign,
        "can_claim": rights.can_claim,
        "can_act": rights.is_inspector,
        "can_decide": rights.is_inspector and application.state in review.DOCUMENT_REVIEW_STATES,
        "documents": review.reviewable_documents(application),
        "blockers": corrective_actions.verification_blockers(application) if corrective else [],
        "forms": forms,
    }


def _exporter_context(rights, application) -> dict:
    returned = application.state == State.returned
    rejected = [d for d in review.reviewable_documents(application)
                if d.review_status == "rejected"] if returned else []
    evidence = rights.allows(Action.submit_corrective_evidence)
    return {
        "open_request": corrections.open_correction_request(application) if returned else None,
        "rejected_documents": rejected,
        "to_correct": corrective_actions.findings_to_correct(application) if evidence else [],
        "can_submit_evidence": evidence,
        "forms": {},
    }


def context(rights, application, failed: dict) -> dict:
    """Template context for the review panel (staff) and the exporter's panel: `review`.

    `failed` holds the forms that came back with errors; they replace the empty ones.
    """
    panel = _exporter_context(rights, application) if rights.is_exporter \
        else _staff_context(rights, application)
    panel["forms"].update(failed)
    _with_choices(application, panel["forms"])
    inspection_list = inspections.list_inspections(application)
    panel.update(
        assignee=application.assignee,
        correction_requests=corrections.correction_requests(application),
        inspections=inspection_list,
        measurements=quarantine.measurements_of(application),
        checklist=inspections.checklist_for(application),
        checklist_labels=inspections.CHECKLIST_LABELS,
        locale=str(get_locale()),
    )
    return {"review": panel}
