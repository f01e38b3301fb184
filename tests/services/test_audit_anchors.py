"""The audit chain's daily head signed with the seal key: a chain rewritten end to end (every
hash recomputed, so the chain alone looks intact) no longer matches its anchor."""

from datetime import date

from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import AuditAnchor, AuditEvent, AuditHead
from certtrack.models.audit import GENESIS_HASH
from certtrack.services import anchors, audit
from certtrack.services.daily import run_daily

from factories import make_user

DAY = date(2026, 12, 4)


def _events(n: int):
    actor = make_user("admin")
    for i in range(n):
        audit.record_event(actor, "note", object_type="test", object_id=i, comment=f"row {i}")
    db.session.commit()


def _rewrite_whole_chain(comment: str) -> None:
    """What someone with write access could do: change row 2, then recompute every hash."""
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(comment=comment))
    prev = GENESIS_HASH
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        event.prev_hash = prev
        event.hash = prev = audit.chain_hash(prev, event)
    db.session.execute(update(AuditHead).values(last_hash=prev))
    db.session.commit()


def test_the_daily_run_signs_the_head_once_and_it_verifies(ctx):
    _events(3)
    first = run_daily(DAY).anchored
    assert first.startswith("row ") and "signed by" in first
    run_daily(DAY)
    anchor = db.session.scalars(select(AuditAnchor)).one()  # one per day, however many runs
    head = db.session.get(AuditHead, 1)
    assert (anchor.seq, anchor.head_hash) == (head.seq, head.last_hash)
    assert anchors.signature_valid(anchor)
    report = anchors.verify_anchors()
    assert (report.checked, report.problems) == (1, [])


def test_a_chain_rewritten_end_to_end_fails_its_anchor(ctx):
    _events(4)
    anchors.anchor_day(DAY)
    _rewrite_whole_chain("nothing happened here")
    assert audit.verify_chain().broken_seq is None  # the chain alone cannot tell
    report = anchors.verify_anchors()
    assert len(report.problems) == 1 and "rewritten" in report.problems[0]


def test_an_anchor_whose_hash_was_edited_fails_its_signature(ctx):
    _events(2)
    anchor = anchors.anchor_day(DAY)
    anchor.head_hash = "f" * 64
    db.session.commit()
    assert not anchors.signature_valid(anchor)
    assert "signature" in anchors.verify_anchors().problems[0]


def test_verify_audit_and_the_export_on_the_command_line(app, runner, ctx):
    _events(2)
    anchors.anchor_day(DAY)
    exported = runner.invoke(args=["export-audit-anchors"])
    assert exported.exit_code == 0 and '"seq": 3' in exported.output
    assert "Audit anchors intact: 1 signed heads" in runner.invoke(args=["verify-audit"]).output
    _rewrite_whole_chain("changed")
    broken = runner.invoke(args=["verify-audit"])
    assert broken.exit_code == 1 and "Audit anchor FAILS" in broken.output
