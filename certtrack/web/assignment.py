"""The registrar assigns an inspector to an application (the registrar's pages show the form)."""

from flask import Blueprint, g

from certtrack.domain.workflow import Role
from certtrack.services import applications
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.actions import ASSIGNMENT
from certtrack.web.perform import register_actions

bp = Blueprint("assignment", __name__, url_prefix="/registrar")
bp.before_request(roles_required(Role.registrar))

register_actions(bp, ASSIGNMENT, rule="/applications/<int:application_id>", key="application_id",
                 load=lambda application_id: applications.get_application(g.user,
                                                                           application_id),
                 page=pages.REGISTRAR_APPLICATION)
