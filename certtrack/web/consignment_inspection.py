"""The inspector's consignment pages: the queue with its deadlines, and the work on one."""

from flask import Blueprint, g, render_template, request

from certtrack.domain.workflow import Role
from certtrack.services.consignments import access, inspection
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.consignment_actions import INSPECTION
from certtrack.web.perform import register_actions

bp = Blueprint("consignment_inspection", __name__, url_prefix="/inspector/consignments")
bp.before_request(roles_required(Role.inspector))

@bp.get("/")
def queue():
    """Open consignments of the inspector's committee and regions, the most urgent first."""
    overdue = request.args.get("overdue") == "1"
    pagination = inspection.consignment_queue(
        g.user, page=request.args.get("page", 1, type=int), overdue_only=overdue)
    return render_template("consignments/queue.html", pagination=pagination, overdue=overdue)


@bp.get("/<int:consignment_id>")
def detail(consignment_id: int):
    return pages.consignment(access.get_consignment(g.user, consignment_id))


# One step of the inspector's work each; a gate refusal at issue shows its reasons (422).
register_actions(bp, INSPECTION, rule="/<int:consignment_id>", key="consignment_id",
                 load=lambda consignment_id: access.get_consignment(g.user, consignment_id),
                 page=pages.INSPECTOR_CONSIGNMENT)
