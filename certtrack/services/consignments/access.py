"""Who may see which consignment: the exporter's own, the inspectors of its committee and region."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from certtrack.domain.workflow import Role
from certtrack.extensions import contains_pattern, db
from certtrack.models import (
    Consignment,
    ConsignmentCertificate,
    ConsignmentDocument,
    Enterprise,
    GaccCategory,
    User,
)
from certtrack.services.errors import NotFound


def consignment_scope(user: User, query: Select | None = None) -> Select:
    """Restrict a Consignment query to the rows `user` may see.

    Exporters see their enterprise's; inspectors the submitted ones of their committee in their
    regions (as for applications, security.md item 9); registrars and administrators all
    submitted ones. A draft is the exporter's own.
    """
    query = query if query is not None else select(Consignment)
    if user.role == Role.exporter:
        return query.where(Consignment.enterprise_id == (user.enterprise_id or -1))
    query = query.where(Consignment.state != "draft")
    if user.role == Role.inspector:
        committee = select(GaccCategory.code).where(GaccCategory.committee == user.committee)
        return query.where(Consignment.gacc_category_code.in_(committee.scalar_subquery()),
                           Consignment.region_code.in_(sorted(user.region_codes)))
    if user.role in (Role.registrar, Role.admin):
        return query
    return query.where(false())


def can_see_consignment(user: User, consignment: Consignment) -> bool:
    """The rule of consignment_scope() for one loaded consignment."""
    if user.role == Role.exporter:
        return user.enterprise_id is not None and consignment.enterprise_id == user.enterprise_id
    if consignment.state == "draft":
        return False
    if user.role == Role.inspector:
        return in_territory(user, consignment)
    return user.role in (Role.registrar, Role.admin)


def in_territory(user: User, consignment: Consignment) -> bool:
    """True when the user is an inspector of the consignment's committee and region."""
    category = db.session.get(GaccCategory, consignment.gacc_category_code)
    return (user.role == Role.inspector and category.committee == user.committee
            and consignment.region_code in user.region_codes)


def territory_inspectors(consignment: Consignment) -> list[User]:
    """The active inspectors of the consignment's committee and region (in_territory): its
    queue's readers."""
    inspectors = db.session.scalars(select(User).options(selectinload(User.regions)).where(
        User.role == Role.inspector, User.is_active.is_(True)))
    return [user for user in inspectors if in_territory(user, consignment)]


def inspectors_to_tell(consignment: Consignment) -> list[User]:
    """Who is told of a consignment sent to the inspectors: its own inspector (one that
    inspected it before, for a corrected one) while they still work its committee and region,
    else its queue's readers (territory_inspectors): a disabled or moved inspector's notice
    would reach nobody who can act."""
    inspector = db.session.get(User, consignment.inspector_id) if consignment.inspector_id \
        else None
    if inspector is not None and inspector.is_active and in_territory(inspector, consignment):
        return [inspector]
    return territory_inspectors(consignment)


def get_consignment(actor: User, consignment_id: int) -> Consignment:
    """A consignment the actor may see.

    :raise NotFound: unknown or outside the actor's scope (never 403, so ids cannot be probed).
    """
    consignment = db.session.get(Consignment, consignment_id)
    if consignment is None or not can_see_consignment(actor, consignment):
        raise NotFound(_("No such consignment."))
    return consignment


def get_consignment_document(actor: User, document_id: int) -> ConsignmentDocument:
    """A supporting document of a consignment the actor may see (its exporter, its inspectors,
    the registrars).

    :raise NotFound: unknown, or of a consignment outside the actor's scope.
    """
    document = db.session.get(ConsignmentDocument, document_id)
    consignment = db.session.get(Consignment, document.consignment_id) if document else None
    if consignment is None or not can_see_consignment(actor, consignment):
        raise NotFound(_("No such document."))
    return document


def require_owner(actor: User, consignment: Consignment) -> None:
    """:raise NotFound: the actor is not an exporter of the consignment's enterprise."""
    if actor.role != Role.exporter or consignment.enterprise_id != actor.enterprise_id:
        raise NotFound(_("No such consignment."))


def search_consignments(query, search: str):
    """A consignment's reference (CS-000042 or 42), its certificate's number, or the
    enterprise's name or BIN."""
    search = search.strip()
    if not search:
        return query
    digits = search.upper().removeprefix("CS-").lstrip("0")
    number = int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 10 else -1
    by_number = select(ConsignmentCertificate.consignment_id).where(
        ConsignmentCertificate.number == search.upper())
    pattern = contains_pattern(search)
    by_enterprise = select(Enterprise.id).where(or_(
        Enterprise.bin == search, *[getattr(Enterprise, f"name_{language}").ilike(
            pattern, escape="\\") for language in ("en", "ru", "kk", "zh")]))
    return query.where(or_(
        Consignment.id == number,
        Consignment.id.in_(by_number), Consignment.enterprise_id.in_(by_enterprise)))


# The orders of the exporter's list: the newest request first, the oldest, or the soonest
# deadline first (a request with none last).
LIST_SORTS = ("newest", "oldest", "deadline")


def list_consignments(actor: User, *, page: int = 1, state: str | None = None,
                      search: str = "", sort: str = "newest"):
    """One page of the consignments the actor may see, in `state` if given, matching `search`
    (search_consignments), in the order `sort` names (LIST_SORTS; the newest first else)."""
    query = consignment_scope(actor).options(selectinload(Consignment.lots))
    if state:
        query = query.where(Consignment.state == state)
    query = search_consignments(query, search).order_by(*{
        "oldest": (Consignment.id,),
        "deadline": (Consignment.deadline.asc().nulls_last(), Consignment.id.desc()),
    }.get(sort, (Consignment.id.desc(),)))
    return db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"],
                       error_out=False, max_per_page=100)
