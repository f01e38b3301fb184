"""The inspector's consignment pages: the queue with its deadlines, and the work on one."""

from flask import Blueprint, g, render_template, request

from certtrack.domain.workflow import Role
from certtrack.services.consignments import access, inspection
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number
from certtrack.web.consignment_actions import CONSIGNMENT
from certtrack.web.perform import perform

bp = Blueprint("consignment_inspection", __name__, url_prefix="/inspector/consignments")
bp.before_request(roles_required(Role.inspector))

# The address's last part → the row of the action table.
RECORDS = {"inspection": "record_inspection", "lab": "record_lab_result",
           "treatment": "add_treatment", "declarations": "set_declarations",
           "start_inspection": "start_inspection", "refuse": "refuse", "issue": "issue"}


@bp.get("/")
def queue():
    """Open consignments of the inspector's committee and regions, the most urgent first."""
    overdue = request.args.get("overdue") == "1"
    pagination = inspection.consignment_queue(
        g.user, page=page_number(), overdue_only=overdue)
    return render_template("consignments/queue.html", pagination=pagination, overdue=overdue)


@bp.get("/<id:consignment_id>")
def detail(consignment_id: int):
    return pages.consignment(access.get_consignment(g.user, consignment_id))


@bp.post("/<id:consignment_id>/<any(inspection, lab, treatment, declarations, "
         "start_inspection, refuse, issue):verb>")
def act(consignment_id: int, verb: str):
    """One step of the inspector's work; a gate refusal at issue shows its reasons (422)."""
    return perform(CONSIGNMENT[RECORDS[verb]], access.get_consignment(g.user, consignment_id),
                   pages.INSPECTOR_CONSIGNMENT)
