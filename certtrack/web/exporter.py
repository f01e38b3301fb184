"""The exporter's pages: enterprise profile, establishments, applications and documents."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from certtrack.domain.workflow import Role
from certtrack.services import (
    applications,
    catalogue,
    certificates,
    documents,
    enterprises,
    name_changes,
    registration_alerts,
)
from certtrack.services.registrations import exporter_overview, get_registration
from certtrack.web import labels, pages
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.exporter_actions import EXPORTER
from certtrack.web.list_views import application_views
from certtrack.web.perform import Page, perform, register_actions, show

bp = Blueprint("exporter", __name__, url_prefix="/exporter")
bp.before_request(roles_required(Role.exporter))


def _enterprise_or_redirect():
    enterprise = enterprises.own_enterprise(g.user)
    if enterprise is None:
        flash(_("Register your enterprise first."), "info")
    return enterprise


@bp.get("/")
def home():
    page = page_number()
    enterprise = enterprises.own_enterprise(g.user)
    if enterprise is None:
        return render_template("exporter/welcome.html")
    state = request.args.get("state") or None
    if state is not None and state not in labels.STATES:  # a link's typo: every application
        state = None
    sort = request.args.get("sort", "updated")
    # The filter's figures per state give the list's total too: one COUNT fewer.
    counts = applications.count_by_state(g.user)
    total = counts.get(state, 0) if state else sum(counts.values())
    pagination = applications.list_applications(g.user, state=state, sort=sort, page=page,
                                                total=total)
    pagination.items = application_views(pagination.items, "exporter.application")
    return render_template("exporter/home.html", enterprise=enterprise, pagination=pagination,
                           counts=counts, state=state, sort=sort,
                           renewals=registration_alerts.renewals_to_apply_for(g.user),
                           suspended=registration_alerts.suspended_registrations(g.user),
                           ended=registration_alerts.ended_registrations(g.user),
                           upload_states=documents.UPLOAD_STATES)


def _enterprise_page(template: str, context_name: str):
    """A page whose body is one of the exporter's forms; success leads to the enterprise."""
    def render(target, failed: dict) -> str:
        return render_template(template, form=failed["form"], **{context_name: target})

    return Page(url=lambda _target: url_for("exporter.enterprise"), render=render)


ENTERPRISE_FORM = _enterprise_page("exporter/enterprise_form.html", "enterprise")
ESTABLISHMENT_FORM = _enterprise_page("exporter/establishment_form.html", "establishment")
def _application_form(application, failed: dict) -> str:
    """The application's form; a new one has the product finder above it (`?find=`)."""
    finder = None if application else catalogue.find_products(request.args.get("find", ""))
    return render_template("exporter/application_form.html", form=failed["form"],
                           application=application, finder=finder,
                           finder_limit=catalogue.MAX_QUERY_LENGTH)


APPLICATION_FORM = Page(
    url=lambda a: url_for("exporter.application", application_id=a.id) if a else
    url_for("exporter.home"),
    render=_application_form)


def _registrations_page(_registration=None, _failed: dict | None = None) -> str:
    pagination, rows = exporter_overview(g.user, page_number())
    # Each renewal button with a one-time key of its own (WebAction.keyed).
    renew_forms = {row.registration.id: EXPORTER["renew"].build(row.registration)
                   for row in rows}
    has_enterprise = bool(rows) or enterprises.own_enterprise(g.user) is not None
    return render_template("exporter/registrations.html", pagination=pagination, rows=rows,
                           certificates=certificates.current_certificates(
                               row.registration.id for row in rows), renew_forms=renew_forms,
                           has_enterprise=has_enterprise)


REGISTRATIONS = Page(url=lambda _r: url_for("exporter.registrations"),
                     render=_registrations_page)


@bp.route("/enterprise/new", methods=["GET", "POST"])
def register_enterprise():
    if enterprises.own_enterprise(g.user) is not None:
        return redirect(url_for(".enterprise"))
    return show(EXPORTER["register_enterprise"], None, ENTERPRISE_FORM)


@bp.get("/enterprise")
def enterprise():
    enterprise = _enterprise_or_redirect()
    if enterprise is None:
        return redirect(url_for(".register_enterprise"))
    return render_template("exporter/enterprise.html", enterprise=enterprise,
                           pending_names=name_changes.pending_for(enterprise))


@bp.route("/enterprise/edit", methods=["GET", "POST"])
def edit_enterprise():
    enterprise = _enterprise_or_redirect()
    if enterprise is None:
        return redirect(url_for(".register_enterprise"))
    return show(EXPORTER["edit_enterprise"], enterprise, ENTERPRISE_FORM)


@bp.route("/establishments/new", methods=["GET", "POST"])
def new_establishment():
    if _enterprise_or_redirect() is None:
        return redirect(url_for(".register_enterprise"))
    return show(EXPORTER["new_establishment"], None, ESTABLISHMENT_FORM)


@bp.route("/establishments/<id:establishment_id>", methods=["GET", "POST"])
def edit_establishment(establishment_id: int):
    establishment = enterprises.get_establishment(g.user, establishment_id)
    return show(EXPORTER["edit_establishment"], establishment, ESTABLISHMENT_FORM)


@bp.route("/applications/new", methods=["GET", "POST"])
def new_application():
    enterprise = _enterprise_or_redirect()
    if enterprise is None:
        return redirect(url_for(".register_enterprise"))
    if not enterprise.establishments:
        flash(_("Add an establishment before applying."), "info")
        return redirect(url_for(".new_establishment"))
    return show(EXPORTER["new_application"], None, APPLICATION_FORM)


@bp.route("/applications/<id:application_id>/edit", methods=["GET", "POST"])
def edit_application(application_id: int):
    application = applications.get_application(g.user, application_id)
    return show(EXPORTER["edit_application"], application, APPLICATION_FORM)


@bp.get("/applications/<id:application_id>")
def application(application_id: int):
    return pages.exporter_application(applications.get_application(g.user, application_id))


register_actions(bp, EXPORTER, rule="/applications/<id:application_id>", key="application_id",
                 load=lambda application_id: applications.get_application(g.user,
                                                                           application_id),
                 page=pages.EXPORTER_APPLICATION, shared="transition")


@bp.get("/registrations")
def registrations():
    """The enterprise's China registrations, their renewal windows and renewals under way."""
    return _registrations_page()


@bp.post("/registrations/<id:registration_id>/renew")
def renew_registration(registration_id: int):
    """Start a renewal application from a registration whose renewal window is open."""
    registration = get_registration(g.user, registration_id)
    return perform(EXPORTER["renew"], registration, REGISTRATIONS)
