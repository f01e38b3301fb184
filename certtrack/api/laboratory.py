"""An accredited laboratory's operations: the samples sent to it, and its results."""

from certtrack.api import lab_schemas, schemas
from certtrack.api.core import WRITE_ERRORS, ApiBlueprint, operation
from certtrack.domain.workflow import Role
from certtrack.services import laboratories, laboratory, listings

bp = ApiBlueprint("laboratory_api", __name__, url_prefix="/api/v1/laboratory",
                  description="Samples sent to an accredited laboratory, and its results.")


class _OfferedSample:
    """A sample as the API shows it: with `limits`, the parameters its result form offers."""

    def __init__(self, sample, limits):
        self._sample, self.limits = sample, limits

    def __getattr__(self, name):
        return getattr(self._sample, name)


def _with_limits(user, samples) -> list[_OfferedSample]:
    offered = laboratories.offered_limits(user, samples)
    return [_OfferedSample(sample, offered[sample.id]) for sample in samples]


@bp.get("/samples")
@bp.arguments(lab_schemas.SampleFilter, location="query")
@bp.response(200, schemas.page_of(lab_schemas.SampleSchema))
@operation(bp, Role.laboratory)
def sample_list(user, args):
    """The samples sent to the laboratory; `pending=true`: those still awaited (their
    application is in laboratory testing, so results may be posted), as the laboratory's page
    lists them; `pending=false`: the others."""
    result = listings.samples(user, after=args["cursor"], limit=args["limit"],
                              pending=args["pending"])
    return {"items": _with_limits(user, result.items),
            "next_cursor": schemas.encode_cursor(result.next_after)}


@bp.get("/samples/<id:sample_id>")
@bp.response(200, lab_schemas.SampleSchema)
@operation(bp, Role.laboratory)
def sample(user, sample_id: int):
    """One sample sent to the laboratory, with the parameters a result may be posted for
    (`limits`: their `id` is the result's `limit_id`) and the results recorded so far."""
    return _with_limits(user, [laboratories.get_sample(user, sample_id)])[0]


@bp.post("/samples/<id:sample_id>/results")
@bp.arguments(lab_schemas.ResultInputSchema)
@bp.response(201, lab_schemas.LabResultSchema)
@operation(bp, Role.laboratory, scope="write", errors=WRITE_ERRORS)
def post_result(user, data, sample_id: int):
    """Post a result; it is judged against the parameter's limit exactly as on the page.

    `detected` says whether a banned substance or a pest was found (for limits of presence);
    otherwise give `value` and `unit` (mg/kg, µg/kg, ppm or ppb).
    """
    return laboratories.post_result(user, sample_id,
                                   laboratory.LabResultInput.from_mapping(data))
