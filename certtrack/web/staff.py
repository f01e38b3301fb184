"""Page bodies that inspectors and registrars share: application lists and detail."""

from flask import g, render_template, request

from certtrack.services import applications
from certtrack.web import panels


def render_application_list(endpoint: str, detail: str, default_sort: str = "deadline"):
    """A filtered, sorted, paginated list of the applications the staff member may see."""
    state = request.args.get("state") or None
    sort = request.args.get("sort", default_sort)
    page = request.args.get("page", 1, type=int)
    pagination = applications.list_applications(g.user, state=state, sort=sort, page=page)
    return render_template("staff/applications.html", pagination=pagination, state=state,
                           sort=sort, counts=applications.count_by_state(g.user),
                           endpoint=endpoint, detail=detail)


def render_application_detail(application_id: int):
    """One application with its documents and timeline (404 outside the user's scope)."""
    application = applications.get_application(g.user, application_id)
    return render_template("staff/application.html", application=application,
                           latest=applications.latest_documents(application),
                           timeline=applications.timeline(application),
                           **panels.context_for(g.user, application))
