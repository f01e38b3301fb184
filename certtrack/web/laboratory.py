"""The inspector's laboratory and conclusion actions on one application."""

from typing import NamedTuple

from flask import Blueprint, g, render_template, url_for

from certtrack.domain.workflow import Role
from certtrack.services import applications, laboratory
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.actions import LABORATORY
from certtrack.web.panels import laboratory as panel
from certtrack.web.perform import Page, perform, show

bp = Blueprint("laboratory", __name__,
               url_prefix="/inspector/applications/<id:application_id>")
bp.before_request(roles_required(Role.inspector))


class SampleOf(NamedTuple):
    """The target of a result: the application and one of its samples."""

    application: object
    sample: object


def _result_page(target: SampleOf, failed: dict) -> str:
    application, sample = target
    return render_template("laboratory/result_form.html", form=failed["form"],
                           application=application, sample=sample,
                           results=panel.result_views(application, sample),
                           can_record=application.state in laboratory.RESULT_STATES)


RESULT_PAGE = Page(url=lambda t: url_for("inspector.application",
                                         application_id=t.application.id),
                   render=_result_page)


def _perform(name: str, application_id: int):
    application = applications.get_application(g.user, application_id)
    return perform(LABORATORY[name], application, pages.INSPECTOR_APPLICATION)


@bp.post("/samples")
def record_sample(application_id: int):
    return _perform("record_sample", application_id)


@bp.route("/samples/<id:sample_id>/results", methods=["GET", "POST"])
def result(application_id: int, sample_id: int):
    application = applications.get_application(g.user, application_id)
    sample = laboratory.get_sample(g.user, application, sample_id)
    return show(LABORATORY["record_result"], SampleOf(application, sample), RESULT_PAGE)


@bp.post("/send-to-lab")
def send_to_lab(application_id: int):
    return _perform("send_to_lab", application_id)


@bp.post("/lab-results-complete")
def record_lab_results(application_id: int):
    return _perform("record_lab_results", application_id)


@bp.post("/conclusion/positive")
def conclude_positive(application_id: int):
    return _perform("conclude_positive", application_id)


@bp.post("/conclusion/negative")
def conclude_negative(application_id: int):
    return _perform("conclude_negative", application_id)
