"""The chained audit trail: it verifies, and an edited or deleted row is named."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from certtrack.extensions import db
from certtrack.models import AuditEvent
from certtrack.services import applications
from certtrack.services.audit import chain_hash, verify_chain

from factories import make_exporter_with_application


@pytest.fixture
def history(ctx):
    """A few audited events: account, enterprise, establishment, draft, lines, documents,
    submission and withdrawal."""
    user, _e, _s, application = make_exporter_with_application(complete=True)
    applications.submit_application(user, application)
    applications.withdraw_application(user, application, "Season cancelled")
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_untouched_chain_verifies(history):
    assert history > 10
    report = verify_chain()
    assert report.broken_seq is None
    assert report.checked == history


def test_edited_comment_is_detected_at_its_row(history):
    seq = db.session.scalar(select(AuditEvent.seq).where(AuditEvent.action == "withdraw"))
    db.session.execute(text("UPDATE audit_event SET comment = 'All fine' WHERE seq = :seq"),
                       {"seq": seq})
    db.session.commit()
    db.session.expire_all()
    report = verify_chain()
    assert report.broken_seq == seq
    assert report.checked == seq - 1
    assert "hash" in report.reason


def test_edited_middle_row_is_detected_at_its_row(history):
    db.session.execute(text("UPDATE audit_event SET comment = 'x' WHERE seq = 3"))
    db.session.commit()
    db.session.expire_all()
    assert verify_chain().broken_seq == 3


def test_deleted_row_is_detected(history):
    db.session.execute(text("DELETE FROM audit_event WHERE seq = 4"))
    db.session.commit()
    db.session.expire_all()
    report = verify_chain()
    assert report.broken_seq == 4
    assert report.reason == "missing row"


def test_deleted_last_row_is_detected(history):
    db.session.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": history})
    db.session.commit()
    db.session.expire_all()
    assert verify_chain().broken_seq == history


def test_verify_audit_command_passes_on_an_intact_chain(history, runner):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert f"Audit chain intact: {history} rows verified." in result.output


def test_verify_audit_command_names_the_edited_row(history, runner):
    db.session.execute(text("UPDATE audit_event SET comment = 'tampered' WHERE seq = 5"))
    db.session.commit()
    db.session.expire_all()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "BROKEN at row 5" in result.output
    assert "4 rows verified before it" in result.output


def test_hash_does_not_depend_on_the_time_zone_the_database_returns(ctx):
    # PostgreSQL returns timestamptz in the session's time zone (Asia/Almaty on a Kazakh
    # server); the same instant must hash the same or every row would look edited.
    at = datetime(2026, 3, 20, 4, 30, 15, 123456, tzinfo=UTC)
    almaty = at.astimezone(timezone(timedelta(hours=5)))
    fields = {"seq": 1, "actor_id": None, "action": "login", "object_type": "user",
              "object_id": 1, "application_id": None, "from_state": None, "to_state": None,
              "comment": "", "data": {}}
    assert chain_hash("0" * 64, AuditEvent(at=at, **fields)) == \
        chain_hash("0" * 64, AuditEvent(at=almaty, **fields))
