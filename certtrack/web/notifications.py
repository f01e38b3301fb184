"""Each user's in-app notifications."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from certtrack.services import notifications

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
def index():
    page = request.args.get("page", 1, type=int)
    return render_template("notifications/index.html",
                           pagination=notifications.list_notifications(g.user, page))


@bp.post("/notifications/read")
def mark_read():
    count = notifications.mark_all_read(g.user)
    flash(_("%(n)d notifications marked as read.", n=count), "success")
    return redirect(url_for(".index"))
