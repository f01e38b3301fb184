"""The exporter's consignment pages: list, request form, lots, documents, submit, withdraw."""

from flask import Blueprint, g, render_template, request

from certtrack.domain.consignment import ConsignmentState
from certtrack.domain.workflow import Role
from certtrack.services.consignments import access
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.consignment_actions import CONSIGNMENT
from certtrack.web.perform import register_actions, show

bp = Blueprint("consignments", __name__, url_prefix="/exporter/consignments")
bp.before_request(roles_required(Role.exporter))


@bp.get("/")
def index():
    """The enterprise's consignments, newest first, optionally in one state, found by their
    number or their certificate's, in another order."""
    state = request.args.get("state") or None
    if state not in {s.value for s in ConsignmentState}:
        state = None
    search = request.args.get("q", "")[:100]
    sort = request.args.get("sort") if request.args.get("sort") in access.LIST_SORTS \
        else "newest"
    pagination = access.list_consignments(g.user, page=page_number(), state=state,
                                          search=search, sort=sort)
    return render_template("consignments/list.html", pagination=pagination, state=state,
                           states=[s.value for s in ConsignmentState], search=search,
                           sort=sort, sorts=access.LIST_SORTS)


@bp.route("/new", methods=["GET", "POST"])
def new():
    return show(CONSIGNMENT["new_consignment"], None, pages.CONSIGNMENT_FORM)


@bp.route("/<id:consignment_id>/edit", methods=["GET", "POST"])
def edit(consignment_id: int):
    consignment = access.get_consignment(g.user, consignment_id)
    return show(CONSIGNMENT["edit_consignment"], consignment, pages.CONSIGNMENT_FORM)


@bp.get("/<id:consignment_id>")
def detail(consignment_id: int):
    return pages.consignment(access.get_consignment(g.user, consignment_id))


register_actions(bp, CONSIGNMENT, rule="/<id:consignment_id>", key="consignment_id",
                 load=lambda consignment_id: access.get_consignment(g.user, consignment_id),
                 page=pages.EXPORTER_CONSIGNMENT, shared="transition")
