"""Renaming or moving a registered enterprise or establishment: a request that staff approve
or refuse.

GACC lists an establishment under the names and address it was registered with; a new name or
address is a change GACC has to be told of, so it takes effect only when the registrar
approves it. Until then the enterprise or establishment keeps its registered name and address,
and with them the public register and every certificate (they read both from the enterprise
and establishment rows).
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain.vocabulary import ChangeRequestStatus
from certtrack.domain.workflow import LIVE_REGISTRATION_STATUSES, Role
from certtrack.extensions import db
from certtrack.models import Enterprise, Establishment, NameChangeRequest, Registration, User
from certtrack.models.base import utcnow
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict, NotFound
from certtrack.services.local_dates import LocalName
from certtrack.services.notifications import enterprise_users, link, notify
from certtrack.services.permissions import require_registrar
from certtrack.services.reasons import require_reason
from certtrack.services.transaction import stale_message, transaction

HELD_STATUSES = LIVE_REGISTRATION_STATUSES
ENTERPRISE_NAMES = ("name_en", "name_kk", "name_ru", "name_zh")
ESTABLISHMENT_NAMES = ("name", "name_ru", "name_en", "name_zh")  # in every language, as listed
# What a registration holds back until approved: the names, and the (legal) address that the
# certificate of export eligibility prints beside them.
ENTERPRISE_HELD = (*ENTERPRISE_NAMES, "address")
ESTABLISHMENT_HELD = (*ESTABLISHMENT_NAMES, "address", "address_ru", "address_en", "address_zh")


def holds_registration(enterprise: Enterprise, establishment: Establishment | None) -> bool:
    """True when the enterprise (or this establishment of it) holds a registration in force."""
    query = select(Registration.id).where(Registration.status.in_(HELD_STATUSES))
    if establishment is not None:
        query = query.where(Registration.establishment_id == establishment.id)
    else:
        query = query.where(Registration.enterprise_id == enterprise.id)
    return db.session.scalar(query.limit(1)) is not None


def hold_back(actor: User, enterprise: Enterprise, establishment: Establishment | None,
              proposed: dict[str, str]) -> NameChangeRequest | None:
    """Inside the caller's transaction: when the names and addresses in `proposed` (the fields
    of ENTERPRISE_HELD or ESTABLISHMENT_HELD) differ from the registered ones and a
    registration is held, file (or update) the pending request and tell the registrars; the
    caller leaves those fields as they are. None when they may change now."""
    target = establishment if establishment is not None else enterprise
    registered = {field: getattr(target, field) for field in proposed}
    if proposed == registered or not holds_registration(enterprise, establishment):
        return None
    request = _pending(enterprise.id, establishment.id if establishment else None)
    if request is None:
        request = NameChangeRequest(
            enterprise_id=enterprise.id, status=ChangeRequestStatus.pending,
            establishment_id=establishment.id if establishment else None)
        db.session.add(request)
    request.proposed, request.registered = dict(proposed), registered
    request.requested_by_id, request.requested_at = actor.id, utcnow()
    db.session.flush()
    record_event(actor, "name_change_requested", object_type="name_change_request",
                 object_id=request.id, data={"proposed": request.proposed,
                                             "registered": registered})
    registrars = db.session.scalars(select(User).where(User.role == Role.registrar))
    notify(registrars, "name_change_requested",
           _l("%(name)s asks to change a registered name or address.",
              name=LocalName.of(enterprise)),
           link("registrar.name_changes_list"))
    return request


def _pending(enterprise_id: int, establishment_id: int | None) -> NameChangeRequest | None:
    return db.session.scalar(select(NameChangeRequest).where(
        NameChangeRequest.enterprise_id == enterprise_id,
        NameChangeRequest.establishment_id.is_(None) if establishment_id is None
        else NameChangeRequest.establishment_id == establishment_id,
        NameChangeRequest.status == ChangeRequestStatus.pending))


def waiting_values(enterprise: Enterprise,
                   establishment: Establishment | None = None) -> dict[str, str]:
    """The names and addresses a pending request proposes, for the form that edits them again:
    a second save replaces the request, so it starts from what is waiting (it started from the
    registered values, and a new name dropped the address waiting beside it)."""
    request = _pending(enterprise.id, establishment.id if establishment is not None else None)
    return dict(request.proposed) if request is not None else {}


def pending_requests() -> list[NameChangeRequest]:
    """Every request waiting for a decision, oldest first (one query, names joined)."""
    return list(db.session.scalars(select(NameChangeRequest).where(
        NameChangeRequest.status == ChangeRequestStatus.pending)
        .order_by(NameChangeRequest.requested_at, NameChangeRequest.id)).unique())


def pending_for(enterprise: Enterprise) -> list[NameChangeRequest]:
    """The enterprise's requests still waiting, for its own page."""
    return [request for request in pending_requests() if request.enterprise_id == enterprise.id]


def waiting(actor: User, request_id: int) -> NameChangeRequest:
    """A request still waiting for a registrar's decision.

    :raise PermissionDenied: the actor is not a registrar.
    :raise NotFound: no such request waiting.
    """
    require_registrar(actor)
    request = db.session.get(NameChangeRequest, request_id)
    if request is None or request.status != ChangeRequestStatus.pending:
        raise NotFound(_("This change request is no longer waiting for a decision."))
    return request


def decided(actor: User, request_id: int) -> tuple[NameChangeRequest, User | None] | None:
    """A request no longer waiting - approved or refused - and the registrar who decided it,
    for a decision sent from a page loaded before that one; None when it waits or is unknown.

    :raise PermissionDenied: the actor is not a registrar.
    """
    require_registrar(actor)
    request = db.session.get(NameChangeRequest, request_id)
    if request is None or request.status == ChangeRequestStatus.pending:
        return None
    return request, db.session.get(User, request.decided_by_id) if request.decided_by_id else None


def decide(actor: User, request_id: int, approve: bool, reason: str = "",
           version: int | str | None = None) -> NameChangeRequest:
    """Approve (the names take effect now) or refuse (with a reason) a pending request.

    :raise PermissionDenied: the actor is not a registrar.
    :raise NotFound: no such request waiting.
    :raise ValidationFailed: a refusal without a reason.
    :raise Conflict: decided by someone else meanwhile (stale version).
    """
    request = waiting(actor, request_id)
    reason = (reason or "").strip()
    if not approve:
        require_reason(reason)
    if version not in (None, "") and str(version) != str(request.version):
        raise Conflict(stale_message())
    with transaction():
        _apply(actor, request, approve, reason)
    return request


def _apply(actor: User, request: NameChangeRequest, approve: bool, reason: str) -> None:
    request.status = ChangeRequestStatus.approved if approve else ChangeRequestStatus.refused
    request.decided_by_id, request.decided_at, request.reason = actor.id, utcnow(), reason
    target = request.establishment or request.enterprise
    named = LocalName.of(target)  # as registered: the name the exporter asked to change
    if approve:
        for field, value in request.proposed.items():
            if field in ENTERPRISE_HELD + ESTABLISHMENT_HELD:
                setattr(target, field, value)
    record_event(actor, f"name_change_{request.status}", object_type="name_change_request",
                 object_id=request.id, comment=reason, data={"proposed": request.proposed})
    message = (_l("The new name or address of %(name)s was approved and now shows in the "
                  "register.", name=named) if approve else
               _l("The new name or address of %(name)s was refused: %(reason)s", name=named,
                  reason=reason))
    notify(enterprise_users(request.enterprise_id), "name_change_decided", message,
           link("exporter.enterprise"))
