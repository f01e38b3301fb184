"""The exporter's pages: enterprise profile, establishments, applications and documents."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import CombinedMultiDict

from certtrack.domain.workflow import IllegalTransition, allowed_actions
from certtrack.services import (
    applications,
    certificates,
    corrective_actions,
    documents,
    enterprises,
    reference,
)
from certtrack.services.errors import ValidationFailed
from certtrack.services.registrations import exporter_overview, get_registration, start_renewal
from certtrack.web import labels, panels
from certtrack.web.access import roles_required
from certtrack.web.forms import (
    ActionForm,
    ApplicationForm,
    DocumentForm,
    EnterpriseForm,
    EstablishmentForm,
    ProductLineForm,
    render_form,
)
from certtrack.web.review_forms import EvidenceForm

bp = Blueprint("exporter", __name__, url_prefix="/exporter")
bp.before_request(roles_required("exporter"))


def _locale() -> str:
    return str(get_locale())


def _region_choices():
    return [("", _("Choose…"))] + [(r.code, f"{r.name_in(_locale())} ({r.code})")
                                   for r in reference.regions()]


def _enterprise_or_redirect():
    enterprise = enterprises.own_enterprise(g.user)
    if enterprise is None:
        flash(_("Register your enterprise first."), "info")
    return enterprise


@bp.get("/")
def home():
    enterprise = enterprises.own_enterprise(g.user)
    if enterprise is None:
        return render_template("exporter/welcome.html")
    state = request.args.get("state") or None
    sort = request.args.get("sort", "updated")
    page = request.args.get("page", 1, type=int)
    pagination = applications.list_applications(g.user, state=state, sort=sort, page=page)
    return render_template("exporter/home.html", enterprise=enterprise, pagination=pagination,
                           counts=applications.count_by_state(g.user), state=state, sort=sort)


def _enterprise_form(obj=None) -> EnterpriseForm:
    form = EnterpriseForm(request.form if request.method == "POST" else None, obj=obj)
    form.region_code.choices = _region_choices()
    form.legal_form.choices = labels.choices(labels.LEGAL_FORMS, _("Choose…"))
    return form


@bp.route("/enterprise/new", methods=["GET", "POST"])
def register_enterprise():
    if enterprises.own_enterprise(g.user) is not None:
        return redirect(url_for(".enterprise"))
    form = _enterprise_form()
    if request.method == "POST" and form.validate():
        try:
            enterprises.register_enterprise(g.user, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("Your enterprise is registered. Now add an establishment."), "success")
            return redirect(url_for(".new_establishment"))
    return render_form("exporter/enterprise_form.html", form, enterprise=None)


@bp.get("/enterprise")
def enterprise():
    enterprise = _enterprise_or_redirect()
    if enterprise is None:
        return redirect(url_for(".register_enterprise"))
    return render_template("exporter/enterprise.html", enterprise=enterprise)


@bp.route("/enterprise/edit", methods=["GET", "POST"])
def edit_enterprise():
    enterprise = _enterprise_or_redirect()
    if enterprise is None:
        return redirect(url_for(".register_enterprise"))
    form = _enterprise_form(obj=enterprise)
    del form.bin
    if request.method == "POST" and form.validate():
        try:
            enterprises.update_enterprise(g.user, enterprise, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The enterprise profile was saved."), "success")
            return redirect(url_for(".enterprise"))
    return render_form("exporter/enterprise_form.html", form, enterprise=enterprise)


def _establishment_form(obj=None) -> EstablishmentForm:
    form = EstablishmentForm(request.form if request.method == "POST" else None, obj=obj)
    form.region_code.choices = _region_choices()
    form.type.choices = labels.choices(labels.ESTABLISHMENT_TYPES, _("Choose…"))
    return form


@bp.route("/establishments/new", methods=["GET", "POST"])
def new_establishment():
    if _enterprise_or_redirect() is None:
        return redirect(url_for(".register_enterprise"))
    form = _establishment_form()
    if request.method == "POST" and form.validate():
        try:
            enterprises.add_establishment(g.user, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The establishment was added."), "success")
            return redirect(url_for(".enterprise"))
    return render_form("exporter/establishment_form.html", form, establishment=None)


@bp.route("/establishments/<int:establishment_id>", methods=["GET", "POST"])
def edit_establishment(establishment_id: int):
    establishment = enterprises.get_establishment(g.user, establishment_id)
    form = _establishment_form(obj=establishment)
    if request.method == "POST" and form.validate():
        try:
            enterprises.update_establishment(g.user, establishment, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The establishment was saved."), "success")
            return redirect(url_for(".enterprise"))
    return render_form("exporter/establishment_form.html", form, establishment=establishment)


def _application_form(obj=None) -> ApplicationForm:
    form = ApplicationForm(request.form if request.method == "POST" else None, obj=obj)
    enterprise = enterprises.own_enterprise(g.user)
    form.establishment_id.choices = [(0, _("Choose…"))] + [
        (e.id, e.name) for e in enterprise.establishments]
    form.gacc_category_code.choices = [("", _("Choose…"))] + [
        (c.code, c.name_in(_locale())) for c in reference.categories()]
    form.kind.choices = labels.choices(labels.KINDS)
    form.haccp_status.choices = labels.choices(labels.HACCP_STATUSES, "—")
    form.water_source.choices = labels.choices(labels.WATER_SOURCES, "—")
    return form


@bp.route("/applications/new", methods=["GET", "POST"])
def new_application():
    enterprise = _enterprise_or_redirect()
    if enterprise is None:
        return redirect(url_for(".register_enterprise"))
    if not enterprise.establishments:
        flash(_("Add an establishment before applying."), "info")
        return redirect(url_for(".new_establishment"))
    form = _application_form()
    if request.method == "POST" and form.validate():
        try:
            application = applications.create_application(g.user, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("Draft saved. Add products and documents, then submit."), "success")
            return redirect(url_for(".application", application_id=application.id))
    return render_form("exporter/application_form.html", form, application=None)


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
def edit_application(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = _application_form(obj=application)
    if request.method == "POST" and form.validate():
        try:
            applications.update_application(g.user, application, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The application was saved."), "success")
            return redirect(url_for(".application", application_id=application.id))
    return render_form("exporter/application_form.html", form, application=application)


def _product_form(application, formdata=None) -> ProductLineForm:
    form = ProductLineForm(formdata)
    found = reference.search_products(application.gacc_category_code, request.args.get("q", ""))
    form.product_code.choices = [(p.code, f"{p.hs_code} — {p.name_in(_locale())}") for p in found]
    form.volume_unit.choices = labels.choices(labels.VOLUME_UNITS)
    return form


def _document_form(application, formdata=None) -> DocumentForm:
    form = DocumentForm(formdata)
    required = {t.code for t in applications.required_document_types(application)}
    form.document_type.choices = [
        (t.code, t.name_in(_locale()) + ("" if t.code in required else " " + _("(optional)")))
        for t in sorted(reference.document_types(), key=lambda t: t.code not in required)]
    return form


def _render_application(application, product_form=None, document_form=None, status=200):
    return render_template(
        "exporter/application.html", application=application,
        product_form=product_form or _product_form(application),
        document_form=document_form or _document_form(application),
        action_form=ActionForm(obj=application),
        actions=[str(a) for a in allowed_actions(application.state, g.user.role)],
        editable=application.state in applications.EDITABLE_STATES,
        missing=applications.missing_for_submission(application, _locale()),
        required=applications.required_document_types(application),
        latest=applications.latest_documents(application),
        timeline=applications.timeline(application), query=request.args.get("q", ""),
        **panels.context_for(g.user, application),
    ), status


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return _render_application(applications.get_application(g.user, application_id))


@bp.post("/applications/<int:application_id>/products")
def add_product(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = _product_form(application, request.form)
    if form.validate():
        try:
            applications.add_product(g.user, application, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The product was added."), "success")
            return redirect(url_for(".application", application_id=application.id))
    return _render_application(application, product_form=form, status=422)


@bp.post("/applications/<int:application_id>/products/<int:line_id>/delete")
def remove_product(application_id: int, line_id: int):
    application = applications.get_application(g.user, application_id)
    applications.remove_product(g.user, application, line_id)
    flash(_("The product was removed."), "success")
    return redirect(url_for(".application", application_id=application.id))


@bp.post("/applications/<int:application_id>/documents")
def upload_document(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = _document_form(application, CombinedMultiDict((request.files, request.form)))
    if form.validate():
        upload = form.file.data
        try:
            documents.upload_document(g.user, application, form.document_type.data,
                                      upload.stream, upload.filename)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("“%(name)s” was uploaded.", name=documents.display_name(upload.filename)),
                  "success")
            return redirect(url_for(".application", application_id=application.id))
    return _render_application(application, document_form=form, status=422)


@bp.post("/applications/<int:application_id>/<any(submit, withdraw):verb>")
def transition(application_id: int, verb: str):
    application = applications.get_application(g.user, application_id)
    form = ActionForm(request.form)
    try:
        if verb == "submit":
            deadline = applications.submit_application(g.user, application, form.version.data)
            flash(_("The application was submitted. The inspection checks its completeness by "
                    "%(date)s.", date=deadline.strftime("%d.%m.%Y")), "success")
        else:
            applications.withdraw_application(g.user, application, form.comment.data or "",
                                              form.version.data)
            flash(_("The application was withdrawn."), "success")
    except ValidationFailed as error:
        flash(error.message, "error")
        return _render_application(application, status=422)
    except IllegalTransition:
        flash(_("This action is no longer possible; the page shows the current state."), "error")
    return redirect(url_for(".application", application_id=application.id))


@bp.post("/applications/<int:application_id>/findings/<int:finding_id>/evidence")
def submit_evidence(application_id: int, finding_id: int):
    """Upload the evidence of a corrective action; the inspector then verifies it."""
    application = applications.get_application(g.user, application_id)
    form = EvidenceForm(CombinedMultiDict((request.files, request.form)))
    if form.validate():
        upload = form.file.data
        try:
            corrective_actions.submit_corrective_evidence(
                g.user, application, finding_id, upload.stream, upload.filename, form.note.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            flash(_("This action is no longer possible; the page shows the current state."),
                  "error")
            return redirect(url_for(".application", application_id=application.id))
        else:
            flash(_("The evidence was uploaded; the inspector will verify it."), "success")
            return redirect(url_for(".application", application_id=application.id))
    g.review_forms = {f"evidence_{finding_id}": form}
    return _render_application(application, status=422)


@bp.get("/registrations")
def registrations():
    """The enterprise's China registrations, their renewal windows and renewals under way."""
    pagination, rows = exporter_overview(g.user, request.args.get("page", 1, type=int))
    return render_template("exporter/registrations.html", pagination=pagination, rows=rows,
                           certificates=certificates.current_certificates(
                               row.registration.id for row in rows))


@bp.post("/registrations/<int:registration_id>/renew")
def renew_registration(registration_id: int):
    """Start a renewal application from a registration whose renewal window is open."""
    registration = get_registration(g.user, registration_id)
    try:
        draft = start_renewal(g.user, registration)
    except ValidationFailed as error:
        flash(error.message, "error")
        return redirect(url_for(".registrations"))
    flash(_("Renewal application %(ref)s started with the products of the registration: add "
            "the documents, then submit.", ref=draft.reference), "success")
    return redirect(url_for(".application", application_id=draft.id))
