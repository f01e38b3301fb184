"""The detail pages actions are done on: one view model each, and the page an action returns to."""

from flask import g, render_template, request, url_for
from flask_babel import get_locale

from certtrack.domain.workflow import State
from certtrack.services import (
    applications,
    certificates,
    dossiers,
    reference,
    registrar_queues,
    registrations,
)
from certtrack.services.permissions import application_rights, registration_actions
from certtrack.web import panels
from certtrack.web.access import safe_next
from certtrack.web.exporter_forms import document_form, product_form
from certtrack.web.forms import ActionForm
from certtrack.web.perform import Page
from certtrack.web.registrar_forms import LIFECYCLE_FORMS, BatchForm, SelectionForm


def staff_application(application, failed: dict | None = None) -> str:
    """An application as inspectors and registrars see it: summary, stage panels, documents."""
    return render_template("staff/application.html", application=application,
                           latest=applications.latest_documents(application),
                           timeline=applications.timeline(application),
                           **panels.context_for(g.user, application, failed))


def exporter_application(application, failed: dict | None = None) -> str:
    """The exporter's application: products, documents, the workflow's buttons and panels."""
    failed = failed or {}
    locale = str(get_locale())
    return render_template(
        "exporter/application.html", application=application,
        product_form=failed.get("product") or product_form(application),
        document_form=failed.get("document") or document_form(application),
        action_form=ActionForm(obj=application),
        actions=[str(a) for a in application_rights(g.user, application).actions],
        editable=application.state in applications.EDITABLE_STATES,
        missing=applications.missing_for_submission(application, locale),
        required=applications.required_document_types(application),
        latest=applications.latest_documents(application),
        timeline=applications.timeline(application), query=request.args.get("q", ""),
        **panels.context_for(g.user, application, failed))


def certificate_panel(registration) -> dict:
    """Template context of the certificates card on the registrar's registration page."""
    current = certificates.current_certificate(registration.id)
    refusal = certificates.issue_refusal(registration)
    return {"certificate_panel": {
        "rows": certificates.certificate_rows(registration),
        "can_issue": refusal is None,
        "can_replace": current is not None and registration.status == "active",
        "current": current,
    }}


def registration(registration, failed: dict | None = None) -> str:
    """The registrar's registration page: its lifecycle actions, renewal, history, certificates."""
    actions = [str(a) for a in registration_actions(g.user, registration)]
    forms = {action: LIFECYCLE_FORMS[action](version=registration.version) for action in actions}
    forms.update(failed or {})
    return render_template(
        "registrar/registration.html", registration=registration, actions=actions, forms=forms,
        failed=next(iter(failed), None) if failed else None,
        renewal=registrations.renewal(registration, applications.local_today()),
        renewal_application=registrations.open_renewal_application(registration),
        history=registrations.history(registration), **certificate_panel(registration))


def filters(*names: str) -> dict:
    """The list filters of the query string, None where absent."""
    return {name: request.args.get(name) or None for name in names}


def overview(_target=None, failed: dict | None = None) -> str:
    """The registrar's queue and every application, filtered, with the selection forms."""
    failed = failed or {}
    chosen = filters("state", "region", "category")
    sort = request.args.get("sort", "deadline")
    page = request.args.get("page", 1, type=int)
    pagination = registrar_queues.list_all(g.user, **chosen, sort=sort, page=page)
    return render_template(
        "registrar/overview.html", queue=registrar_queues.registrar_queue(g.user),
        pagination=pagination, filters=chosen, sort=sort, states=[s.value for s in State],
        regions=reference.regions(), categories=reference.categories(),
        recommend_form=failed.get("recommend") or SelectionForm(),
        batch_form=failed.get("batch") or BatchForm())


def batch(batch, _failed: dict | None = None) -> str:
    """A GACC batch: its applications and its dossiers."""
    return render_template("registrar/batch.html", batch=batch,
                           dossiers=dossiers.list_dossiers(batch=batch),
                           dossier_regenerate_url=url_for(
                               "certificates.regenerate_batch_dossier", batch_id=batch.id))


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
