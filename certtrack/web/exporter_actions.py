"""The EXPORTER section of the action table (`web/actions.py`): enterprise, establishments,
applications, their products and documents, corrective evidence and renewals. Kept beside
`actions.py` for the module size only.
"""

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certtrack.domain.workflow import Action
from certtrack.services import (
    applications,
    corrective_actions,
    creation_keys,
    documents,
    enterprises,
    gacc_answers,
    market_access,
    registrations,
    sent_twice,
)
from certtrack.services.local_dates import format_day, format_moment
from certtrack.web import exporter_forms, labels
from certtrack.web.forms import ActionForm
from certtrack.web.perform import BUTTON, Refusal, WebAction, created_before
from certtrack.web.registrar_forms import GaccAnswerForm
from certtrack.web.review_forms import EvidenceForm


def _form(form_class):
    """The factory of a form that needs nothing of the object it acts on."""
    return lambda _target, formdata: form_class(formdata)


def _upload(form):
    """The uploaded file of a validated form, as (stream, name)."""
    return form.file.data.stream, form.file.data.filename


def _create(form, create, entries, success, keyed: bool = False, **options) -> WebAction:
    """A page whose body is the form of a new object: `create(user, entries)`, the service's
    input class `entries` built from the form's data; `keyed`, with the form's one-time key
    too (`create(user, entries, key=…)`, WebAction.keyed)."""
    def call(user, _none, f):
        if keyed:
            return create(user, entries.from_mapping(f.data), key=f.creation_key.data)
        return create(user, entries.from_mapping(f.data))
    return WebAction(form, call, success, key="form", keyed=keyed, **options)


def _edit(form, update, entries, success) -> WebAction:
    """A page whose body is the form of an existing object: `update(user, target, entries)`."""
    return WebAction(form, lambda user, target, f: update(user, target,
                                                         entries.from_mapping(f.data)),
                     success, key="form")


def _application_url(_target, application) -> str:
    return url_for("exporter.application", application_id=application.id)


def _application_created(application, time: str) -> str:
    return _("Application %(ref)s was already created, at %(time)s: the form was sent twice, "
             "and no second draft was made. To start another, choose “New application” on "
             "the list of applications.", ref=application.reference, time=time)


def _establishment_added(establishment, time: str) -> str:
    return _("Establishment “%(name)s” was already added, at %(time)s: the form was sent "
             "twice, and nothing was added again.",
             name=establishment.name_in(str(get_locale())), time=time)


def _renewal_started(user, registration, form) -> tuple[str, str] | None:
    """The renewal button sent twice: the renewal its first sending started, if any."""
    draft = creation_keys.created_with("application", user, form.creation_key.data)
    if draft is None or draft.renewal_of_id != registration.id:
        return None
    return _("Renewal application %(ref)s was already started, at %(time)s: the form was "
             "sent twice, and no second draft was made.", ref=draft.reference,
             time=format_moment(draft.created_at)), _application_url(None, draft)


def _evidence(user, application, form, finding_id):
    """The evidence's success message, or, for the same file and note sent again, that nothing
    was added (as information: the evidence is there)."""
    stream, name = _upload(form)
    try:
        corrective_actions.submit_corrective_evidence(
            user, application, finding_id, stream, name, form.note.data)
    except documents.AlreadyUploaded as repeat:
        return repeat.message, "info"
    return _("The evidence was uploaded; the inspector will verify it."), "success"


def _document(user, application, form):
    """The upload's success message: the file's name, or, for the latest version sent again,
    that nothing was added (as information, not an error: the file is there)."""
    stream, name = _upload(form)
    try:
        document = documents.upload_document(user, application, form.document_type.data,
                                             stream, name)
    except documents.AlreadyUploaded as repeat:
        return repeat.message, "info"
    uploaded = _("“%(name)s” was uploaded.", name=documents.display_name(name))
    if twin := documents.same_file_elsewhere(application, document):
        return uploaded + " " + _(
            "It is the very file uploaded as “%(type)s”: check that you chose the right file.",
            type=twin.document_type.name_in(str(get_locale()))), "warning"
    return uploaded, "success"


def _submitted(deadline) -> str:
    return _("The application was submitted. The inspection checks its completeness by "
             "%(date)s.", date=format_day(deadline))


def _saved(message):
    """The success message of a saved profile or establishment; a notice when its new name or
    address waits for the registrar (the form showed it saved, the page the old one)."""
    def success(held):
        if held is None:
            return str(message)
        return str(message) + " " + _(
            "The new name or address waits for the registrar's approval: until then the "
            "register and the certificates show the registered one."), "warning"
    return success


def _product_added(line):
    """The success message of an added product, a warning when China allows it on trial only."""
    warning = market_access.warning(line.product)
    if warning:
        return _("The product was added.") + " " + warning, "warning"
    return _("The product was added.")


def _product_sent_before(user, application, form) -> tuple[str, str] | None:
    """The product form sent twice (a double click, Back and the form sent again): the line its
    first sending added, said as information and led to, rather than "already in the
    application"."""
    earlier = sent_twice.product_line(user, application,
                                      applications.ProductInput.from_mapping(form.data))
    if earlier is None:
        return None
    return (_("%(product)s was already added, at %(time)s: the form was sent twice, and "
              "nothing was added again.",
              product=earlier.record.product.name_in(str(get_locale())),
              time=format_moment(earlier.at)),
            _application_url(None, application) + "#products")


EXPORTER = {
    "register_enterprise": _create(
        exporter_forms.enterprise_form, enterprises.register_enterprise,
        enterprises.EnterpriseInput,
        _l("Your enterprise is registered. Now add an establishment."),
        then=lambda _e, _r: url_for("exporter.new_establishment")),
    "edit_enterprise": _edit(exporter_forms.enterprise_form, enterprises.update_enterprise,
                             enterprises.EnterpriseInput,
                             _saved(_l("The enterprise profile was saved."))),
    "new_establishment": _create(
        exporter_forms.establishment_form, enterprises.add_establishment,
        enterprises.EstablishmentInput, _l("The establishment was added."), keyed=True,
        repeat=created_before("establishment", _establishment_added,
                              lambda _e: url_for("exporter.enterprise"))),
    "edit_establishment": _edit(exporter_forms.establishment_form,
                                enterprises.update_establishment,
                                enterprises.EstablishmentInput,
                                _saved(_l("The establishment was saved."))),
    "new_application": _create(
        exporter_forms.application_form, applications.create_application,
        applications.ApplicationInput,
        _l("Draft saved. Add products and documents, then submit."), then=_application_url,
        keyed=True, repeat=created_before("application", _application_created,
                                          lambda a: _application_url(None, a))),
    "edit_application": _edit(exporter_forms.application_form, applications.update_application,
                              applications.ApplicationInput,
                              _l("The application was saved.")),
    "add_product": WebAction(
        exporter_forms.product_form, lambda user, a, f: applications.add_product(
            user, a, applications.ProductInput.from_mapping(f.data)),
        _product_added, key="product", path="/products", anchor="products",
        repeat=_product_sent_before),
    # A product line holds its annual volume as typed: a box to tick, no reason (the draft is
    # the exporter's own, and the product can be added again), as for a consignment's lot.
    "remove_product": WebAction(
        _form(ActionForm),
        lambda user, a, _f, line_id: applications.remove_product(user, a, line_id),
        _l("The product was removed."), key="remove_product_{line_id}", refusal=Refusal.flash,
        flash_denied=True, path="/products/<id:line_id>/delete", anchor="products",
        confirm=labels.CONSEQUENCES["remove_product"],
        guard=lambda _user, a: a.state in applications.EDITABLE_STATES),
    "upload_document": WebAction(
        exporter_forms.document_form, _document, lambda said: said, key="document",
        path="/documents", anchor="documents"),
    "submit": WebAction(
        _form(ActionForm),
        lambda user, a, f: applications.submit_application(user, a, f.version.data,
                                                           f.comment.data or ""),
        _submitted, key="submit", refusal=Refusal.flash, path=BUTTON, anchor="submit",
        step=(Action.submit, Action.resubmit),
        confirm=labels.CONSEQUENCES["submit"], ends_something=False,
        checks=lambda _user, a, _entries: {"": [_("The application is not complete yet.")]}
        if applications.missing_for_submission(a) else {}),
    "withdraw": WebAction(
        _form(ActionForm), lambda user, a, f: applications.withdraw_application(
            user, a, f.reason.data, f.version.data),
        _l("The application was withdrawn."), key="withdraw", refusal=Refusal.flash,
        path=BUTTON, needs_reason=True, confirm=labels.CONSEQUENCES["withdraw"],
        step=Action.withdraw),
    "submit_evidence": WebAction(
        _form(EvidenceForm), _evidence, lambda said: said,
        key="evidence_{finding_id}", path="/findings/<id:finding_id>/evidence",
        anchor="finding-{finding_id}"),
    "answer_gacc": WebAction(
        _form(GaccAnswerForm), lambda user, a, f: gacc_answers.answer_gacc_requests(
            user, a, f.response.data),
        _l("Your answer is saved; the registrar sends it to GACC with the application."),
        key="gacc_answer", path="/gacc-answer", anchor="gacc-requests"),
    "renew": WebAction(
        _form(ActionForm), lambda user, registration, f: registrations.start_renewal(
            user, registration, key=f.creation_key.data),
        lambda draft: _("Renewal application %(ref)s started with the products of the "
                        "registration: add the documents, then submit.", ref=draft.reference),
        refusal=Refusal.back, then=_application_url, keyed=True, repeat=_renewal_started),
}
