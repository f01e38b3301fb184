"""Each user's in-app notifications."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from certtrack.services import notifications
from certtrack.web.bounds import page_number

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
def index():
    page = page_number()
    pagination = notifications.list_notifications(g.user, page)
    return render_template("notifications/index.html", pagination=pagination,
                           texts={n.id: notifications.message_of(n) for n in pagination.items})


@bp.post("/notifications/read")
def mark_read():
    count = notifications.mark_all_read(g.user)
    flash(_("%(n)d notifications marked as read.", n=count), "success")
    return redirect(url_for(".index"))


@bp.post("/notifications/<id:notification_id>/read")
def mark_one_read(notification_id: int):
    """One notification read: its link was opened (the page's script posts it) or its button
    pressed. Another user's id changes nothing and says nothing."""
    notifications.mark_read(g.user, notification_id)
    return redirect(url_for(".index"))
