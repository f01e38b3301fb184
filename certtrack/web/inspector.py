"""The inspector's pages: the applications of their committee and regions."""

from flask import Blueprint

from certtrack.web.access import roles_required
from certtrack.web.staff import render_application_detail, render_application_list

bp = Blueprint("inspector", __name__, url_prefix="/inspector")
bp.before_request(roles_required("inspector"))


@bp.get("/")
def queue():
    """Applications of the inspector's committee in their regions, nearest deadline first."""
    return render_application_list("inspector.queue", "inspector.application")


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return render_application_detail(application_id)
