"""The registrar assigns an inspector to an application (the registrar's pages show the form)."""

from flask import Blueprint, g

from certtrack.domain.workflow import Role
from certtrack.services import applications
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.actions import REVIEW
from certtrack.web.perform import perform

bp = Blueprint("assignment", __name__, url_prefix="/registrar")
bp.before_request(roles_required(Role.registrar))


@bp.post("/applications/<id:application_id>/assign")
def assign(application_id: int):
    application = applications.get_application(g.user, application_id)
    return perform(REVIEW["assign"], application, pages.REGISTRAR_APPLICATION)
