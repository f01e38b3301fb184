"""The registrar's pages: the queue, GACC batches and decisions, and registrations after listing."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, TextAreaField

from certtrack.domain.workflow import Role
from certtrack.services import (
    applications,
    gacc,
    name_changes,
    reference,
    registrations,
)
from certtrack.services.errors import ValidationFailed
from certtrack.services.local_dates import format_moment
from certtrack.web import labels, pages
from certtrack.web.access import roles_required
from certtrack.web.actions import REGISTRAR, REGISTRATION
from certtrack.web.bounds import page_number
from certtrack.web.forms import BaseForm
from certtrack.web.perform import Page, perform, register_actions, show
from certtrack.web.validators import reason_validators, ticked

bp = Blueprint("registrar", __name__, url_prefix="/registrar")
bp.before_request(roles_required(Role.registrar))


@bp.get("/")
def overview():
    """The registrar's queue and every application, filtered."""
    return pages.overview_page()


@bp.get("/applications/<id:application_id>")
def application(application_id: int):
    return pages.staff_application(applications.get_application(g.user, application_id))


@bp.post("/recommend")
def recommend():
    return perform(REGISTRAR["recommend"], None, pages.OVERVIEW)


@bp.post("/batches")
def submit_batch():
    return perform(REGISTRAR["submit_batch"], None, pages.OVERVIEW)


@bp.get("/batches/<id:batch_id>")
def batch(batch_id: int):
    return pages.batch(gacc.get_batch(g.user, batch_id))


def _decision(name: str, application_id: int):
    """A GACC decision: its page shows the form; recording it leads to the application."""
    def render(application, failed: dict) -> str:
        return render_template(f"registrar/{name}.html", form=failed["form"],
                               application=application,
                               renewed=registrations.registration_of(application))

    application = applications.get_application(g.user, application_id)
    return show(REGISTRAR[name], application, Page(pages.REGISTRAR_APPLICATION.url, render))


@bp.route("/applications/<id:application_id>/gacc-return", methods=["GET", "POST"])
def gacc_return(application_id: int):
    return _decision("record_gacc_return", application_id)


@bp.route("/applications/<id:application_id>/gacc-refusal", methods=["GET", "POST"])
def gacc_refusal(application_id: int):
    return _decision("record_gacc_refusal", application_id)


@bp.route("/applications/<id:application_id>/registration", methods=["GET", "POST"])
def record_registration(application_id: int):
    return _decision("record_registration", application_id)


@bp.post("/applications/<id:application_id>/resubmit-to-gacc")
def resubmit_to_gacc(application_id: int):
    application = applications.get_application(g.user, application_id)
    return perform(REGISTRAR["resubmit_to_gacc"], application, pages.REGISTRAR_APPLICATION)


@bp.get("/registrations")
def registrations_list():
    regions, categories = reference.regions(), reference.categories()
    filters, status = pages.known_filters({
        "status": list(labels.REGISTRATION_STATUSES),
        "category": [c.code for c in categories], "region": [r.code for r in regions]})
    search = request.args.get("q", "")
    page = page_number()
    sort = request.args.get("sort", "expiry")
    sort = sort if sort in registrations.REGISTRATION_SORTS else "expiry"
    pagination = registrations.list_registrations(g.user, **filters, search=search, page=page,
                                                  sort=sort)
    return render_template("registrar/registrations.html", pagination=pagination, sort=sort,
                           filters=filters, search=search, regions=regions,
                           categories=categories, unknown_filter=status == 400), status


@bp.get("/registrations/<id:registration_id>")
def registration(registration_id: int):
    return pages.registration(registrations.get_registration(g.user, registration_id))


register_actions(bp, REGISTRATION, rule="/registrations/<id:registration_id>",
                 key="registration_id",
                 load=lambda registration_id: registrations.get_registration(g.user,
                                                                              registration_id),
                 page=pages.REGISTRATION, shared="change_registration")


class ApproveNameForm(BaseForm):
    """Approve a new registered name or address (the version the registrar saw), with a box to
    tick: it shows at once in the public register and on the certificates issued next."""

    version = HiddenField()
    confirm = BooleanField(_l("I understand that the new name or address shows at once in the "
                              "public register and on the certificates issued next, and the "
                              "exporter is told."),
                           validators=ticked())


class RefuseNameForm(BaseForm):
    """Refuse a new registered name or address: why, and a box to tick (the request is closed
    for good)."""

    version = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=reason_validators(2000))
    confirm = BooleanField(_l("I understand that the request is closed: the registered name "
                              "and address stay, and the exporter is told why."),
                           validators=ticked())


DECISION_FORMS = {"approve": ApproveNameForm, "refuse": RefuseNameForm}


def _name_changes_page(failed: tuple[int, str, BaseForm] | None = None):
    """The waiting requests, each with its own pair of forms (BaseForm gives each field an id
    of its own on the page); a decision that failed shows again with what was typed and why."""
    requests = name_changes.pending_requests()
    forms = {r.id: {decision: (failed[2] if failed and failed[:2] == (r.id, decision)
                               else form())
                    for decision, form in DECISION_FORMS.items()} for r in requests}
    return render_template("registrar/name_changes.html", requests=requests, forms=forms,
                           failed_id=failed[0] if failed else None)


@bp.get("/name-changes")
def name_changes_list():
    """New names of registered enterprises and establishments waiting for a decision."""
    return _name_changes_page()


def _decided_before(change, decider, form: BaseForm):
    """A decision sent from a page older than the one taken: who took which, when, and what
    was typed (the list led back to no longer holds the request, nor its form)."""
    names = {"name": decider.full_name if decider else "—",
             "time": format_moment(change.decided_at)}
    if decider is not None and decider.id == g.user.id:
        text = (_("You already approved this change, at %(time)s (in another window or tab): "
                  "nothing was recorded again.", **names) if change.status == "approved" else
                _("You already refused this change, at %(time)s (in another window or tab): "
                  "nothing was recorded again.", **names))
    else:
        text = (_("%(name)s already approved this change, at %(time)s: nothing was recorded "
                  "again.", **names) if change.status == "approved" else
                _("%(name)s already refused this change, at %(time)s: nothing was recorded "
                  "again.", **names))
    flash(text, "error")
    if typed := (getattr(form, "reason", None) and (form.reason.data or "").strip()):
        flash(_("What you typed: %(text)s", text=typed), "info")
    return redirect(url_for(".name_changes_list"))


@bp.post("/name-changes/<id:request_id>/<any(approve, refuse):decision>")
def decide_name_change(request_id: int, decision: str):
    form = DECISION_FORMS[decision](request.form)
    if (earlier := name_changes.decided(g.user, request_id)) is not None:
        return _decided_before(*earlier, form)
    name_changes.waiting(g.user, request_id)  # 404 before the form: no such request waits
    if form.validate():
        try:
            name_changes.decide(g.user, request_id, decision == "approve",
                                form.reason.data if decision == "refuse" else "",
                                form.version.data)
        except ValidationFailed as error:
            form.add_errors(error.errors)
        else:
            flash(_("The change was approved.") if decision == "approve" else
                  _("The change was refused."), "success")
            return redirect(url_for(".name_changes_list"))
    return _name_changes_page((request_id, decision, form)), 422
