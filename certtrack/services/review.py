"""The inspector's work: the queue, assignment, and the completeness check of an application."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from certtrack.domain.workflow import (
    INSPECTION_STATES,
    TERMINAL_STATES,
    IllegalTransition,
    Role,
    State,
    allowed_actions,
)
from certtrack.extensions import db
from certtrack.models import (
    Application,
    CorrectionRequest,
    Document,
    Enterprise,
    GaccCategory,
    Region,
    User,
)
from certtrack.models.base import utcnow
from certtrack.services import pagination
from certtrack.services.applications import apply_transition, latest_documents, local_today
from certtrack.services.audit import record_event
from certtrack.services.deadlines import day_off_error
from certtrack.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from certtrack.services.list_rows import application_rows
from certtrack.services.local_dates import LocalDate
from certtrack.services.notifications import enterprise_users, exporter_link, inspector_link, notify
from certtrack.services.permissions import (
    application_scope,
    has_role,
    in_inspector_territory,
    require_inspector,
)
from certtrack.services.reference import working_calendar
from certtrack.services.transaction import transaction

# Draft is the exporter's private state: it never appears in a staff queue.
QUEUE_STATES = tuple(state.value for state in State if state != State.draft)
OPEN_STATES = tuple(s for s in QUEUE_STATES if State(s) not in TERMINAL_STATES)
# The states in which an inspector has the next step (from the workflow table): the queue's
# first view. The others wait for the exporter or the registrar, or are closed.
ACTION_STATES = tuple(s for s in OPEN_STATES if allowed_actions(State(s), Role.inspector))
QUEUE_SORTS = ("deadline", "age", "enterprise")
# What the queue shows when no state is chosen: work needing the inspector, every open
# application, or everything, closed ones included.
QUEUE_SCOPES = ("action", "open", "all")
RESPONSE_WORKING_DAYS = 10
DECISIONS = ("accepted", "rejected")
# Evidence of corrective actions is judged finding by finding, not in the completeness check.
NOT_REVIEWED_TYPES = frozenset({"corrective_evidence"})
# A document is decided on at the completeness check, and after it while the inspection goes
# on: a version uploaded with the corrective actions is read before a conclusion.
DOCUMENT_REVIEW_STATES = frozenset({State.under_review, State.corrective_actions,
                                    State.inspected})


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows: unknown values are ignored rather than refused."""

    state: str | None = None
    region: str | None = None
    category: str | None = None
    overdue: bool = False
    mine: bool = False
    sort: str = "deadline"
    locale: str = "en"
    scope: str = "all"


def _enterprise_name(locale: str):
    """The enterprise's name as the page shows it: in `locale`, else in English."""
    column = getattr(Enterprise, f"name_{locale}", Enterprise.name_en)
    return func.coalesce(func.nullif(column, ""), Enterprise.name_en)


def _queue_order(query, filters: QueueFilters):
    if filters.sort == "age":
        return query.order_by(Application.state_changed_at.asc(), Application.id)
    if filters.sort == "enterprise":
        query = query.join(Enterprise, Enterprise.id == Application.enterprise_id)
        return query.order_by(_enterprise_name(filters.locale).asc(), Application.id)
    return query.order_by(Application.stage_deadline.asc().nulls_last(), Application.id)


def _queue_rows(actor: User, filters: QueueFilters, query):
    """`query` (a SELECT from application) restricted to the queue's rows."""
    # The scope keeps drafts out of a staff member's sight, and every other state is in the
    # queue: no "state IN (all of them)" for SQLite to test on every entry it counts.
    query = application_scope(actor, query)
    if filters.state in QUEUE_STATES:
        query = query.where(Application.state == filters.state)
    elif filters.scope == "action":
        query = query.where(Application.state.in_(ACTION_STATES))
    elif filters.scope == "open":
        query = query.where(Application.state.in_(OPEN_STATES))
    if filters.region:
        query = query.where(Application.region_code == filters.region)
    if filters.category:
        query = query.where(Application.gacc_category_code == filters.category)
    if filters.overdue:
        query = query.where(Application.state.in_(OPEN_STATES),
                            Application.stage_deadline < local_today())
    if filters.mine:
        query = query.where(Application.assignee_id == actor.id)
    return query


def queue_query(actor: User, filters: QueueFilters, what=Application):
    """Take the acting staff member and filters; return the SELECT of their queue (of `what`:
    the applications, or a column such as their ids), ordered."""
    return _queue_order(_queue_rows(actor, filters, select(what)), filters)


def list_queue(actor: User, filters: QueueFilters, page: int = 1, per_page: int | None = None):
    """Take the actor, filters and a page number; return that page of their work queue.

    Three SQL queries whatever the page: the COUNT of the conditions alone, the page's ids
    (from the queue's index alone, however deep the page), and those applications' rows with
    what the page shows joined in (list_rows.ApplicationRow). Changes nothing, raises nothing.
    """
    # count(*), not count(id): SQLite then counts index entries without reading each id
    # (make bench: the category queue's count from 4.0 ms to 3.3 ms).
    count = _queue_rows(actor, filters, select(func.count()).select_from(Application))
    page_of_ids = pagination.paginate(queue_query(actor, filters, Application.id), count,
                                      page=page,
                                      per_page=per_page or current_app.config["PER_PAGE"])
    page_of_ids.items = application_rows(page_of_ids.items)
    return page_of_ids


def queue_choices(actor: User) -> tuple[list[Region], list[GaccCategory]]:
    """Take the actor; return the regions and categories their queue can be filtered by."""
    categories = select(GaccCategory).order_by(GaccCategory.code)
    if has_role(actor, Role.inspector):
        # Their own regions, which the queue's page has loaded already (its heading, its scope).
        categories = categories.where(GaccCategory.committee == actor.committee)
        return (sorted(actor.regions, key=lambda region: region.code),
                list(db.session.scalars(categories)))
    return (list(db.session.scalars(select(Region).order_by(Region.code))),
            list(db.session.scalars(categories)))


def _require_in_inspection(application: Application, action: str, role: str) -> None:
    """A stale page may offer an assignment on a draft, on an application past its
    conclusion (the registrar's and GACC's by then) or on a closed one: refuse it."""
    if State(application.state) not in INSPECTION_STATES:
        raise IllegalTransition(application.state, action, role, defined=False)


def eligible_inspectors(application: Application) -> list[User]:
    """Take an application; return the active inspectors of its committee, by name."""
    query = (select(User).where(User.role == Role.inspector, User.is_active.is_(True),
                                User.committee == application.gacc_category.committee)
             .order_by(User.full_name, User.id))
    return list(db.session.scalars(query))


# The states in which an application is assigned (and its assignment released): from the
# submission to the conclusion; after it, the assignee stays the inspector who concluded.
ASSIGNABLE_STATES = sorted(str(state) for state in INSPECTION_STATES)


def open_assignments(inspector: User) -> int:
    """Take an account; return how many applications under inspection are assigned to it
    (one query)."""
    return db.session.scalar(select(func.count()).select_from(Application).where(
        Application.assignee_id == inspector.id, Application.state.in_(ASSIGNABLE_STATES)))


def release_assignments(actor: User, inspector: User) -> list[str]:
    """Unassign the applications under inspection of an account just edited that it could no
    longer be assigned (eligible_inspectors' rule: disabled, another role, another committee),
    each audited, for the inspectors of their queue to take; return their references. Runs in
    the caller's transaction."""
    query = (select(Application).join(GaccCategory)
             .where(Application.assignee_id == inspector.id,
                    Application.state.in_(ASSIGNABLE_STATES))
             .order_by(Application.id))
    if inspector.is_active and inspector.role == Role.inspector:
        query = query.where(GaccCategory.committee != inspector.committee)
    released = list(db.session.scalars(query))
    for application in released:
        application.assignee_id = None
        record_event(actor, "assignment_released", object_type="application",
                     object_id=application.id, application_id=application.id,
                     data={"previous_assignee_id": inspector.id})
    return [application.reference for application in released]


def assign_inspector(actor: User, application: Application, inspector_id: int | None) -> User:
    """A registrar assigns an inspector of the application's committee; audited and notified.

    :raise PermissionDenied: the actor is not a registrar.
    :raise IllegalTransition: the application is a draft, concluded or closed (stale page).
    :raise ValidationFailed: the person is not an active inspector of the right committee.
    :raise Conflict: the application changed in the meantime.
    """
    if not has_role(actor, Role.registrar):
        raise PermissionDenied(_("Only a registrar assigns inspectors."))
    _require_in_inspection(application, "assign", actor.role)
    inspector = next((u for u in eligible_inspectors(application) if u.id == inspector_id), None)
    if inspector is None:
        raise ValidationFailed({"inspector_id": [
            _("Choose an active inspector of the committee responsible for this category.")]})
    previous = application.assignee_id
    if previous == inspector.id:  # told again that it was assigned to them, and audited twice
        raise ValidationFailed({"inspector_id": [_(
            "%(name)s is already assigned to this application: choose another inspector to "
            "reassign it.", name=inspector.full_name)]})
    with transaction():
        application.assignee_id = inspector.id
        db.session.flush()
        record_event(actor, "inspector_assigned", object_type="application",
                     object_id=application.id, application_id=application.id,
                     data={"assignee_id": inspector.id, "previous_assignee_id": previous})
        notify([inspector], "assigned",
               _l("Application %(ref)s was assigned to you.", ref=application.reference),
               inspector_link(application))
    return inspector


def claim_application(actor: User, application: Application) -> None:
    """An inspector takes an unassigned application of their committee and regions.

    :raise NotFound: the application is outside the actor's scope.
    :raise PermissionDenied: not an inspector of its territory, or someone has it already.
    :raise IllegalTransition: the application is a draft, concluded or closed (stale page).
    :raise Conflict: someone else claimed it at the same moment.
    """
    require_inspector(actor, application)
    _require_in_inspection(application, "claim", actor.role)
    if not in_inspector_territory(actor, application):
        raise PermissionDenied(_("Only inspectors of its committee and region may claim it."))
    if application.assignee_id is not None:
        raise PermissionDenied(_("This application is already assigned to %(name)s.",
                                 name=application.assignee.full_name))
    with transaction():
        result = db.session.execute(
            update(Application)
            .where(Application.id == application.id, Application.assignee_id.is_(None))
            .values(assignee_id=actor.id, version=Application.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise Conflict(_("Someone else claimed this application a moment ago. Reload."))
        record_event(actor, "application_claimed", object_type="application",
                     object_id=application.id, application_id=application.id,
                     data={"assignee_id": actor.id})
    db.session.expire(application)


def start_review(actor: User, application: Application) -> None:
    """Start the completeness check (submitted → under_review); an unassigned one becomes yours.

    The stage deadline stays the completeness deadline set at submission.
    :raise NotFound / PermissionDenied: as require_inspector().
    :raise IllegalTransition: not a submitted application (stale page).
    :raise Conflict: another request changed the state first.
    """
    require_inspector(actor, application)
    values = {} if application.assignee_id else {"assignee_id": actor.id}
    with transaction():
        apply_transition(actor, application, "start_review", values=values)


def reviewable_documents(application: Application) -> list[Document]:
    """Take an application; return the latest version of each document the check covers."""
    latest = latest_documents(application).values()
    return sorted((d for d in latest if d.document_type_code not in NOT_REVIEWED_TYPES),
                  key=lambda d: d.document_type_code)


def review_document(actor: User, application: Application, document_id: int,
                    decision: str, comment: str = "") -> Document:
    """Accept or reject the latest version of a document, with a comment; audited.

    :raise NotFound: the document is not the latest reviewable version of this application.
    :raise IllegalTransition: not in DOCUMENT_REVIEW_STATES (a stale page).
    :raise ValidationFailed: an unknown decision, or a rejection without a reason.
    """
    require_inspector(actor, application)
    if application.state not in DOCUMENT_REVIEW_STATES:
        raise IllegalTransition(application.state, "review_document", actor.role, defined=False)
    document = next((d for d in reviewable_documents(application) if d.id == document_id), None)
    if document is None:
        raise NotFound(_("No such document, or a newer version replaced it."))
    comment = (comment or "").strip()
    if decision not in DECISIONS:
        raise ValidationFailed({"decision": [_("Accept or reject the document.")]})
    if decision == "rejected" and not comment:
        raise ValidationFailed({"comment": [_("Say what is wrong with the document.")]})
    with transaction():
        _decide(actor, application, document, decision, comment)
    return document


def _decide(actor: User, application: Application, document: Document, decision: str,
            comment: str) -> None:
    """Record one decision on a document and its audit row (no commit)."""
    document.review_status, document.review_comment = decision, comment
    document.reviewed_by_id, document.reviewed_at = actor.id, utcnow()
    record_event(actor, f"document_{decision}", object_type="document",
                 object_id=document.id, application_id=application.id, comment=comment,
                 data={"type": document.document_type_code, "version": document.version})


def accept_remaining_documents(actor: User, application: Application) -> list[Document]:
    """Accept, in one go, every latest document not decided yet; one audit row each.

    :raise IllegalTransition: the application is not under review (stale page).
    :raise ValidationFailed: no document is left to decide.
    """
    require_inspector(actor, application)
    if application.state not in DOCUMENT_REVIEW_STATES:
        raise IllegalTransition(application.state, "review_document", actor.role, defined=False)
    pending = [d for d in reviewable_documents(application) if d.review_status == "pending"]
    if not pending:
        raise ValidationFailed({"": [_("Every document already has a decision.")]})
    with transaction():
        for document in pending:
            _decide(actor, application, document, "accepted", "")
    return pending


def default_response_deadline() -> date:
    """The exporter's default time to answer a correction request: 10 working days from today."""
    return working_calendar().add_working_days(local_today(), RESPONSE_WORKING_DAYS)


def deficiency_errors(deficiencies: str | None,
                      deadline: date | None) -> dict[str, list[str]]:
    """Take the deficiencies typed (one per line) and the response deadline (None when none
    could be read); return every error at once (empty when none). Changes nothing."""
    items = [line.strip() for line in (deficiencies or "").splitlines() if line.strip()]
    errors: dict[str, list[str]] = {}
    if not items:
        errors["deficiencies"] = [_("List at least one deficiency, one per line.")]
    if deadline is None or deadline <= local_today():
        errors["response_deadline"] = [_("Choose a response deadline after today.")]
    elif refusal := day_off_error(deadline):
        errors["response_deadline"] = [refusal]
    return errors


def return_for_corrections(actor: User, application: Application, deficiencies: str,
                           response_deadline: date | None) -> CorrectionRequest:
    """Return the application to the exporter with its deficiencies and a response deadline.

    Creates a correction request, sets the stage deadline to the response deadline and
    notifies the enterprise's users.
    :raise ValidationFailed: no deficiency, or a deadline not after today or on a day off.
    :raise IllegalTransition: not under review (stale page). :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    items = [line.strip() for line in (deficiencies or "").splitlines() if line.strip()]
    if errors := deficiency_errors(deficiencies, response_deadline):
        raise ValidationFailed(errors)
    with transaction():
        request = CorrectionRequest(application_id=application.id, source="inspection",
                                    deficiencies="\n".join(items),
                                    response_deadline=response_deadline, created_by_id=actor.id)
        db.session.add(request)
        apply_transition(actor, application, "return_for_corrections", comment="\n".join(items),
                         values={"stage_deadline": response_deadline},
                         data={"deadline": response_deadline.isoformat(), "items": len(items)})
        notify(enterprise_users(application.enterprise_id), "returned",
               _l("Application %(ref)s was returned for corrections. Please respond by %(date)s.",
                 ref=application.reference, date=LocalDate(response_deadline)),
               exporter_link(application))
    return request


def reject_application(actor: User, application: Application, reason: str) -> None:
    """Reject the application with a reason (terminal); the exporter is notified.

    :raise ValidationFailed: no reason given.
    :raise IllegalTransition: not under review (stale page). :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    with transaction():
        apply_transition(actor, application, "reject", comment=reason or "",
                         values={"stage_deadline": None})
        notify(enterprise_users(application.enterprise_id), "conclusion",
               _l("Application %(ref)s was rejected: %(reason)s", ref=application.reference,
                  reason=(reason or "").strip()),
               exporter_link(application))
