"""The CONSIGNMENT section of the action table (`web/actions.py`): form, service call, message.

A consignment's request by the exporter and its certificate by the inspector (ISPM 12 for
plant products, the WOAH model for meat). A gate refusal at submission or issue names its
reasons on the form of the button (422). Kept beside `actions.py` for the module size only.
"""

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.consignment import ConsignmentAction
from certtrack.services import repeated_entries
from certtrack.services.consignments import (
    correction,
    documents,
    drafts,
    entries,
    gate,
    inspection,
    issue,
)
from certtrack.services.consignments.inputs import (
    ConsignmentInput,
    InspectionInput,
    LabResultInput,
    LotInput,
    TreatmentInput,
    from_mapping,
)
from certtrack.services.local_dates import format_day
from certtrack.services.uploads import AlreadyUploaded
from certtrack.web import consignment_forms as cforms
from certtrack.web import labels
from certtrack.web.forms import ActionForm
from certtrack.web.perform import BUTTON, Refusal, WebAction, created_before
from certtrack.web.repeats import recorded_before


def _form(form_class):
    """The factory of a form that needs nothing of the object it acts on."""
    return lambda _target, formdata: form_class(formdata)


def _detail_url(consignment) -> str:
    return url_for("consignments.detail", consignment_id=consignment.id)


def _input(cls):
    """The input dataclass of a consignment service, from a validated form's data."""
    return lambda form: from_mapping(cls, form.data)


_header, _lot, _inspection, _treatment = map(
    _input, (ConsignmentInput, LotInput, InspectionInput, TreatmentInput))


def _lab_input(data: dict) -> LabResultInput:
    """The laboratory form's data as the service takes it."""
    detected = {"yes": True, "no": False}.get(data["detected"])
    return from_mapping(LabResultInput, {**data, "detected": detected,
                                         "unit": data["unit"] or ""})


def _document(user, consignment, form):
    """The upload's success message: the file's name, or, for the latest document of its kind
    sent again, that nothing was added (as information, not an error: the file is there)."""
    upload = form.file.data
    try:
        row = documents.upload_consignment_document(user, consignment, form.kind.data,
                                                    upload.stream, upload.filename)
    except AlreadyUploaded as repeat:
        return repeat.message, "info"
    return _("“%(name)s” was uploaded.", name=row.original_name), "success"


def _consignment_created(consignment, time: str) -> str:
    return _("Consignment %(ref)s was already created, at %(time)s: the form was sent twice, "
             "and no second draft was made. To request another, choose “New consignment” on "
             "the list of consignments.", ref=consignment.reference, time=time)


def _lot_added(lot, time: str) -> str:
    return _("A lot of %(product)s was already added, at %(time)s: the form was sent twice, "
             "and nothing was added again.", product=lot.product.name_in(str(get_locale())),
             time=time)


def _submitted(deadline) -> str:
    return _("The consignment was submitted. The certificate is due by %(date)s.",
             date=format_day(deadline))


def _issued(certificate) -> str:
    if certificate.replaces_id is not None:  # a corrected consignment's
        return _("Certificate %(new)s replaces %(old)s; the exporter is told.",
                 new=certificate.number, old=certificate.replaces.number)
    return _("Certificate %(number)s is issued; the exporter is told.",
             number=certificate.number)


def _draft(_user, consignment) -> bool:
    """The guard of a draft's edits: a page still showing the draft after it was submitted
    says the step is no longer possible, not that its box is unticked."""
    return consignment.state == "draft"


CONSIGNMENT = {
    "new_consignment": WebAction(
        cforms.consignment_form, lambda user, _none, f: drafts.create_consignment(
            user, _header(f), key=f.creation_key.data),
        _l("Draft saved. Add the lots and documents, then submit."),
        key="form", then=lambda _none, consignment: _detail_url(consignment), keyed=True,
        repeat=created_before("consignment", _consignment_created, _detail_url)),
    "edit_consignment": WebAction(
        cforms.consignment_form, lambda user, c, f: drafts.update_consignment(
            user, c, _header(f)), _l("The consignment was saved."), key="form",
        guard=_draft, then=lambda c, _result: _detail_url(c)),
    "add_lot": WebAction(cforms.lot_form, lambda user, c, f: drafts.add_lot(
        user, c, _lot(f), key=f.creation_key.data), _l("The lot was added."), key="lot",
        path="/lots", anchor="add-lot", keyed=True,
        repeat=created_before("lot", _lot_added, lambda lot: _detail_url(lot.consignment)
                              + "#add-lot")),
    # A lot holds what was typed for it (weights, packages, marks): a box to tick, no reason
    # (the draft is the exporter's own, and the lot can be added again).
    "remove_lot": WebAction(
        _form(ActionForm), lambda user, c, _f, lot_id: drafts.remove_lot(user, c, lot_id),
        _l("The lot was removed."), key="remove_lot_{lot_id}", refusal=Refusal.flash,
        flash_denied=True, path="/lots/<id:lot_id>/delete", anchor="add-lot",
        confirm=labels.CONSEQUENCES["consignment.remove_lot"], guard=_draft),
    # A document is a file the exporter chose: a box to tick as for a lot, no reason.
    "remove_document": WebAction(
        _form(ActionForm),
        lambda user, c, _f, document_id: documents.remove_document(user, c, document_id),
        _l("The document was removed."), key="remove_document_{document_id}",
        refusal=Refusal.flash, flash_denied=True, path="/documents/<id:document_id>/delete",
        anchor="documents", confirm=labels.CONSEQUENCES["consignment.remove_document"],
        guard=_draft),
    "upload_document": WebAction(
        cforms.document_form, _document, lambda said: said, key="document",
        path="/documents", anchor="documents"),
    "submit": WebAction(
        _form(ActionForm), lambda user, c, f: drafts.submit_consignment(user, c, f.version.data),
        _submitted, key="submit", path=BUTTON,
        confirm=labels.CONSEQUENCES["consignment.submit"], ends_something=False,
        step=ConsignmentAction.submit,  # what is missing is said, not the box not shown
        checks=lambda _user, c, _entries: {"": problems} if (
            problems := drafts.missing_for_submission(c) + gate.gate_refusals(c)) else {}),
    "withdraw": WebAction(
        _form(cforms.ReasonForm), lambda user, c, f: drafts.withdraw_consignment(
            user, c, f.reason.data, f.version.data),
        _l("The consignment was withdrawn."), key="withdraw", path=BUTTON, needs_reason=True,
        confirm=labels.CONSEQUENCES["consignment.withdraw"], step=ConsignmentAction.withdraw),
    "request_correction": WebAction(
        _form(cforms.ReasonForm), lambda user, c, f: correction.request_correction(
            user, c, f.reason.data, f.version.data),
        _l("The consignment is your draft again: correct it and submit it. Its certificate "
           "stays valid until the corrected one is issued."), key="request_correction",
        path=BUTTON, needs_reason=True,
        confirm=labels.CONSEQUENCES["consignment.request_correction"],
        step=ConsignmentAction.request_correction),
}

# The inspector's steps, named by the last part of their address (`<consignment>/<verb>`).
INSPECTION = {
    "start_inspection": WebAction(
        _form(ActionForm), lambda user, c, f: inspection.start_inspection(
            user, c, f.version.data), _l("The inspection has started."), refusal=Refusal.flash,
        path=BUTTON, anchor="inspection", step=ConsignmentAction.start_inspection),
    "inspection": WebAction(
        cforms.inspection_form, lambda user, c, f: inspection.record_inspection(
            user, c, _inspection(f)), _l("The inspection was recorded."), key="inspection",
        flash_denied=True, path=BUTTON),
    "lab": WebAction(
        cforms.lab_form, lambda user, c, f: inspection.record_lab_result(
            user, c, _lab_input(f.data)),
        _l("The laboratory result was recorded."), key="lab", flash_denied=True, path=BUTTON,
        anchor="laboratory", checks=lambda _user, c, data: entries.lab_errors(
            c, _lab_input(data))),
    "treatment": WebAction(
        cforms.treatment_form, lambda user, c, f: inspection.add_treatment(
            user, c, _treatment(f)), _l("The treatment was recorded."), key="treatment",
        flash_denied=True, path=BUTTON, anchor="treatments",
        repeat=recorded_before("treatment", repeated_entries.treatment, _treatment,
                               lambda c: url_for("consignment_inspection.detail",
                                                 consignment_id=c.id) + "#treatments"),
        checks=lambda _user, c, data: entries.treatment_errors(
            c, from_mapping(TreatmentInput, data))),
    # An entry made in error, deleted while nothing is issued: a deletion, so a reason (kept
    # in the audit row with what was deleted) and a box to tick. One form per row.
    "remove_treatment": WebAction(
        _form(cforms.ReasonForm), lambda user, c, f, treatment_id: inspection.remove_treatment(
            user, c, treatment_id, f.reason.data), _l("The treatment was removed."),
        key="remove_treatment_{treatment_id}", refusal=Refusal.flash, flash_denied=True,
        path="/treatments/<id:treatment_id>/delete", anchor="treatments", needs_reason=True,
        confirm=labels.CONSEQUENCES["consignment.remove_treatment"]),
    "remove_lab_result": WebAction(
        _form(cforms.ReasonForm), lambda user, c, f, result_id: inspection.remove_lab_result(
            user, c, result_id, f.reason.data), _l("The laboratory result was removed."),
        key="remove_lab_result_{result_id}", refusal=Refusal.flash, flash_denied=True,
        path="/lab/<id:result_id>/delete", anchor="laboratory", needs_reason=True,
        confirm=labels.CONSEQUENCES["consignment.remove_lab_result"]),
    "declarations": WebAction(
        cforms.declarations_form, lambda user, c, f: inspection.set_declarations(
            user, c, f.codes.data or []), _l("The declarations were saved."),
        key="declarations", flash_denied=True, path=BUTTON),
    "refuse": WebAction(
        _form(cforms.ReasonForm), lambda user, c, f: inspection.refuse_consignment(
            user, c, f.reason.data, f.version.data),
        _l("The certificate was refused; the exporter reads the reason."), key="refuse",
        path=BUTTON, needs_reason=True, confirm=labels.CONSEQUENCES["consignment.refuse"],
        step=ConsignmentAction.refuse),
    # ISPM 12 section 6.1: a new number naming the original, which becomes "replaced".
    "replace": WebAction(
        cforms.replace_form, lambda user, c, f: issue.replace_current_certificate(
            user, c, f.reason.data, f.certificate.data),
        lambda new: _("Certificate %(new)s replaces %(old)s; the exporter is told.",
                      new=new.number, old=new.replaces.number),
        key="replace", flash_denied=True, path="/replace", needs_reason=True,
        confirm=labels.CONSEQUENCES["certificate.replace"]),
    "issue": WebAction(
        _form(ActionForm), lambda user, c, f: issue.issue_consignment_certificate(
            user, c, f.version.data), _issued, key="issue", path=BUTTON,
        confirm=labels.CONSEQUENCES["consignment.issue"], ends_something=False,
        step=ConsignmentAction.issue,
        checks=lambda user, c, _entries: {"": refusals} if (
            refusals := issue.issue_refusals(c, user)) else {}),
    "reopen": WebAction(
        _form(cforms.ReasonForm), lambda user, c, f: correction.reopen(
            user, c, f.reason.data, f.version.data),
        _l("The consignment is under inspection again: correct it, then issue the corrected "
           "certificate."), key="reopen", path=BUTTON, needs_reason=True,
        confirm=labels.CONSEQUENCES["consignment.reopen"], anchor="inspection",
        step=ConsignmentAction.reopen),
    "cancel": WebAction(
        cforms.cancel_form, lambda user, c, f: correction.cancel(
            user, c, f.reason.data, f.ground.data, f.version.data),
        _l("The certificate is cancelled; the exporter is told."), key="cancel", path=BUTTON,
        needs_reason=True, confirm=labels.CONSEQUENCES["consignment.cancel"],
        step=ConsignmentAction.cancel),
}
