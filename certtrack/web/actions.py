"""Every action of the web side as data: its form, its service call, its success message and
its address.

The web counterpart of `domain/workflow.py`. A row with a `path` gets its POST address from
`perform.register_actions()` in its blueprint, so adding an action on an application or a
registration is one row here plus its service function. Rows without a path are shown by a
view of their own (a page whose body is the form: `perform.show()`).
"""

from flask import request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.workflow import Action, RegistrationAction
from certtrack.services import (
    certificates,
    conclusions,
    corrective_actions,
    dossiers,
    gacc,
    inspections,
    laboratory,
    quarantine,
    registration_entries,
    repeated_entries,
    review,
    sent_twice,
    status_changes,
)
from certtrack.services.errors import Conflict
from certtrack.services.local_dates import format_day, format_moment
from certtrack.services.permissions import can_act, registration_actions
from certtrack.web import labels
from certtrack.web.certificate_forms import ReplaceForm, RevokeCertificateForm
from certtrack.web.forms import ActionForm
from certtrack.web.panels import laboratory as lab_panel
from certtrack.web.perform import BUTTON, Refusal, WebAction, changed_by
from certtrack.web.registrar_forms import (
    LIFECYCLE_FORMS,
    BatchForm,
    GaccRefusalForm,
    GaccReturnForm,
    ResubmitForm,
    SelectionForm,
    registration_form,
    suspension_end_told,
)
from certtrack.web.repeats import recorded_before
from certtrack.web.review_forms import (
    AssignForm,
    DocumentReviewForm,
    FindingForm,
    FindingVerificationForm,
    MeasurementForm,
    RejectForm,
    ReturnForm,
    ScheduleForm,
    corrective_actions_form,
    record_inspection_form,
)


def _form(form_class):
    """The factory of a form that needs nothing of the object it acts on."""
    return lambda _target, formdata: form_class(formdata)


def _button(call, success, **options) -> WebAction:
    """An inspector's button on the application: no fields, a refusal flashes and redirects."""
    return WebAction(_form(ActionForm), lambda user, application, _f: call(user, application),
                     success, flash_denied=True, path=BUTTON, **options)


def _inspector_page(application) -> str:
    return url_for("inspector.application", application_id=application.id)


def _inspector(form, call, success, key: str, path: str | None = None,
               anchor: str | None = None, **options) -> WebAction:
    """An inspector's form on the application; a refusal of the rules flashes and redirects.
    The page returns to the section `anchor`, by default the action's own (`action-<key>`)."""
    return WebAction(form, call, success, key=key, flash_denied=True, path=path,
                     anchor=anchor or f"action-{key}", **options)


REVIEW = {
    "claim": _button(review.claim_application, _l("The application is now assigned to you."),
                     key="claim", anchor="review"),
    "start_review": _button(review.start_review, _l("The completeness check has started."),
                            key="start_review", anchor="action-start_review"),
    "verify_corrective_actions": _button(
        corrective_actions.verify_corrective_actions, _l("The corrective actions are verified."),
        key="verify_corrective_actions", anchor="action-verify_corrective_actions"),
    "accept_remaining": _button(
        review.accept_remaining_documents, lambda accepted: ngettext(
            "%(num)d document was accepted.", "%(num)d documents were accepted.", len(accepted)),
        refusal=Refusal.flash, anchor="completeness"),
    "review_document": _inspector(
        _form(DocumentReviewForm),
        lambda user, a, f, document_id: review.review_document(
            user, a, document_id, f.decision.data, f.comment.data),
        _l("The document decision was recorded."), "document_{document_id}",
        "/documents/<id:document_id>/review", anchor="document-{document_id}"),
    "return_for_corrections": _inspector(
        _form(ReturnForm),
        lambda user, a, f: review.return_for_corrections(
            user, a, f.deficiencies.data, f.response_deadline.data),
        _l("The application was returned to the exporter."), "return_for_corrections",
        "/return", confirm=labels.CONSEQUENCES["return_for_corrections"], ends_something=False,
        step=Action.return_for_corrections,
        checks=lambda _user, _a, data: review.deficiency_errors(data["deficiencies"],
                                                               data["response_deadline"])),
    "reject": _inspector(
        _form(RejectForm), lambda user, a, f: review.reject_application(user, a, f.reason.data),
        _l("The application was rejected."), "reject", "/reject", needs_reason=True,
        confirm=labels.CONSEQUENCES["reject"], step=Action.reject),
    "schedule_inspection": _inspector(
        _form(ScheduleForm),
        lambda user, a, f: inspections.schedule_inspection(
            user, a, f.mode.data, f.scheduled_for.data, f.inspector_ids.data,
            outside_working_hours=f.outside_working_hours.data,
            outside_hours_reason=f.outside_hours_reason.data or ""),
        _l("The inspection is scheduled and the exporter notified."), "schedule_inspection",
        "/schedule", checks=lambda _user, a, data: inspections.schedule_errors(
            a, data["mode"], data["scheduled_for"], data["inspector_ids"],
            bool(data["outside_working_hours"]), data["outside_hours_reason"])),
    "add_finding": _inspector(
        _form(FindingForm), lambda user, a, f: inspections.add_finding(
            user, a, inspections.FindingInput.from_mapping(f.data)),
        _l("The finding was recorded."), "finding", "/findings", anchor="add-finding",
        repeat=recorded_before("finding", repeated_entries.finding,
                               lambda f: inspections.FindingInput.from_mapping(f.data),
                               lambda a: _inspector_page(a) + "#add-finding")),
    "record_measurement": _inspector(
        _form(MeasurementForm),
        lambda user, a, f: quarantine.record_measurement(
            user, a, quarantine.MeasurementInput.from_mapping(f.data)),
        _l("The measurement was recorded."), "measurement", "/measurements",
        anchor="add-measurement",
        repeat=recorded_before("measurement", repeated_entries.measurement,
                               lambda f: quarantine.MeasurementInput.from_mapping(f.data),
                               lambda a: _inspector_page(a) + "#add-measurement")),
    "record_inspection": _inspector(
        lambda a, formdata: record_inspection_form(inspections.checklist_for(a), formdata),
        lambda user, a, f: inspections.record_inspection(
            user, a, f.performed_on.data, f.answers(), f.summary.data, f.summary_en.data),
        _l("The inspection was recorded."), "record_inspection", "/inspection",
        confirm=labels.CONSEQUENCES["record_inspection"], ends_something=False,
        step=Action.record_inspection),
    "require_corrective_actions": _inspector(
        lambda a, formdata: corrective_actions_form(corrective_actions.open_findings(a),
                                                    formdata),
        lambda user, a, f: corrective_actions.require_corrective_actions(user, a, f.actions()),
        _l("Corrective actions were sent to the exporter."), "require_corrective_actions",
        "/corrective-actions", confirm=labels.CONSEQUENCES["require_corrective_actions"],
        ends_something=False, step=Action.require_corrective_actions),
    "verify_finding": _inspector(
        _form(FindingVerificationForm),
        lambda user, a, f, finding_id: corrective_actions.verify_finding(
            user, a, finding_id, f.decision.data == "close", f.comment.data),
        _l("The finding decision was recorded."), "finding_{finding_id}",
        "/findings/<id:finding_id>/verify", anchor="finding-{finding_id}"),
}

ASSIGNMENT = {
    "assign": _inspector(
        _form(AssignForm),
        lambda user, a, f: review.assign_inspector(user, a, f.inspector_id.data),
        _l("The inspector was assigned and notified."), "assign", "/assign", anchor="review"),
}


def result_message(row) -> tuple[str, str]:
    parameter = row.parameter_in(str(get_locale()))
    sentence = _("%(parameter)s: %(sentence)s", parameter=parameter,
                 sentence=conclusions.describe_result(row))
    return sentence, "success" if row.verdict != "non_compliant" else "error"


LABORATORY = {
    "record_sample": WebAction(
        lab_panel.sample_form, lambda user, a, f: laboratory.record_sample(
            user, a, laboratory.SampleInput.from_mapping(f.data)),
        lambda sample: _("Sample %(code)s was recorded.", code=sample.code), key="sample_form",
        path="/samples", anchor="panel-laboratory", repeat=lab_panel.sample_sent_before),
    # The target is (application, sample); the result page shows itself again.
    "record_result": WebAction(
        lambda target, formdata: lab_panel.result_form(target.sample, formdata),
        lambda user, target, f: laboratory.record_result(
            user, *target, laboratory.LabResultInput.from_mapping(f.data)),
        result_message, key="form", then=lambda _target, _row: request.path,
        checks=lambda _user, target, entries: laboratory.result_errors(
            target.sample, laboratory.LabResultInput.from_mapping(entries))),
    "send_to_lab": WebAction(
        _form(ActionForm),
        lambda user, a, f: laboratory.send_to_lab(user, a, f.comment.data or ""),
        lambda sent: ngettext("%(num)d sample was sent to the laboratory.",
                              "%(num)d samples were sent to the laboratory.", len(sent)),
        key="send_form", refusal=Refusal.flash, path="/send-to-lab", anchor="panel-laboratory",
        confirm=labels.CONSEQUENCES["send_to_lab"], ends_something=False, step=Action.send_to_lab,
        checks=lambda _user, a, _entries: laboratory.send_errors(a)),
    "record_lab_results": WebAction(
        _form(ActionForm),
        lambda user, a, f: laboratory.record_lab_results(user, a, f.comment.data or ""),
        _l("Laboratory testing is complete; the exporter was notified."), key="complete_form",
        refusal=Refusal.flash, path="/lab-results-complete", anchor="panel-conclusion",
        confirm=labels.CONSEQUENCES["record_lab_results"], ends_something=False,
        step=Action.record_lab_results),
    "conclude_positive": WebAction(
        _form(lab_panel.ConclusionForm),
        lambda user, a, f: conclusions.conclude_positive(user, a, f.conclusion.data or ""),
        _l("The positive conclusion was recorded."), key="conclusion_form",
        refusal=Refusal.flash, path="/conclusion/positive", anchor="panel-conclusion",
        confirm=labels.CONSEQUENCES["conclude_positive"], ends_something=False,
        step=Action.conclude_positive,
        checks=lambda _user, a, _entries: {} if conclusions.check_conclusion(
            a).allows_positive else {"": [_("A positive conclusion is not possible yet.")]}),
    "conclude_negative": WebAction(
        _form(lab_panel.NegativeConclusionForm),
        lambda user, a, f: conclusions.conclude_negative(user, a, f.comment.data or ""),
        _l("The negative conclusion was recorded."), key="negative_form",
        path="/conclusion/negative", anchor="panel-conclusion",
        confirm=labels.CONSEQUENCES["conclude_negative"], step=Action.conclude_negative),
}


def _decision(action: Action, form_class, call, entries, success, checks=None,
              **options) -> WebAction:
    """A GACC decision: its own page, shown only while the application awaits it; `entries`
    is the service's input class, built from the form's data; `checks(application, input)`
    the service's checks of the entries, said with the fields' errors."""
    return WebAction(lambda a, formdata: form_class(formdata, obj=a),
                     lambda user, a, f: call(user, a, entries.from_mapping(f.data)), success,
                     key="form", guard=lambda user, a: can_act(user, action, a),
                     checks=checks and (lambda _user, a, data: checks(
                         a, entries.from_mapping(data))), **options)


def _registration_message(registration) -> str:
    return _("Registration %(number)s recorded, valid from %(start)s to %(end)s; the exporter "
             "is told.", number=registration.china_number,
             start=format_day(registration.valid_from), end=format_day(registration.valid_to))


def _batch_input(data: dict) -> gacc.BatchInput:
    """The batch form's data as the service takes it."""
    return gacc.BatchInput(reference=data["reference"], submitted_on=data["submitted_on"],
                           application_ids=data["application_id"] or [])


def _batch(user, _target, form):
    return gacc.submit_batch(user, _batch_input(form.data))


def _by_someone_else(user, earlier) -> bool:
    return earlier.actor is not None and earlier.actor.id != user.id


def _batch_sent_before(user, _target, form) -> tuple[str, str] | None:
    """The batch form sent again once its batch was recorded: say so, and lead to the batch."""
    earlier = sent_twice.batch(_batch_input(form.data))
    if earlier is None:
        return None
    names = {"ref": earlier.record.reference, "time": format_moment(earlier.at)}
    if _by_someone_else(user, earlier):
        text = _("%(name)s already sent batch %(ref)s to GACC with these applications, at "
                 "%(time)s: nothing was recorded again.", name=earlier.actor.full_name, **names)
    else:
        text = _("Batch %(ref)s was already sent to GACC, at %(time)s: the form was sent "
                 "twice, and nothing was recorded again.", **names)
    return text, url_for("registrar.batch", batch_id=earlier.record.id)


def _registration_recorded_before(user, application, form) -> tuple[str, str] | None:
    """The registration form sent again once it was recorded: say so, and lead to the
    application, as the first sending did."""
    earlier = sent_twice.registration(application, gacc.RegistrationInput.from_mapping(
        form.data))
    if earlier is None:
        return None
    names = {"number": earlier.record.china_number, "time": format_moment(earlier.at)}
    if _by_someone_else(user, earlier):
        text = _("%(name)s already recorded registration %(number)s, at %(time)s: nothing "
                 "was recorded again.", name=earlier.actor.full_name, **names)
    else:
        text = _("Registration %(number)s was already recorded, at %(time)s: the form was "
                 "sent twice, and nothing was recorded again.", **names)
    return text, url_for("registrar.application", application_id=application.id)


REGISTRAR = {
    "recommend": WebAction(
        _form(SelectionForm),
        lambda user, _t, f: gacc.recommend(user, f.application_id.data, f.comment.data or ""),
        lambda chosen: ngettext("%(num)d application recommended to GACC.",
                                "%(num)d applications recommended to GACC.", len(chosen)),
        key="recommend", anchor="to-recommend", confirm=labels.CONSEQUENCES["recommend"],
        ends_something=False),
    "submit_batch": WebAction(
        _form(BatchForm), _batch, lambda batch: _("Batch %(ref)s sent to GACC.",
                                                  ref=batch.reference),
        key="batch", then=lambda _t, batch: url_for("registrar.batch", batch_id=batch.id),
        confirm=labels.CONSEQUENCES["submit_batch"], ends_something=False,
        repeat=_batch_sent_before,
        checks=lambda user, _t, data: gacc.batch_errors(user, _batch_input(data))),
    "record_gacc_return": _decision(
        Action.record_gacc_return, GaccReturnForm, gacc.record_gacc_return, gacc.GaccReturnInput,
        _l("GACC's request is recorded; the exporter and the inspector are told."),
        checks=lambda _a, data: gacc.gacc_return_errors(data),
        confirm=labels.CONSEQUENCES["record_gacc_return"], ends_something=False),
    "record_gacc_refusal": _decision(
        Action.record_gacc_refusal, GaccRefusalForm, gacc.record_gacc_refusal,
        gacc.GaccRefusalInput, _l("GACC's refusal is recorded."),
        confirm=labels.CONSEQUENCES["record_gacc_refusal"]),
    "record_registration": _decision(
        Action.record_registration, registration_form, gacc.record_registration,
        gacc.RegistrationInput,
        _registration_message, confirm=labels.CONSEQUENCES["record_registration"],
        ends_something=False, repeat=_registration_recorded_before,
        checks=lambda a, data: registration_entries.checked(a, data)[0]),
    "resubmit_to_gacc": WebAction(
        _form(ResubmitForm),
        lambda user, a, f: gacc.resubmit_to_gacc(user, a, f.comment.data or "", f.version.data),
        _l("The application is back with GACC."), key="resubmit_form", refusal=Refusal.flash,
        confirm=labels.CONSEQUENCES["resubmit_to_gacc"], ends_something=False,
        step=Action.resubmit_to_gacc),
}


def _lifecycle(verb: RegistrationAction) -> WebAction:
    def change(user, registration, form):
        try:
            status_changes.change_status(user, registration, str(verb),
                                         status_changes.StatusChangeInput.from_mapping(form.data))
        except Conflict as error:  # its status now, who changed it last and when
            raise Conflict(changed_by(registration) or error.message) from error
        return registration

    return WebAction(LIFECYCLE_FORMS[verb], change, suspension_end_told
                     if verb == RegistrationAction.amend_suspension else lambda registration: _(
        "The registration is now: %(status)s.",
        status=str(labels.label(labels.REGISTRATION_STATUSES, registration.status))),
        key=str(verb), path=BUTTON, confirm=labels.CONSEQUENCES.get(str(verb)), step=verb,
        guard=(lambda user, registration: verb in registration_actions(user, registration))
        if verb == RegistrationAction.expire else None,  # never within its validity
        needs_reason=str(verb) in labels.REGISTRATION_CONSEQUENCES,
        ends_something=verb != RegistrationAction.resume,  # back in force: a step forward
        checks=lambda _user, registration, data: status_changes.entry_errors(
            registration, verb, status_changes.StatusChangeInput.from_mapping(data)))


REGISTRATION = {str(verb): _lifecycle(verb) for verb in RegistrationAction}


def _replacement(user, certificate, form):
    return certificates.issue_certificate(user, certificate.registration, replaces=certificate,
                                          reason=form.reason.data)


CERTIFICATES = {
    "issue": WebAction(
        _form(ActionForm), lambda user, registration, _f: certificates.issue_certificate(
            user, registration),
        lambda certificate: _("Certificate %(number)s is issued; the exporter is told.",
                              number=certificate.number), key="certificate_issue",
        anchor="certificates", refusal=Refusal.back,
        guard=lambda _user, registration: certificates.issue_refusal(registration) is None,
        confirm=labels.CONSEQUENCES["certificate.issue"], ends_something=False),
    "replace": WebAction(
        _form(ReplaceForm), _replacement, lambda new: _(
            "Certificate %(new)s replaces %(old)s.", new=new.number, old=new.replaces.number),
        key="form", refusal=Refusal.form_or_back, needs_reason=True,
        confirm=labels.CONSEQUENCES["certificate.replace"]),
    "revoke": WebAction(
        _form(RevokeCertificateForm),
        lambda user, certificate, f: certificates.revoke_certificate(user, certificate,
                                                                     f.reason.data),
        lambda certificate: _("Certificate %(number)s is revoked; the exporter is told.",
                              number=certificate.number),
        key="form", refusal=Refusal.form_or_back, needs_reason=True,
        confirm=labels.CONSEQUENCES["certificate.revoke"]),
    # Before the recommendation there is nothing to put in a dossier: flashed, not a 403 page.
    "regenerate_application_dossier": WebAction(
        _form(ActionForm), lambda user, a, _f: dossiers.regenerate(user, application=a),
        lambda dossier: _("Version %(version)d of the dossier is stored.",
                          version=dossier.version), flash_denied=True),
    "regenerate_batch_dossier": WebAction(
        _form(ActionForm), lambda user, batch, _f: dossiers.regenerate(user, batch=batch),
        lambda dossier: _("Version %(version)d of the dossier is stored.",
                          version=dossier.version)),
}
