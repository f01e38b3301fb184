"""The inspector's laboratory and conclusion actions on one application."""

from typing import NamedTuple

from flask import Blueprint, g, render_template, url_for

from certtrack.domain.workflow import Role
from certtrack.services import applications, laboratory
from certtrack.web import pages
from certtrack.web.access import roles_required
from certtrack.web.actions import LABORATORY
from certtrack.web.panels import laboratory as panel
from certtrack.web.perform import Page, register_actions, show

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
                           others_tested=laboratory.other_samples_tested(sample),
                           can_record=application.state in laboratory.RESULT_STATES)


RESULT_PAGE = Page(url=lambda t: url_for("inspector.application",
                                         application_id=t.application.id),
                   render=_result_page)


def _load(application_id: int):
    return applications.get_application(g.user, application_id)


register_actions(bp, LABORATORY, rule="", key="application_id", load=_load,
                 page=pages.INSPECTOR_APPLICATION)


@bp.route("/samples/<id:sample_id>/results", methods=["GET", "POST"])
def result(application_id: int, sample_id: int):
    application = _load(application_id)
    sample = laboratory.get_sample(g.user, application, sample_id)
    return show(LABORATORY["record_result"], SampleOf(application, sample), RESULT_PAGE)
