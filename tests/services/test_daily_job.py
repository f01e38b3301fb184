"""`flask --app certtrack daily`: registrations past their validity expire, time-boxed
suspensions end, renewal reminders follow the regime, and a second run changes nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select, text

from certtrack.extensions import db
from certtrack.models import AuditEvent, Notification, OutboxEmail, Registration
from certtrack.services import applications, registrations

from factories import make_registration, make_user


@pytest.fixture
def registrar(ctx):
    return make_user("registrar", "registrar@example.kz")


def run_daily(runner, day: str) -> str:
    result = runner.invoke(args=["daily", "--today", day])
    assert result.exit_code == 0, result.output
    return result.output


def _status(registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def _reminders(exporter) -> list[str]:
    return list(db.session.scalars(select(Notification.dedupe_key).where(
        Notification.user_id == exporter.id, Notification.kind == "renewal_window")
        .order_by(Notification.id)))


def test_expires_registrations_past_validity_once(registrar, runner):
    exporter, application, registration = make_registration(registrar, date(2021, 3, 1))
    assert registration.valid_to == date(2026, 2, 28)
    assert "registrations expired: 0" in run_daily(runner, "2026-02-28")  # last valid day
    assert _status(registration).status == "active"

    output = run_daily(runner, "2026-03-01")
    assert "registrations expired: 1" in output
    assert _status(registration).status == "expired"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "expire")).all()
    assert (event.actor_id, event.from_state, event.to_state) == (None, "active", "expired")
    assert (event.object_type, event.application_id) == ("registration", application.id)
    assert _count(Notification, Notification.user_id == exporter.id,
                  Notification.kind == "expired") == 1

    audit_rows, emails = _count(AuditEvent), _count(OutboxEmail)
    again = run_daily(runner, "2026-03-01")
    assert "registrations expired: 0" in again and "suspensions lifted: 0" in again
    assert "renewal reminders: 0" in again
    assert (_count(AuditEvent), _count(OutboxEmail)) == (audit_rows, emails)


def test_lifts_a_suspension_after_its_end_date(registrar, runner):
    exporter, _application, registration = make_registration(registrar, date(2026, 7, 1))
    registrations.change_status(registrar, registration, "suspend", {
        "authority": "kazakh_authority", "reason": "Sanitary audit",
        "suspended_from": date(2026, 8, 1), "suspended_until": date(2026, 12, 10)})
    assert "suspensions lifted: 0" in run_daily(runner, "2026-12-10")
    assert _status(registration).status == "suspended"

    assert "suspensions lifted: 1" in run_daily(runner, "2026-12-11")
    lifted = _status(registration)
    assert (lifted.status, lifted.products_produced_from) == ("active", date(2026, 12, 11))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "resume"))
    assert (event.actor_id, event.from_state, event.to_state) == (None, "suspended", "active")
    assert _count(Notification, Notification.user_id == exporter.id,
                  Notification.kind == "resumed") == 1
    assert "suspensions lifted: 0" in run_daily(runner, "2026-12-12")


def test_an_open_ended_suspension_stays(registrar, runner):
    *_, registration = make_registration(registrar, date(2026, 7, 1))
    registrations.change_status(registrar, registration, "suspend", {
        "authority": "voluntary", "reason": "Plant refurbishment",
        "suspended_from": date(2026, 8, 1), "suspended_until": None})
    assert "suspensions lifted: 0" in run_daily(runner, "2027-06-01")
    assert _status(registration).status == "suspended"


def test_decree_248_reminders_at_opening_midpoint_and_a_month_before_closing(registrar, runner):
    exporter, _application, registration = make_registration(registrar, date(2021, 9, 1))
    # Valid to 2026-08-31: the window runs from 2026-02-28 (6 months) to 2026-05-31 (3 months).
    assert (registration.regime, registration.valid_to) == ("248", date(2026, 8, 31))
    assert "renewal reminders: 0" in run_daily(runner, "2026-02-27")
    assert "renewal reminders: 1 (to 1 users)" in run_daily(runner, "2026-02-28")
    assert "renewal reminders: 0" in run_daily(runner, "2026-02-28")
    assert "renewal reminders: 0" in run_daily(runner, "2026-03-20")
    assert "renewal reminders: 1" in run_daily(runner, "2026-04-16")  # midpoint 04-15 missed
    assert "renewal reminders: 1" in run_daily(runner, "2026-05-01")
    assert "renewal reminders: 0" in run_daily(runner, "2026-06-01")  # window closed
    prefix = f"renewal:{registration.id}:"
    assert _reminders(exporter) == [prefix + "2026-02-28", prefix + "2026-04-15",
                                    prefix + "2026-05-01"]
    message = db.session.scalar(select(Notification.message).where(
        Notification.kind == "renewal_window"))
    assert registration.china_number in message and "2026-05-31" in message
    assert _count(OutboxEmail, OutboxEmail.recipient == exporter.email) >= 3


def test_order_280_off_list_sends_no_reminder(registrar, runner):
    exporter, *_ = make_registration(registrar, date(2026, 6, 15))
    for day in ("2030-06-14", "2030-12-01", "2031-03-14"):
        assert "renewal reminders: 0" in run_daily(runner, day)
    assert _reminders(exporter) == []


def test_order_280_on_gacc_list_reminds_twelve_months_before_expiry(registrar, runner):
    exporter, _application, registration = make_registration(
        registrar, date(2026, 6, 15), category="meat", product="beef_chilled")
    assert registration.valid_to == date(2031, 6, 14)
    assert "renewal reminders: 0" in run_daily(runner, "2030-06-13")
    assert "renewal reminders: 1" in run_daily(runner, "2030-06-14")
    assert _reminders(exporter) == [f"renewal:{registration.id}:2030-06-14"]


def test_no_reminder_once_a_renewal_is_under_way(registrar, runner):
    exporter, application, registration = make_registration(registrar, date(2021, 9, 1))
    renewal = applications.create_application(exporter, {
        "kind": "renewal", "gacc_category_code": application.gacc_category_code,
        "establishment_id": application.establishment_id})
    renewal.renewal_of_id = registration.id
    db.session.commit()
    assert "renewal reminders: 0" in run_daily(runner, "2026-02-28")
    assert _reminders(exporter) == []


class FakeSmtp:
    """Stands in for smtplib.SMTP: records what would have been sent."""

    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def starttls(self):
        self.tls = True

    def login(self, user, password):
        self.user = user

    def send_message(self, message):
        FakeSmtp.sent.append((message["To"], message["Subject"], message["From"]))

    def quit(self):
        pass


def test_outbox_waits_without_smtp_and_is_sent_with_it(registrar, runner, app, monkeypatch):
    exporter, *_ = make_registration(registrar, date(2021, 3, 1))
    output = run_daily(runner, "2026-03-01")
    waiting = _count(OutboxEmail, OutboxEmail.sent_at.is_(None))
    assert waiting >= 1
    assert f"e-mails waiting in the outbox: {waiting} (set MAIL_SERVER" in output

    FakeSmtp.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSmtp)
    app.config.update(MAIL_SERVER="smtp.example.kz", MAIL_USERNAME="certtrack",
                      MAIL_FROM="certtrack <certtrack@example.kz>")
    output = run_daily(runner, "2026-03-02")
    assert f"e-mails sent: {waiting}, failed (retried next run): 0" in output
    assert _count(OutboxEmail, OutboxEmail.sent_at.is_(None)) == 0
    assert (exporter.email, "certtrack <certtrack@example.kz>") in {
        (to, sender) for to, _subject, sender in FakeSmtp.sent}


def test_on_sqlite_the_run_refreshes_the_query_planner_statistics(registrar, runner):
    """SQLite never gathers them on its own, and the register's plans depend on them."""
    make_registration(registrar, date(2025, 3, 1))
    output = run_daily(runner, "2026-03-02")
    if db.engine.dialect.name != "sqlite":
        assert "ANALYZE" not in output
        return
    assert "query planner statistics refreshed" in output
    analyzed = set(db.session.scalars(text(
        "SELECT idx FROM sqlite_stat1 WHERE tbl = 'registration'")))
    assert {"ix_registration_in_force", "ix_registration_enterprise_in_force"} <= analyzed
