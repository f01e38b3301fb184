"""Why an application or a consignment was withdrawn: the exporter's reason, as the audit row
of the withdrawal keeps it (the pages show it in the history, the API beside the state)."""

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent

# The audit action of each kind of object's withdrawal.
WITHDRAWAL_ACTIONS = {"application": "withdraw", "consignment": "consignment_withdraw"}


def withdrawal_reasons(object_type: str, objects) -> dict[int, str]:
    """Take "application" or "consignment" and objects of that kind; return the reason of each
    withdrawn one by its id ("" for a draft withdrawn without one), in one query."""
    ids = [item.id for item in objects if item.state == "withdrawn"]
    if not ids:
        return {}
    rows = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.comment)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(ids),
               AuditEvent.action == WITHDRAWAL_ACTIONS[object_type])
        .order_by(AuditEvent.id))
    reasons = dict.fromkeys(ids, "")
    reasons.update({object_id: comment or "" for object_id, comment in rows})  # the newest wins
    return reasons
