"""Consignment state changes: the guarded update of the workflow table, with its audit row."""

from sqlalchemy import update

from certtrack.domain.consignment import TERMINAL_CONSIGNMENT_STATES, check_consignment_transition
from certtrack.extensions import db
from certtrack.models import Consignment, User
from certtrack.models.base import utcnow
from certtrack.services import reasons
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict
from certtrack.services.transaction import stale_message


def check_version(consignment: Consignment, version) -> None:
    """:raise Conflict: the page was loaded before someone else's change."""
    if version not in (None, "") and str(consignment.version) != str(version):
        raise Conflict(stale_message())


def apply_consignment_transition(actor: User, consignment: Consignment, action: str, *,
                                 comment: str = "", values: dict | None = None,
                                 data: dict | None = None) -> str:
    """Move the consignment along CONSIGNMENT_TRANSITIONS with an UPDATE guarded by the state
    the actor saw (of racing requests exactly one wins) and an audit row; no commit.

    :raise IllegalTransition: not allowed in this state for this role.
    :raise ValidationFailed: the transition needs a reason and none was given.
    :raise Conflict: another request changed the state first.
    """
    source = consignment.state
    transition = check_consignment_transition(source, action, actor.role)
    if transition.requires_comment:
        reasons.require_comment(comment, "comment",
                                final=transition.target in TERMINAL_CONSIGNMENT_STATES)
    now = utcnow()
    result = db.session.execute(
        update(Consignment).where(Consignment.id == consignment.id, Consignment.state == source)
        .values(state=transition.target.value, updated_at=now,
                version=Consignment.version + 1, **(values or {}))
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(stale_message())
    record_event(actor, f"consignment_{action}", object_type="consignment",
                 object_id=consignment.id, from_state=source, to_state=transition.target.value,
                 comment=comment.strip(), data=data)
    db.session.expire(consignment)
    return transition.target.value
