"""The registrar's lists: the queues of work to do next and every application, filtered."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from certtrack.domain.workflow import State
from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import pagination
from certtrack.services.applications import SORTS
from certtrack.services.permissions import application_scope, require_registrar

# The registrar's work, by what is to be done next.
QUEUES: dict[str, tuple[State, ...]] = {
    "to_recommend": (State.conclusion_positive,),
    "to_batch": (State.recommended,),
    "awaiting_gacc": (State.submitted_to_gacc, State.gacc_returned),
}
# Rows shown per queue (the count above each is exact): 3 x 200 rows made the page 0.5 s of
# rendering at the national scale of `make bench`.
QUEUE_LIMIT = 50


def _with_details(query):
    """Load what a list row shows in the same query, so rows never cost a query each."""
    return query.options(joinedload(Application.enterprise),
                         joinedload(Application.establishment),
                         joinedload(Application.gacc_batch))


def state_counts(actor) -> dict[str, int]:
    """Take a registrar; return {state: number of applications} (one scan of an index).

    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    return dict(db.session.execute(select(Application.state, func.count())
                                   .group_by(Application.state)).all())


def registrar_queue(actor, counts: dict[str, int] | None = None) -> dict[str, dict]:
    """Take a registrar (and `state_counts`, when the caller has them); return each queue of
    QUEUES as {"count": n, "applications": [...]}.

    Applications are the oldest in their state first (at most QUEUE_LIMIT); the count is exact.
    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    counts = state_counts(actor) if counts is None else counts
    queue = {}
    for name, states in QUEUES.items():
        # The oldest ids come from the index alone; only those rows are joined and loaded.
        oldest = (select(Application.id).where(Application.state.in_(states))
                  .order_by(Application.state_changed_at, Application.id).limit(QUEUE_LIMIT))
        query = _with_details(select(Application).where(Application.id.in_(oldest))) \
            .order_by(Application.state_changed_at, Application.id)
        queue[name] = {"count": sum(counts.get(state.value, 0) for state in states),
                       "applications": list(db.session.scalars(query))}
    return queue


def list_all(actor, *, state: str | None = None, region: str | None = None,
             category: str | None = None, sort: str = "deadline", page: int = 1,
             counts: dict[str, int] | None = None):
    """Take a registrar and filters; return one page of every application that matches them.

    With `counts` (from `state_counts`), a list filtered by state alone, or not at all, takes
    its total from them rather than counting again.

    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    conditions = []
    if state:
        conditions.append(Application.state == state)
    if category:
        conditions.append(Application.gacc_category_code == category)
    if region:
        conditions.append(Application.region_code == region)
    query = _with_details(application_scope(actor)).where(*conditions) \
        .order_by(SORTS.get(sort, SORTS["deadline"]), Application.id.desc())
    if counts is not None and not category and not region:
        count = counts.get(state, 0) if state else sum(
            n for code, n in counts.items() if code != State.draft.value)
    else:
        count = application_scope(actor, select(func.count(Application.id))).where(*conditions)
    return pagination.paginate(query, count, page=page, per_page=current_app.config["PER_PAGE"])
