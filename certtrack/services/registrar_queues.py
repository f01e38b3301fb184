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
# Rows shown per queue, the oldest first (the count above each is exact, and the page says
# when more wait): 3 x 50 rows took 100 ms to load and render at the national scale of
# `make bench`.
QUEUE_LIMIT = 25


def _with_details(query):
    """Load what a list row shows in the same query, so rows never cost a query each."""
    return query.options(joinedload(Application.enterprise),
                         joinedload(Application.establishment),
                         joinedload(Application.gacc_batch))


def registrar_queue(actor) -> dict[str, dict]:
    """Take a registrar; return each queue of QUEUES as {"count": n, "applications": [...]}.

    Applications are the oldest in their state first (at most QUEUE_LIMIT); the count is exact
    (index ranges of the queues' states only).
    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    states = [state.value for queue in QUEUES.values() for state in queue]
    counts = dict(db.session.execute(select(Application.state, func.count())
                                     .where(Application.state.in_(states))
                                     .group_by(Application.state)).all())
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
             category: str | None = None, sort: str = "deadline", page: int = 1):
    """Take a registrar and filters; return one page of every application that matches them.

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
    if conditions:
        count = application_scope(actor, select(func.count()).select_from(Application)) \
            .where(*conditions)
    else:
        count = _submitted_count()
    return pagination.paginate(query, count, page=page, per_page=current_app.config["PER_PAGE"])


def _submitted_count() -> int:
    """Every application but the drafts: the table's count less the drafts' index range, where
    `state != 'draft'` would read every entry of an index."""
    everything = db.session.scalar(select(func.count()).select_from(Application))
    return everything - db.session.scalar(
        select(func.count()).select_from(Application).where(Application.state == State.draft))
