"""The registrars' and administrators' dashboard."""

from flask import Blueprint, g, render_template

from certtrack.domain.workflow import Role
from certtrack.services import dashboard, reference
from certtrack.web.access import roles_required

bp = Blueprint("dashboard", __name__)
bp.before_request(roles_required(Role.registrar, Role.admin))


@bp.get("/dashboard")
def index():
    return render_template("dashboard/index.html", figures=dashboard.overview(g.user),
                           regions={r.code: r for r in reference.regions()},
                           categories={c.code: c for c in reference.categories()})
