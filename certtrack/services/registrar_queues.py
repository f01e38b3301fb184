"""The registrar's lists: the queues of work to do next and every application, filtered."""

from flask import current_app
from sqlalchemy import func, select, union_all

from certtrack.domain.workflow import State
from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import pagination
from certtrack.services.applications import SORTS
from certtrack.services.list_rows import ApplicationRow, application_rows
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


def _rows(ids: list[int]) -> dict[int, ApplicationRow]:
    """The rows of `ids` as a list shows them, by id, in one query.

    Pages take their ids first (from an index, ordered) and then these rows by their ids:
    PostgreSQL plans a statement of six joins on every request (its prepared statements end
    with each request's rollback), and planning one around an ordered, limited subquery took
    it 3-14 ms, against about 1 ms around a list of ids (`make bench`)."""
    return {row.id: row for row in application_rows(ids)}


def registrar_queue(actor) -> dict[str, dict]:
    """Take a registrar; return each queue of QUEUES as {"count": n, "applications": [...]}.

    Applications (list_rows.ApplicationRow) are the oldest in their state first (at most
    QUEUE_LIMIT); the count is exact (index ranges of the queues' states only). Three
    queries: the counts, the oldest ids of every queue (index ranges, one statement), and
    those applications' rows.
    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    states = [state.value for queue in QUEUES.values() for state in queue]
    counts = dict(db.session.execute(select(Application.state, func.count())
                                     .where(Application.state.in_(states))
                                     .group_by(Application.state)).all())
    oldest = union_all(*(
        select(select(Application.id).where(Application.state.in_(queue_states))
               .order_by(Application.state_changed_at, Application.id)
               .limit(QUEUE_LIMIT).subquery().c.id)
        for queue_states in QUEUES.values()))
    rows = _rows(list(db.session.scalars(oldest)))
    queue = {}
    for name, queue_states in QUEUES.items():
        codes = {state.value for state in queue_states}
        queue[name] = {
            "count": sum(counts.get(state, 0) for state in codes),
            "applications": sorted((row for row in rows.values() if row.state in codes),
                                   key=lambda row: (row.state_changed_at, row.id))}
    return queue


def list_all(actor, *, state: str | None = None, region: str | None = None,
             category: str | None = None, sort: str = "deadline", page: int = 1):
    """Take a registrar and filters; return one page of every application that matches them
    (list_rows.ApplicationRow).

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
    ids = application_scope(actor, select(Application.id)).where(*conditions) \
        .order_by(SORTS.get(sort, SORTS["deadline"]), Application.id.desc())
    if conditions:
        count = application_scope(actor, select(func.count()).select_from(Application)) \
            .where(*conditions)
    else:
        count = _submitted_count()
    page_of_ids = pagination.paginate(ids, count, page=page,
                                      per_page=current_app.config["PER_PAGE"])
    page_of_ids.items = application_rows(page_of_ids.items)
    return page_of_ids


def _submitted_count() -> int:
    """Every application but the drafts: the table's count less the drafts' index range, where
    `state != 'draft'` would read every entry of an index. One statement of two counts."""
    everything = select(func.count()).select_from(Application).scalar_subquery()
    drafts = select(func.count()).select_from(Application).where(
        Application.state == State.draft).scalar_subquery()
    return db.session.scalar(select(everything - drafts))


def batch_rows(batch) -> list[ApplicationRow]:
    """The applications of a GACC batch as its page lists them, oldest first."""
    return application_rows(list(db.session.scalars(
        select(Application.id).where(Application.gacc_batch_id == batch.id)
        .order_by(Application.id))))
