"""Pages anyone may open: the front door, the explanations of terms, the icon and the health
check."""

from flask import Blueprint, g, redirect, render_template, url_for

from certtrack.domain.workflow import Role
from certtrack.web.access import public
from certtrack.web.terms import TERMS

bp = Blueprint("public", __name__)

HOMES = {
    Role.exporter: "exporter.home",
    Role.inspector: "inspector.queue",
    Role.registrar: "registrar.overview",
    Role.admin: "admin.users",
    Role.laboratory: "lab_portal.samples",  # its samples; its systems use the API too
}


@bp.get("/")
@public
def index():
    """Signed-in users go to their home page; others see what certtrack is."""
    if g.user is not None:
        return redirect(url_for(HOMES[g.user.role]))
    return render_template("public/index.html")


@bp.get("/help/terms")
@public
def terms():
    """The local terms a first-time exporter meets (BIN, GACC category, HS code…), explained;
    each has an id, so the forms link straight to it."""
    return render_template("public/terms.html", terms=TERMS)


@bp.get("/favicon.ico")
@public
def favicon():
    """The icon browsers ask for where no page names one (a PDF opened on its own)."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/healthz")
@public
def healthz():
    """For load balancers: the process answers."""
    return {"status": "ok"}
