"""Pages of objects by cursor (keyset on the id) for machines, under the pages' access rules."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import (
    Application,
    Certificate,
    Consignment,
    Establishment,
    LabResult,
    Registration,
    Sample,
)
from certtrack.services.consignments.access import consignment_scope
from certtrack.services.laboratories import samples_query
from certtrack.services.permissions import RESULT_STATES, application_scope
from certtrack.services.registrations import registration_scope

MAX_LIMIT = 100


@dataclass(frozen=True)
class Page:
    """Rows after the cursor, and the id to continue after (None on the last page)."""

    items: list
    next_after: int | None


def _page(query, id_column, after: int | None, limit: int) -> Page:
    limit = max(1, min(limit, MAX_LIMIT))
    if after is not None:
        query = query.where(id_column > after)
    rows = list(db.session.scalars(query.order_by(id_column).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].id if more else None)


def applications(actor, *, after: int | None, limit: int, state: str | None = None) -> Page:
    """The applications the actor may see (permissions.application_scope), by id."""
    query = application_scope(actor).options(selectinload(Application.products))
    if state:
        query = query.where(Application.state == state)
    return _page(query, Application.id, after, limit)


def establishments(actor, *, after: int | None, limit: int) -> Page:
    """The establishments of the exporter's own enterprise."""
    query = select(Establishment).where(
        Establishment.enterprise_id == (actor.enterprise_id or 0),
        Establishment.enterprise_id.isnot(None) if actor.role == Role.exporter else False)
    return _page(query, Establishment.id, after, limit)


def registrations(actor, *, after: int | None, limit: int, status: str | None = None,
                  category: str | None = None) -> Page:
    """The registrations the actor may see (registrations.registration_scope), by id."""
    query = registration_scope(actor, select(Registration))
    if status:
        query = query.where(Registration.status == status)
    if category:
        query = query.where(Registration.gacc_category_code == category)
    return _page(query, Registration.id, after, limit)


def certificates(actor, *, after: int | None, limit: int,
                 registration_id: int | None = None) -> Page:
    """The certificates of the registrations the actor may see, by id."""
    visible = registration_scope(actor, select(Registration.id))
    query = select(Certificate).where(Certificate.registration_id.in_(visible.scalar_subquery()))
    if registration_id is not None:
        query = query.where(Certificate.registration_id == registration_id)
    return _page(query, Certificate.id, after, limit)


def samples(actor, *, after: int | None, limit: int, pending: bool | None = None) -> Page:
    """The samples sent to the actor's laboratory; `pending` true: those still awaited, whose
    application is in laboratory testing (results may be posted: the laboratory's page lists
    the same), false: the others."""
    # the results' limits name their parameters (a limit replaced since is not offered)
    query = samples_query(actor).options(selectinload(Sample.results)
                                         .selectinload(LabResult.limit))
    if pending is not None:
        in_testing = select(Application.id).where(Application.state.in_(RESULT_STATES))
        awaited = Sample.application_id.in_(in_testing.scalar_subquery())
        query = query.where(awaited if pending else ~awaited)
    return _page(query, Sample.id, after, limit)


def consignments(actor, *, after: int | None, limit: int, state: str | None = None) -> Page:
    """The consignments the actor may see (consignments.access.consignment_scope), by id."""
    query = consignment_scope(actor).options(selectinload(Consignment.lots),
                                             selectinload(Consignment.documents))
    if state:
        query = query.where(Consignment.state == state)
    return _page(query, Consignment.id, after, limit)
