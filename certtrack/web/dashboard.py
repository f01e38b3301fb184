"""The registrars' and administrators' dashboard."""

from flask import Blueprint, g, render_template
from flask_babel import format_date

from certtrack.domain.workflow import Role
from certtrack.services import dashboard, market_access, reference
from certtrack.web.access import roles_required

bp = Blueprint("dashboard", __name__)
bp.before_request(roles_required(Role.registrar, Role.admin))


@bp.get("/dashboard")
def index():
    figures = dashboard.overview(g.user)
    weeks = [(format_date(monday), count)
             for monday, count in figures["certificates_per_week"]]
    return render_template("dashboard/index.html", figures=figures, weeks=weeks,
                           coming=dashboard.coming_up(g.user),
                           regions={r.code: r for r in reference.regions()},
                           categories={c.code: c for c in reference.categories()},
                           crossings={c.code: c for c in market_access.crossings()},
                           products={p.code: p for p in reference.search_products()})
