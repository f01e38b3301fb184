"""The inspector's consignment pages: the queue with its deadlines, and the work on one."""

from flask import Blueprint, g, render_template, request

from certtrack.domain.workflow import Role
from certtrack.services.consignments import access, inspection
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.consignment_actions import INSPECTION
from certtrack.web.perform import register_actions

bp = Blueprint("consignment_inspection", __name__, url_prefix="/inspector/consignments")
bp.before_request(roles_required(Role.inspector))

@bp.get("/")
def queue():
    """Consignments of the inspector's committee and regions: the open ones, the most urgent
    first, or the closed ones; searched by number or enterprise."""
    overdue = request.args.get("overdue") == "1"
    scope = request.args.get("show")
    scope = scope if scope in inspection.QUEUE_SCOPES else "open"
    search = request.args.get("q", "")[:100]
    pagination = inspection.consignment_queue(
        g.user, page=page_number(), overdue_only=overdue, scope=scope, search=search)
    return render_template("consignments/queue.html", pagination=pagination, overdue=overdue,
                           scope=scope, search=search)


@bp.get("/<id:consignment_id>")
def detail(consignment_id: int):
    return pages.consignment(access.get_consignment(g.user, consignment_id))


# One step of the inspector's work each; a gate refusal at issue shows its reasons (422).
register_actions(bp, INSPECTION, rule="/<id:consignment_id>", key="consignment_id",
                 load=lambda consignment_id: access.get_consignment(g.user, consignment_id),
                 page=pages.INSPECTOR_CONSIGNMENT)
