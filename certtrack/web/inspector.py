"""The inspector's pages: the work queue, and the review and inspection of an application."""

from flask import Blueprint, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from certtrack.domain.workflow import Role
from certtrack.services import applications, review
from certtrack.web import labels, pages
from certtrack.web.access import roles_required
from certtrack.web.actions import REVIEW
from certtrack.web.bounds import page_number
from certtrack.web.list_views import application_views
from certtrack.web.perform import register_actions
from certtrack.web.review_forms import QUEUE_SCOPES, QueueFilterForm
from certtrack.web.templating import label_in

bp = Blueprint("inspector", __name__, url_prefix="/inspector")
bp.before_request(roles_required(Role.inspector))


def _queue_form() -> QueueFilterForm:
    form = QueueFilterForm(MultiDict(request.args))
    regions, categories = review.queue_choices(g.user)
    language = str(get_locale())
    form.state.choices = [("", _("All states"))] + [
        (code, label_in(language, labels.STATES, code)) for code in labels.STATES
        if code in review.QUEUE_STATES]
    form.region.choices = [("", _("All regions"))] + [(r.code, r.name_in(language))
                                                      for r in regions]
    form.category.choices = [("", _("All categories"))] + [
        (c.code, c.name_in(language)) for c in categories]
    return form


@bp.get("/")
def queue():
    """Applications of the inspector's committee and regions, or assigned to them."""
    form = _queue_form()
    unknown = [field for field in (form.state, form.region, form.category)
               if field.data and field.data not in {code for code, _text in field.choices}]
    for field in unknown:  # an old or mistyped link: the queue unfiltered by it, and said so
        field.data = ""
    scope = request.args.get("show", "action")
    scope = scope if scope in review.QUEUE_SCOPES else "action"
    filters = review.QueueFilters(
        state=form.state.data or None, region=form.region.data or None,
        category=form.category.data or None, overdue=form.overdue.data, mine=form.mine.data,
        sort=form.sort.data or "deadline", locale=str(get_locale()), scope=scope)
    pagination = review.list_queue(g.user, filters, page=page_number())
    pagination.items = application_views(pagination.items, "inspector.application")
    return render_template("inspector/queue.html", form=form, pagination=pagination,
                           scope=scope, scopes=QUEUE_SCOPES,
                           unknown_filter=bool(unknown)), 400 if unknown else 200


@bp.get("/applications/<id:application_id>")
def application(application_id: int):
    return pages.staff_application(_load(application_id))


def _load(application_id: int):
    return applications.get_application(g.user, application_id)


register_actions(bp, REVIEW, rule="/applications/<id:application_id>", key="application_id",
                 load=_load, page=pages.INSPECTOR_APPLICATION)
