"""The exporter's consignment pages: list, request form, lots, documents, submit, withdraw."""

from flask import Blueprint, g, render_template, request

from certtrack.domain.consignment import ConsignmentState
from certtrack.domain.workflow import Role
from certtrack.services.consignments import access
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.consignment_actions import CONSIGNMENT
from certtrack.web.perform import register_actions, show

bp = Blueprint("consignments", __name__, url_prefix="/exporter/consignments")
bp.before_request(roles_required(Role.exporter))


@bp.get("/")
def index():
    """The enterprise's consignments, newest first, optionally in one state."""
    state = request.args.get("state") or None
    if state not in {s.value for s in ConsignmentState}:
        state = None
    pagination = access.list_consignments(g.user, page=request.args.get("page", 1, type=int),
                                          state=state)
    return render_template("consignments/list.html", pagination=pagination, state=state,
                           states=[s.value for s in ConsignmentState])


@bp.route("/new", methods=["GET", "POST"])
def new():
    return show(CONSIGNMENT["new_consignment"], None, pages.CONSIGNMENT_FORM)


@bp.route("/<int:consignment_id>/edit", methods=["GET", "POST"])
def edit(consignment_id: int):
    consignment = access.get_consignment(g.user, consignment_id)
    return show(CONSIGNMENT["edit_consignment"], consignment, pages.CONSIGNMENT_FORM)


@bp.get("/<int:consignment_id>")
def detail(consignment_id: int):
    return pages.consignment(access.get_consignment(g.user, consignment_id))


register_actions(bp, CONSIGNMENT, rule="/<int:consignment_id>", key="consignment_id",
                 load=lambda consignment_id: access.get_consignment(g.user, consignment_id),
                 page=pages.EXPORTER_CONSIGNMENT, shared="transition")
