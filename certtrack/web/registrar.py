"""The registrar's pages: the queue, GACC batches and decisions, and registrations after listing."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from certtrack.domain.workflow import (
    Action,
    IllegalTransition,
    State,
    allowed_actions,
    allowed_registration_actions,
)
from certtrack.services import (
    applications,
    dossiers,
    gacc,
    reference,
    registrar_queues,
    registrations,
)
from certtrack.services.errors import ValidationFailed
from certtrack.web import certificates, labels
from certtrack.web.access import roles_required, safe_next
from certtrack.web.forms import render_form
from certtrack.web.registrar_forms import (
    LIFECYCLE_FORMS,
    BatchForm,
    GaccRefusalForm,
    GaccReturnForm,
    RegistrationForm,
    ResubmitForm,
    SelectionForm,
)
from certtrack.web.staff import render_application_detail

bp = Blueprint("registrar", __name__, url_prefix="/registrar")
bp.before_request(roles_required("registrar"))


def _filters(*names: str) -> dict:
    return {name: request.args.get(name) or None for name in names}


def _render_overview(recommend_form=None, batch_form=None, status=200):
    filters = _filters("state", "region", "category")
    sort = request.args.get("sort", "deadline")
    page = request.args.get("page", 1, type=int)
    pagination = registrar_queues.list_all(g.user, **filters, sort=sort, page=page)
    return render_template(
        "registrar/overview.html", queue=registrar_queues.registrar_queue(g.user),
        pagination=pagination, filters=filters, sort=sort, states=[s.value for s in State],
        regions=reference.regions(), categories=reference.categories(),
        recommend_form=recommend_form or SelectionForm(),
        batch_form=batch_form or BatchForm()), status


def _stale(url: str):
    flash(_("This action is no longer possible; the page shows the current state."), "error")
    return redirect(url)


def _detail_url(application_id: int) -> str:
    return url_for(".application", application_id=application_id)


@bp.get("/")
def overview():
    """The registrar's queue and every application, filtered."""
    return _render_overview()


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return render_application_detail(application_id)


@bp.post("/recommend")
def recommend():
    form = SelectionForm(request.form)
    back = safe_next(request.form.get("next")) or url_for(".overview")
    if form.validate():
        try:
            chosen = gacc.recommend(g.user, form.application_id.data, form.comment.data or "")
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _stale(back)
        else:
            flash(ngettext("%(num)d application recommended to GACC.",
                           "%(num)d applications recommended to GACC.", len(chosen)), "success")
            return redirect(back)
    return _render_overview(recommend_form=form, status=422)


@bp.post("/batches")
def submit_batch():
    form = BatchForm(request.form)
    if form.validate():
        data = {"reference": form.reference.data, "submitted_on": form.submitted_on.data,
                "application_ids": form.application_id.data}
        try:
            batch = gacc.submit_batch(g.user, data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _stale(url_for(".overview"))
        else:
            flash(_("Batch %(ref)s sent to GACC.", ref=batch.reference), "success")
            return redirect(url_for(".batch", batch_id=batch.id))
    return _render_overview(batch_form=form, status=422)


@bp.get("/batches/<int:batch_id>")
def batch(batch_id: int):
    batch = gacc.get_batch(g.user, batch_id)
    return render_template("registrar/batch.html", batch=batch,
                           dossiers=dossiers.list_dossiers(batch=batch),
                           dossier_regenerate_url=url_for(
                               "certificates.regenerate_batch_dossier", batch_id=batch_id))


def _decision(application_id: int, action: Action, form_class, call, done):
    """The shape of every GACC decision page: GET shows the form, POST records it.

    `done` is the success message, or a function of what `call` returned that gives it.
    """
    application = applications.get_application(g.user, application_id)
    if action not in allowed_actions(State(application.state), g.user.role):
        return _stale(_detail_url(application_id))
    form = form_class(request.form if request.method == "POST" else None, obj=application)
    if request.method == "POST" and form.validate():
        try:
            result = call(g.user, application, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _stale(_detail_url(application_id))
        else:
            flash(done(result) if callable(done) else done, "success")
            return redirect(_detail_url(application_id))
    return render_form(f"registrar/{action}.html", form, application=application,
                       renewed=registrations.registration_of(application))


@bp.route("/applications/<int:application_id>/gacc-return", methods=["GET", "POST"])
def gacc_return(application_id: int):
    return _decision(application_id, Action.record_gacc_return, GaccReturnForm,
                     gacc.record_gacc_return,
                     _("GACC's request is recorded; the exporter and the inspector are told."))


@bp.route("/applications/<int:application_id>/gacc-refusal", methods=["GET", "POST"])
def gacc_refusal(application_id: int):
    return _decision(application_id, Action.record_gacc_refusal, GaccRefusalForm,
                     gacc.record_gacc_refusal, _("GACC's refusal is recorded."))


@bp.route("/applications/<int:application_id>/registration", methods=["GET", "POST"])
def record_registration(application_id: int):
    return _decision(application_id, Action.record_registration, RegistrationForm,
                     gacc.record_registration, lambda registration: _(
                         "Registration %(number)s recorded, valid from %(start)s to %(end)s; "
                         "the exporter is told.", number=registration.china_number,
                         start=format_date(registration.valid_from),
                         end=format_date(registration.valid_to)))


@bp.post("/applications/<int:application_id>/resubmit-to-gacc")
def resubmit_to_gacc(application_id: int):
    application = applications.get_application(g.user, application_id)
    form = ResubmitForm(request.form)
    try:
        gacc.resubmit_to_gacc(g.user, application, form.comment.data or "", form.version.data)
    except IllegalTransition:
        return _stale(_detail_url(application_id))
    flash(_("The application is back with GACC."), "success")
    return redirect(_detail_url(application_id))


@bp.get("/registrations")
def registrations_list():
    filters = _filters("status", "category", "region")
    search = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    pagination = registrations.list_registrations(g.user, **filters, search=search, page=page)
    return render_template("registrar/registrations.html", pagination=pagination,
                           filters=filters, search=search, regions=reference.regions(),
                           categories=reference.categories())


def _render_registration(registration, failed=None, status=200):
    actions = [str(a) for a in allowed_registration_actions(registration.status, g.user.role)]
    forms = {action: LIFECYCLE_FORMS[action](version=registration.version) for action in actions}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "registrar/registration.html", registration=registration, actions=actions, forms=forms,
        failed=failed[0] if failed else None,
        renewal=registrations.renewal(registration, applications.local_today()),
        renewal_application=registrations.open_renewal_application(registration),
        history=registrations.history(registration),
        **certificates.registration_panel(registration)), status


@bp.get("/registrations/<int:registration_id>")
def registration(registration_id: int):
    return _render_registration(registrations.get_registration(g.user, registration_id))


@bp.post("/registrations/<int:registration_id>/"
         "<any(suspend, resume, revoke, cancel, invalidate, expire):verb>")
def change_registration(registration_id: int, verb: str):
    registration = registrations.get_registration(g.user, registration_id)
    form = LIFECYCLE_FORMS[verb](request.form)
    back = url_for(".registration", registration_id=registration_id)
    if form.validate():
        try:
            registrations.change_status(g.user, registration, verb, form.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        except IllegalTransition:
            return _stale(back)
        else:
            flash(_("The registration is now: %(status)s.", status=_status(registration)),
                  "success")
            return redirect(back)
    return _render_registration(registration, failed=(verb, form), status=422)


def _status(registration) -> str:
    return str(labels.label(labels.REGISTRATION_STATUSES, registration.status))
