"""The registrar assigns an inspector to an application (the registrar's pages show the form)."""

from flask import Blueprint, g, request
from flask_babel import gettext as _

from certtrack.services import applications, review
from certtrack.web.access import roles_required
from certtrack.web.inspector import perform
from certtrack.web.review_forms import AssignForm

bp = Blueprint("assignment", __name__, url_prefix="/registrar")
bp.before_request(roles_required("registrar"))


@bp.post("/applications/<int:application_id>/assign")
def assign(application_id: int):
    application = applications.get_application(g.user, application_id)
    return perform(application, "assign", AssignForm(request.form),
                   lambda f: review.assign_inspector(g.user, application, f.inspector_id.data),
                   _("The inspector was assigned and notified."), detail="registrar.application")
