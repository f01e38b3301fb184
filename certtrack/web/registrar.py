"""The registrar's pages: every application, by state."""

from flask import Blueprint

from certtrack.web.access import roles_required
from certtrack.web.staff import render_application_detail, render_application_list

bp = Blueprint("registrar", __name__, url_prefix="/registrar")
bp.before_request(roles_required("registrar"))


@bp.get("/")
def overview():
    """All applications, nearest deadline first."""
    return render_application_list("registrar.overview", "registrar.application")


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return render_application_detail(application_id)
