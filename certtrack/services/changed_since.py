"""Who changed an object last, and when, said to a reader whose page is older than that change:
a step sent from a stale page, or a form saved by someone else in the meantime."""

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from certtrack.extensions import db
from certtrack.models import AuditEvent
from certtrack.services.local_dates import format_moment


def last_change(object_type: str, object_id: int) -> AuditEvent | None:
    """The latest event of an object that a person recorded, or that the system recorded as a
    change of its state (the daily job's expiry, an automatic renewal), with its actor: who
    changed it last. The system's other steps (storing a rendered PDF) follow a person's and
    are passed over."""
    return db.session.scalar(
        select(AuditEvent).options(selectinload(AuditEvent.actor))
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id,
               or_(AuditEvent.actor_id.is_not(None), AuditEvent.to_state.is_not(None)))
        .order_by(AuditEvent.seq.desc()).limit(1))


def changed_since(reader, object_type: str, object_id: int, state: str | None = None
                  ) -> str | None:
    """The one sentence for a reader (the signed-in user) whose page is older than an object's
    last change: its state now (`state`, already in the reader's words, for an object that
    has one), who changed it last (the reader in another window or tab, a colleague by name,
    or the daily job) and when. None when the audit trail names no such change."""
    last = last_change(object_type, object_id)
    if last is None:
        return None
    when = format_moment(last.at)
    if state is None:
        return _without_state(reader, last, when)
    names = {"state": state, "time": when}
    if last.actor is None:
        return _("It is now “%(state)s”: the daily job changed it last, at %(time)s, after you "
                 "opened this page.", **names)
    if reader is not None and last.actor_id == reader.id:
        return _("It is now “%(state)s”: you changed it last, at %(time)s, after you opened "
                 "this page (in another window or tab).", **names)
    return _("It is now “%(state)s”: %(name)s changed it last, at %(time)s, after you opened "
             "this page.", name=last.actor.full_name, **names)


def _without_state(reader, last: AuditEvent, when: str) -> str:
    """A record of fields (an enterprise, an account): who saved it last, and when."""
    if last.actor is None:
        return _("The daily job changed this record after you opened this page, at %(time)s.",
                 time=when)
    if reader is not None and last.actor_id == reader.id:
        return _("You saved this record after you opened this page, at %(time)s (in another "
                 "window or tab).", time=when)
    return _("%(name)s saved this record after you opened this page, at %(time)s.",
             name=last.actor.full_name, time=when)
