"""Administrators' page of background jobs that failed for good, each with a Retry button."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from certtrack.services import jobs
from certtrack.services.errors import NotFound
from certtrack.web import labels
from certtrack.web.access import roles_required
from certtrack.web.bounds import page_number

bp = Blueprint("admin_jobs", __name__, url_prefix="/admin/jobs")
bp.before_request(roles_required("admin"))


@bp.get("")
def failures():
    pagination = jobs.list_failures(g.user, page_number())
    return render_template("admin/jobs.html", pagination=pagination,
                           subjects=jobs.failure_subjects(pagination.items))


@bp.post("/<id:failure_id>/retry")
def retry(failure_id: int):
    """Queue a failed job again. Unknown or already retried (a second tab, a colleague): 404
    with the list as it is now, saying so."""
    try:
        failure = jobs.retry_failure(g.user, failure_id)
    except NotFound:
        flash(_("This job is no longer in the list: it was already queued again, or it no "
                "longer exists."), "error")
        return failures(), 404
    flash(_("The job %(task)s is queued again.",
            task=str(labels.JOBS.get(failure.task, failure.task))), "success")
    return redirect(url_for(".failures"))
