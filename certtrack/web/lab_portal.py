"""An accredited laboratory's pages: the samples sent to it, and its results for each, judged
as an inspector's are (the API offers the same to the laboratory's own systems)."""

from flask import Blueprint, g, render_template, request, url_for

from certtrack.domain.workflow import Role
from certtrack.services import laboratories, laboratory
from certtrack.services.inputs import LabResultInput
from certtrack.web.access import roles_required
from certtrack.web.actions import result_message
from certtrack.web.bounds import page_number
from certtrack.web.panels import laboratory as panel
from certtrack.web.perform import Page, WebAction, show

bp = Blueprint("lab_portal", __name__, url_prefix="/laboratory")
bp.before_request(roles_required(Role.laboratory))


@bp.get("/samples")
def samples():
    """The samples in laboratory testing (or, `show=all`, every sample sent here)."""
    pending = request.args.get("show") != "all"
    pagination, in_testing = laboratories.list_samples(g.user, page=page_number(),
                                                       pending=pending)
    return render_template("laboratory/samples.html", pagination=pagination,
                           in_testing=in_testing, pending=pending)


def _form(sample, formdata):
    """The result form, offering the parameters of the laboratory's accreditation only."""
    return panel.result_form(sample, formdata, parameters=laboratories.scope(g.user, sample))


def _render(sample, failed: dict) -> str:
    application = laboratories.application_of(sample)
    return render_template(
        "laboratory/result_form.html", sample=sample, application=application,
        form=failed.get("form") or _form(sample, None), laboratory_view=True,
        results=panel.result_views(application, sample),
        others_tested=laboratory.other_samples_tested(sample),
        can_record=application.state in laboratory.RESULT_STATES)


PAGE = Page(url=lambda sample: url_for("lab_portal.sample", sample_id=sample.id), render=_render)
RECORD = WebAction(
    _form, lambda user, sample, form: laboratories.post_result(
        user, sample.id, LabResultInput.from_mapping(form.data)),
    result_message, key="form", then=lambda sample, _row: url_for(".sample",
                                                                   sample_id=sample.id),
    checks=lambda _user, sample, entries: laboratory.result_errors(
        sample, LabResultInput.from_mapping(entries)))


@bp.route("/samples/<id:sample_id>", methods=["GET", "POST"])
def sample(sample_id: int):
    """A sample sent to the laboratory: its results, and the form for one more."""
    return show(RECORD, laboratories.get_sample(g.user, sample_id), PAGE)
