"""The registrar's pages: the queue, GACC batches and decisions, and registrations after listing."""

from flask import Blueprint, g, render_template, request

from certtrack.domain.workflow import Role
from certtrack.services import (
    applications,
    gacc,
    reference,
    registrations,
)
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.actions import REGISTRAR, REGISTRATION
from certtrack.web.perform import Page, perform, register_actions, show

bp = Blueprint("registrar", __name__, url_prefix="/registrar")
bp.before_request(roles_required(Role.registrar))


@bp.get("/")
def overview():
    """The registrar's queue and every application, filtered."""
    return pages.overview()


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return pages.staff_application(applications.get_application(g.user, application_id))


@bp.post("/recommend")
def recommend():
    return perform(REGISTRAR["recommend"], None, pages.OVERVIEW)


@bp.post("/batches")
def submit_batch():
    return perform(REGISTRAR["submit_batch"], None, pages.OVERVIEW)


@bp.get("/batches/<int:batch_id>")
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


@bp.route("/applications/<int:application_id>/gacc-return", methods=["GET", "POST"])
def gacc_return(application_id: int):
    return _decision("record_gacc_return", application_id)


@bp.route("/applications/<int:application_id>/gacc-refusal", methods=["GET", "POST"])
def gacc_refusal(application_id: int):
    return _decision("record_gacc_refusal", application_id)


@bp.route("/applications/<int:application_id>/registration", methods=["GET", "POST"])
def record_registration(application_id: int):
    return _decision("record_registration", application_id)


@bp.post("/applications/<int:application_id>/resubmit-to-gacc")
def resubmit_to_gacc(application_id: int):
    application = applications.get_application(g.user, application_id)
    return perform(REGISTRAR["resubmit_to_gacc"], application, pages.REGISTRAR_APPLICATION)


@bp.get("/registrations")
def registrations_list():
    filters = pages.filters("status", "category", "region")
    search = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    pagination = registrations.list_registrations(g.user, **filters, search=search, page=page)
    return render_template("registrar/registrations.html", pagination=pagination,
                           filters=filters, search=search, regions=reference.regions(),
                           categories=reference.categories())


@bp.get("/registrations/<int:registration_id>")
def registration(registration_id: int):
    return pages.registration(registrations.get_registration(g.user, registration_id))


register_actions(bp, REGISTRATION, rule="/registrations/<int:registration_id>",
                 key="registration_id",
                 load=lambda registration_id: registrations.get_registration(g.user,
                                                                              registration_id),
                 page=pages.REGISTRATION, shared="change_registration")
