"""The detail pages actions are done on: one view model each, and the page an action returns to."""

from flask import g, render_template, request, url_for
from flask_babel import get_locale

from certtrack.domain.quantities import LotQuantity, declared_totals
from certtrack.domain.workflow import Role, State
from certtrack.services import (
    applications,
    audit,
    certificates,
    documents,
    dossiers,
    officials,
    reference,
    registrar_queues,
    registrations,
)
from certtrack.services.changed_since import last_change
from certtrack.services.consignments import drafts, figures, gate, inspection, issue
from certtrack.services.consignments import status as consignment_status
from certtrack.services.permissions import (
    application_rights,
    can_replace_consignment_certificate,
    consignment_actions,
    registration_actions,
)
from certtrack.web import actions as table
from certtrack.web import consignment_forms as cforms
from certtrack.web import panels
from certtrack.web.access import safe_next
from certtrack.web.bounds import id_value, page_number
from certtrack.web.consignment_actions import CONSIGNMENT, INSPECTION
from certtrack.web.consignment_changes import change_rows
from certtrack.web.exporter_actions import EXPORTER
from certtrack.web.exporter_forms import document_form, product_form
from certtrack.web.forms import ActionForm, BaseForm
from certtrack.web.list_views import application_views
from certtrack.web.perform import Page, WebAction


def _fresh(action: WebAction, target, version) -> BaseForm:
    """The empty form of an action on `target`, with the version the page was loaded at."""
    form = action.build(target)
    form.version.data = version
    return form


def _documents_in_force(application) -> dict:
    """The documents table's context: the ids of the documents in force (the others are
    superseded), the finding whose current evidence each evidence document is, and the type
    of the evidence documents (reviewed by closing their finding, not as documents)."""
    evidence = documents.evidence_findings(application)
    return {"current": {d.id for d in documents.current_documents(application, evidence)},
            "evidence": evidence, "evidence_type": documents.EVIDENCE_TYPE}


def _registration_now(application) -> str | None:
    """Why the registration a registered application made (or renewed) is no longer in force
    (suspended until when, expired, revoked), else None: the state alone read "registered"."""
    if application.state != State.registered:
        return None
    registration = registrations.registration_of(application)
    return gate.registration_refusal(registration) if registration is not None else None


def staff_application(application, failed: dict | None = None) -> str:
    """An application as inspectors and registrars see it: summary, stage panels, documents."""
    return render_template("staff/application.html", application=application,
                           registration_now=_registration_now(application),
                           **_documents_in_force(application),
                           timeline=audit.timeline(application),
                           **panels.context_for(g.user, application, failed))


def _fix_address(application, item) -> str:
    """Where a missing item of the submit checklist is fixed: the required document's row,
    the products section, the questionnaire's field on the edit page, or (a renewal window
    that closed) the registrations page."""
    if item.kind == "document":
        return f"#required-{item.code}"
    if item.kind == "questionnaire":
        return url_for("exporter.edit_application", application_id=application.id,
                       _anchor=item.code)
    if item.kind == "renewal_window":
        return url_for("exporter.registrations")
    return "#products"


def exporter_application(application, failed: dict | None = None) -> str:
    """The exporter's application: products, documents, the workflow's buttons and panels."""
    failed = failed or {}
    locale = str(get_locale())
    return render_template(
        "exporter/application.html", application=application,
        product_form=failed.get("product") or product_form(application),
        document_form=failed.get("document") or document_form(application),
        action_form=ActionForm(obj=application),
        remove_forms={line.id: failed.get(f"remove_product_{line.id}")
                      or EXPORTER["remove_product"].build(application)
                      for line in application.products},
        submit_form=failed.get("submit") or _fresh(EXPORTER["submit"], application,
                                                   application.version),
        withdraw_form=failed.get("withdraw") or _fresh(EXPORTER["withdraw"], application,
                                                       application.version),
        actions=[str(a) for a in application_rights(g.user, application).actions],
        editable=application.state in applications.EDITABLE_STATES,
        can_upload=application.state in documents.UPLOAD_STATES,
        changed_registration=registrations.registration_of(application)
        if application.kind == "change" else None,
        registration_now=_registration_now(application),
        missing=[(item, _fix_address(application, item))
                 for item in applications.missing_for_submission(application, locale)],
        required=applications.required_document_types(application),
        latest=applications.latest_documents(application), **_documents_in_force(application),
        timeline=audit.timeline(application), query=request.args.get("q", ""),
        **panels.context_for(g.user, application, failed))


def certificate_panel(registration, failed: dict) -> dict:
    """Template context of the certificates card on the registrar's registration page: the
    issue form is the one that failed, or a fresh one with its confirmation step."""
    current = certificates.current_certificate(registration.id)
    refusal = certificates.issue_refusal(registration)
    return {"certificate_panel": {
        "rows": certificates.certificate_rows(registration),
        "can_issue": refusal is None,
        "issue_form": failed.get("certificate_issue") or table.CERTIFICATES["issue"].build(
            registration),
        "can_replace": current is not None and registration.status == "active",
        "current": current,
        "signs_as_authority": officials.official_profile(g.user) is None,
    }}


def registration(registration, failed: dict | None = None) -> str:
    """The registrar's registration page: its lifecycle actions, renewal, history, certificates."""
    actions = [str(a) for a in registration_actions(g.user, registration)]
    failed = failed or {}
    forms = {action: failed.get(action) or _fresh(table.REGISTRATION[action], registration,
                                                  registration.version) for action in actions}
    return render_template(
        "registrar/registration.html", registration=registration, actions=actions, forms=forms,
        failed=next(iter(failed), None) if failed else None,
        renewal=registrations.renewal(registration, applications.local_today()),
        renewal_application=registrations.open_renewal_application(registration),
        history=audit.registration_history(registration), **certificate_panel(registration, failed),
        consignment_panel=figures.registration_certificates(registration),
        covered=gate.registration_products(registration))  # as a change GACC accepted has them


def filters(*names: str) -> dict:
    """The list filters of the query string, None where absent."""
    return {name: request.args.get(name) or None for name in names}


def known_filters(known: dict) -> tuple[dict, int]:
    """The list filters of the query string named in `known` (name -> the values it takes),
    None where absent, and the page's status: a value `known` does not list (an old or
    mistyped link) is dropped and the status is 400, the page saying it shows the list
    unfiltered by it, as the public register does. "No applications" answered `region=XX`."""
    chosen = filters(*known)
    unknown = [name for name, value in chosen.items()
               if value is not None and value not in set(known[name])]
    chosen.update(dict.fromkeys(unknown))
    return chosen, 400 if unknown else 200


def overview(_target=None, failed: dict | None = None) -> str:
    """The registrar's queue and every application, filtered, with the selection forms; or,
    for the Recommend form of one application's page, that page again."""
    failed = failed or {}
    if "recommend" in failed and (one := _recommended_from_its_page()) is not None:
        return staff_application(one, failed)
    return overview_page(failed)[0]


def overview_page(failed: dict | None = None) -> tuple[str, int]:
    """The registrar's queue and every application, and the page's status: 400 for a link's
    unknown filter (known_filters)."""
    failed = failed or {}
    states = [s.value for s in State if s != State.draft]  # staff never see a draft
    regions, categories = reference.regions(), reference.categories()
    chosen, status = known_filters({"state": states,
                                    "region": [r.code for r in regions],
                                    "category": [c.code for c in categories]})
    sort = request.args.get("sort", "deadline")
    page = page_number()
    overdue = request.args.get("overdue") == "1"
    queue, pagination = registrar_queues.overview(g.user, **chosen, sort=sort, page=page,
                                                  overdue=overdue)
    pagination.items = application_views(pagination.items, "registrar.application")
    for shown in queue.values():
        shown["applications"] = application_views(shown["applications"],
                                                  "registrar.application")
    return render_template(
        "registrar/overview.html", queue=queue,
        pagination=pagination, filters=chosen, sort=sort, states=states, overdue=overdue,
        regions=regions, categories=categories,
        recommend_form=failed.get("recommend") or table.REGISTRAR["recommend"].build(None),
        batch_form=failed.get("batch") or table.REGISTRAR["submit_batch"].build(None),
        unknown_filter=status == 400), status


def _recommended_from_its_page():
    """The application whose own page sent the Recommend form (its `next` is that page), or
    None for the queue's form."""
    ids = request.form.getlist("application_id")
    if len(ids) != 1 or (application_id := id_value(ids[0])) is None:
        return None
    application = applications.get_application(g.user, application_id)
    own_page = url_for("registrar.application", application_id=application.id)
    return application if request.form.get("next") == own_page else None


def batch(batch, _failed: dict | None = None) -> str:
    """A GACC batch: its applications and its dossiers."""
    return render_template("registrar/batch.html", batch=batch,
                           rows=application_views(registrar_queues.batch_rows(batch),
                                                  "registrar.application"),
                           dossier_regenerate_url=url_for(
                               "certificates.regenerate_batch_dossier", batch_id=batch.id),
                           **_batch_dossiers(batch))


def _batch_dossiers(batch) -> dict:
    stored = dossiers.list_dossiers(batch=batch)
    return {"dossiers": stored,
            "dossier_preparing": not stored and dossiers.being_prepared(batch=batch)}


# A request refused, an issued certificate corrected or cancelled: a reason and a box each.
_REASONED = (("refuse", INSPECTION), ("request_correction", CONSIGNMENT),
             ("reopen", INSPECTION), ("cancel", INSPECTION))


def _consignment_forms(consignment, actions: list[str]) -> dict:
    """The forms of the consignment's page for what the user may do in its state."""
    version = {"version": consignment.version}
    forms = {}
    if consignment.state == "draft" and "submit" in actions:
        forms.update(lot=CONSIGNMENT["add_lot"].build(consignment),  # with its key
                     document=cforms.document_form(consignment, None))
        forms.update({f"remove_lot_{lot.id}": CONSIGNMENT["remove_lot"].build(consignment)
                      for lot in consignment.lots})
        forms.update({f"remove_document_{d.id}": CONSIGNMENT["remove_document"].build(
            consignment) for d in consignment.documents})
    if "submit" in actions:
        forms["submit"] = _fresh(CONSIGNMENT["submit"], consignment, consignment.version)
    if "withdraw" in actions:
        forms["withdraw"] = _fresh(CONSIGNMENT["withdraw"], consignment, consignment.version)
    if "start_inspection" in actions:
        forms["start"] = ActionForm(**version)
    if "issue" in actions:
        forms.update(inspection=cforms.inspection_form(consignment, None),
                     lab=cforms.lab_form(consignment, None),
                     treatment=cforms.treatment_form(consignment, None),
                     declarations=cforms.declarations_form(consignment, None),
                     issue=_fresh(INSPECTION["issue"], consignment, consignment.version))
        # Each entry's deletion has its form (reason and box), named as its action's key.
        forms.update({f"remove_treatment_{t.id}": INSPECTION["remove_treatment"].build(
            consignment) for t in consignment.treatments})
        forms.update({f"remove_lab_result_{r.id}": INSPECTION["remove_lab_result"].build(
            consignment) for r in consignment.lab_results})
    forms.update({verb: _fresh(steps[verb], consignment, consignment.version)
                  for verb, steps in _REASONED if verb in actions})
    if "request_correction" in forms:  # refused under a suspended registration: said first
        forms["request_correction"].barred = gate.gate_refusals(consignment)
    if can_replace_consignment_certificate(g.user, consignment):
        forms["replace"] = INSPECTION["replace"].build(consignment)
        # what would refuse a replacement now (a suspended registration), said before the form
        forms["replace"].barred = gate.gate_refusals(consignment)
    return forms


def consignment(consignment, failed: dict | None = None) -> str:
    """A consignment as its exporter or its inspectors see it, with the forms of its actions."""
    actions = [str(a) for a in consignment_actions(g.user, consignment)]
    forms = _consignment_forms(consignment, actions)
    forms.update(failed or {})
    return render_template(
        "consignments/detail.html", consignment=consignment, actions=actions, forms=forms,
        certificates=consignment_status.certificates_of(consignment),
        certificate_status=consignment_status.certificate_status,
        missing=drafts.missing_for_submission(consignment) if "submit" in actions else [],
        refusals=gate.gate_refusals(consignment) if "submit" in actions else [],
        # all that would refuse the issue (the gate's refusals too), said before the button
        blockers=issue.issue_refusals(consignment, g.user) if "issue" in actions else [],
        withdrawal_reason=drafts.withdrawal_reason(consignment),
        changes=change_rows(consignment) if consignment.correction_reason else [],
        # who closed it and when, beside the reason ("Refused: …" said neither)
        closed_by=last_change("consignment", consignment.id)
        if consignment.state in ("refused", "withdrawn") else None,
        # a refused request's next step: why none can be made now (a suspension, till when)
        not_in_force=gate.registration_refusal(consignment.registration)
        if consignment.state == "refused" else None,
        totals=declared_totals(LotQuantity(
            lot.net_weight, lot.gross_weight, lot.weight_unit, lot.packages_number,
            lot.packages_kind) for lot in consignment.lots),
        removed_results=[] if g.user.role == Role.exporter
        else inspection.removed_lab_results(consignment))


def consignment_form(consignment, failed: dict) -> str:
    """The exporter's form of a consignment request's header (new or a draft's)."""
    return render_template("consignments/form.html", form=failed["form"],
                           consignment=consignment)


EXPORTER_CONSIGNMENT = Page(
    url=lambda c: url_for("consignments.detail", consignment_id=c.id), render=consignment)
INSPECTOR_CONSIGNMENT = Page(
    url=lambda c: url_for("consignment_inspection.detail", consignment_id=c.id),
    render=consignment)
CONSIGNMENT_FORM = Page(
    url=lambda c: url_for("consignments.detail", consignment_id=c.id) if c else
    url_for("consignments.index"), render=consignment_form)
INSPECTOR_APPLICATION = Page(
    url=lambda a: url_for("inspector.application", application_id=a.id), render=staff_application)
REGISTRAR_APPLICATION = Page(
    url=lambda a: url_for("registrar.application", application_id=a.id), render=staff_application)
EXPORTER_APPLICATION = Page(
    url=lambda a: url_for("exporter.application", application_id=a.id),
    render=exporter_application)
REGISTRATION = Page(url=lambda r: url_for("registrar.registration", registration_id=r.id),
                    render=registration)
OVERVIEW = Page(url=lambda _: safe_next(request.form.get("next")) or url_for("registrar.overview"),
                render=overview)
BATCH = Page(url=lambda b: url_for("registrar.batch", batch_id=b.id), render=batch)
