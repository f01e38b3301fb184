"""The registrar's lists: the queues of work to do next and every application, filtered."""

from datetime import date

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, func, select, union_all

from certtrack.domain.workflow import State
from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import pagination, state_counts
from certtrack.services.list_rows import SORTS, ApplicationRow, application_rows
from certtrack.services.local_dates import local_today
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
# The states of an application still in progress: the dashboard counts their overdue work.
OPEN_STATES = ("submitted", "under_review", "returned", "inspection_scheduled", "inspected",
               "corrective_actions", "lab_testing", "conclusion_positive", "recommended",
               "submitted_to_gacc", "gacc_returned")


def overdue_condition(today: date) -> ColumnElement[bool]:
    """In progress, and past its stage's deadline (the dashboard's "overdue")."""
    return and_(Application.state.in_(OPEN_STATES), Application.stage_deadline < today)


def overview(actor, *, state: str | None = None, region: str | None = None,
             category: str | None = None, sort: str = "deadline", page: int = 1,
             overdue: bool = False):
    """Take a registrar and the filters of the list of every application; return (queue, page).

    `queue` holds each queue of QUEUES as {"count": n, "applications": [...]}: the oldest in
    their state first (at most QUEUE_LIMIT), the count exact. `page` is a Pagination of the
    applications that match the filters. Rows are list_rows.ApplicationRow, read in one query
    for both.
    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    counts = state_counts.by_state([state_ for states in QUEUES.values() for state_ in states])
    oldest = list(db.session.scalars(union_all(*(_oldest(states)
                                                 for states in QUEUES.values()))))
    page_of_ids = _every_application(actor, state=state, region=region, category=category,
                                     sort=sort, page=page, overdue=overdue)
    rows = {row.id: row for row in application_rows(list(dict.fromkeys(
        oldest + page_of_ids.items)))}
    page_of_ids.items = [rows[id_] for id_ in page_of_ids.items if id_ in rows]
    queue = {}
    for name, queue_states in QUEUES.items():
        codes = {state_.value for state_ in queue_states}
        queue[name] = {
            "count": sum(counts.get(code, 0) for code in codes),
            "applications": sorted((rows[id_] for id_ in oldest
                                    if id_ in rows and rows[id_].state in codes),
                                   key=lambda row: (row.state_changed_at, row.id))}
    return queue, page_of_ids


def _oldest(states: tuple[State, ...]) -> Select:
    """The ids of the QUEUE_LIMIT applications longest in `states`, oldest first: for each
    state an index range of ix_application_state_changed read in order, then merged. One
    range over several states comes out of the index unordered, and PostgreSQL sorted all of
    it (the 3,950 applications with GACC, 1.1 of the statement's 1.4 ms, `make bench`)."""
    order = (Application.state_changed_at, Application.id)
    parts = [select(Application.id, Application.state_changed_at)
             .where(Application.state == state_).order_by(*order).limit(QUEUE_LIMIT)
             .subquery() for state_ in states]
    if len(parts) == 1:
        return select(parts[0].c.id)
    merged = union_all(*(select(part.c.id, part.c.state_changed_at) for part in parts)) \
        .subquery()
    return select(select(merged.c.id).order_by(merged.c.state_changed_at, merged.c.id)
                  .limit(QUEUE_LIMIT).subquery().c.id)


def _every_application(actor, *, state: str | None, region: str | None,
                       category: str | None, sort: str, page: int, overdue: bool = False):
    """One page of the ids of every application that matches the filters (drafts are never
    in a registrar's scope), with their exact count; `overdue`: those past their deadline."""
    conditions = [overdue_condition(local_today())] if overdue else []
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
        count = state_counts.submitted_count()
    return pagination.paginate(ids, count, page=page, per_page=current_app.config["PER_PAGE"])


def batch_rows(batch) -> list[ApplicationRow]:
    """The applications of a GACC batch as its page lists them, oldest first."""
    return application_rows(list(db.session.scalars(
        select(Application.id).where(Application.gacc_batch_id == batch.id)
        .order_by(Application.id))))
