"""The audit trail: every step of every application, plus the everyday edits, as a valid chain."""

from datetime import timedelta

from sqlalchemy import update

from bench.dataset.bulk import insert_rows
from bench.dataset.world import World
from certtrack.models import AuditEvent, AuditHead
from certtrack.models.audit import GENESIS_HASH
from certtrack.services.audit import chain_hash

# Edits between the workflow steps: uploads, saves, product lines, document reviews.
FILLERS = (("document_uploaded", "document"), ("application_updated", "application"),
           ("product_added", "application"), ("document_accepted", "document"))
FILLER_WEIGHTS = (5, 2, 1, 3)
LONG_TIMELINE_FILLERS = 150
WITH_REASON = frozenset({"return_for_corrections", "reject", "conclude_negative",
                         "record_gacc_return", "record_gacc_refusal"})


class _Event:
    """The fields chain_hash() reads, without an ORM object per row."""

    __slots__ = ("seq", "at", "actor_id", "action", "object_type", "object_id",
                 "application_id", "from_state", "to_state", "comment", "data")

    def __init__(self, seq: int, raw: tuple) -> None:
        (self.at, self.application_id, self.action, self.from_state, self.to_state,
         self.actor_id, self.object_type) = raw
        self.seq, self.object_id, self.data = seq, self.application_id, {}
        self.comment = "See the deficiencies listed." if self.action in WITH_REASON else ""


def insert_events(world: World) -> None:
    """Write the whole trail in time order with consecutive seq and chained hashes."""
    raw = _workflow_events(world)
    raw += _fillers(world, world.sizes.audit_rows - len(raw))
    raw.sort(key=lambda event: event[0])
    last = {"hash": GENESIS_HASH}
    world.counts["audit_event"] = insert_rows(world.conn, AuditEvent.__table__,
                                              _rows(raw, last), len(raw))
    world.conn.execute(update(AuditHead).where(AuditHead.id == 1)
                       .values(seq=len(raw), last_hash=last["hash"]))
    world.conn.commit()


def _workflow_events(world: World) -> list[tuple]:
    events = [(world.ago(1200 + serial % 400), None, "enterprise_registered", None, None,
               world.exporter_of[serial], "enterprise")
              for serial in range(1, world.sizes.enterprises + 1)]
    for plan in world.plans:
        owner = world.exporter_of[plan.enterprise_id]
        events.append((plan.created_at, plan.id, "application_created", None, "draft", owner,
                       "application"))
        events += [(step.at, plan.id, step.action, step.source, step.target, step.actor_id,
                    "application") for step in plan.steps]
    return events


def _fillers(world: World, count: int) -> list[tuple]:
    """`count` edits spread over submitted applications; the long timeline gets its share."""
    candidates = [plan for plan in world.plans if plan.steps]
    if count <= 0 or not candidates:
        return []
    rng, events = world.rng, []
    chosen = [world.plans[0]] * min(LONG_TIMELINE_FILLERS, count)
    chosen += [rng.choice(candidates) for _ in range(count - len(chosen))]
    kinds = rng.choices(FILLERS, FILLER_WEIGHTS, k=count)
    for plan, (action, object_type) in zip(chosen, kinds, strict=True):
        span = (plan.changed_at - plan.created_at).total_seconds()
        at = plan.created_at + timedelta(seconds=rng.uniform(0, span))
        actor = plan.assignee_id if action == "document_accepted" else \
            world.exporter_of[plan.enterprise_id]
        events.append((at, plan.id, action, None, None, actor, object_type))
    return events


def _rows(raw: list[tuple], last: dict):
    previous = GENESIS_HASH
    for seq, item in enumerate(raw, start=1):
        event = _Event(seq, item)
        digest = chain_hash(previous, event)
        yield {"id": seq, "seq": seq, "at": event.at, "actor_id": event.actor_id,
               "action": event.action, "object_type": event.object_type,
               "object_id": event.object_id, "application_id": event.application_id,
               "from_state": event.from_state, "to_state": event.to_state,
               "comment": event.comment, "data": event.data, "prev_hash": previous,
               "hash": digest}
        previous = digest
    last["hash"] = previous
