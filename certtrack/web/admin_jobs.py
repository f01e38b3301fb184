"""Administrators' page of background jobs that failed for good, each with a Retry button."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from certtrack.services import jobs
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
    """Queue a failed job again (404 when unknown or already retried)."""
    failure = jobs.retry_failure(g.user, failure_id)
    flash(_("The job %(task)s is queued again.",
            task=str(labels.JOBS.get(failure.task, failure.task))), "success")
    return redirect(url_for(".failures"))
