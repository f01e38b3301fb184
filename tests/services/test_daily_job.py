"""`flask --app certtrack daily`: registrations past their validity expire, time-boxed
suspensions end, renewal reminders follow the regime, and a second run changes nothing."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select, text

from certtrack.extensions import db
from certtrack.models import AuditEvent, Notification, OutboxEmail, Registration
from certtrack.services import applications, status_changes
from certtrack.services.inputs import ApplicationInput, StatusChangeInput

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
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "kazakh_authority", "reason": "Sanitary audit",
        "suspended_from": date(2026, 8, 1), "suspended_until": date(2026, 12, 10)}))
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
    status_changes.change_status(registrar, registration, "suspend",
        StatusChangeInput.from_mapping({
        "authority": "voluntary", "reason": "Plant refurbishment",
        "suspended_from": date(2026, 8, 1), "suspended_until": None}))
    assert "suspensions lifted: 0" in run_daily(runner, "2027-06-01")
    assert _status(registration).status == "suspended"


def test_decree_248_reminders_at_opening_midpoint_and_a_month_before_closing(registrar, runner):
    # Ends on 2026-05-14, under Decree 248 (an end from 2026-06-01 would follow Order 280):
    # the window runs from 2025-11-14 (6 months) to 2026-02-14 (3 months).
    exporter, _application, registration = make_registration(registrar, date(2021, 5, 15))
    assert (registration.regime, registration.valid_to) == ("248", date(2026, 5, 14))
    assert "renewal reminders: 0" in run_daily(runner, "2025-11-13")
    assert "renewal reminders: 1 (to 1 users)" in run_daily(runner, "2025-11-14")
    assert "renewal reminders: 0" in run_daily(runner, "2025-11-14")
    assert "renewal reminders: 0" in run_daily(runner, "2025-12-01")
    assert "renewal reminders: 1" in run_daily(runner, "2025-12-31")  # midpoint 12-30 missed
    assert "renewal reminders: 1" in run_daily(runner, "2026-01-15")
    assert "renewal reminders: 0" in run_daily(runner, "2026-02-15")  # window closed
    prefix = f"renewal:{registration.id}:"
    assert _reminders(exporter) == [prefix + "2025-11-14", prefix + "2025-12-30",
                                    prefix + "2026-01-15"]
    message = db.session.scalar(select(Notification.message).where(
        Notification.kind == "renewal_window"))
    assert registration.china_number in message and "Feb 14, 2026" in message
    assert _count(OutboxEmail, OutboxEmail.recipient == exporter.email) >= 3


def test_listed_under_decree_248_but_ending_under_order_280_gets_no_248_window(registrar,
                                                                               runner):
    # Listed in 2021, ends 2026-08-31: Order 280 decides, and edible grains renew
    # automatically - no Decree 248 window in 2026 after Decree 248 stopped applying.
    exporter, _application, registration = make_registration(registrar, date(2021, 9, 1))
    assert registration.regime == "248"
    for day in ("2026-02-28", "2026-04-15", "2026-05-01"):
        assert "renewal reminders: 0" in run_daily(runner, day)
    assert _reminders(exporter) == []


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
    exporter, application, registration = make_registration(registrar, date(2021, 5, 15))
    renewal = applications.create_application(exporter, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": application.gacc_category_code,
        "establishment_id": application.establishment_id}))
    renewal.kind, renewal.renewal_of_id = "renewal", registration.id  # as started on 14 Nov
    db.session.commit()
    assert "renewal reminders: 1" in run_daily(runner, "2025-11-14")  # a draft is not sent
    renewal.state = "submitted"  # as submitted on 15 Nov
    db.session.commit()
    assert "renewal reminders: 0" in run_daily(runner, "2026-01-15")  # the window's midpoint
    assert len(_reminders(exporter)) == 1


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


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_order_280_off_the_list_renews_automatically_across_valid_to(registrar, runner):
    from certtrack.services import certificates

    exporter, _application, registration = make_registration(registrar, date(2021, 6, 2))
    assert registration.valid_to == date(2026, 6, 1)  # first day under Order 280
    with time_machine.travel(datetime(2026, 5, 20, 6, tzinfo=UTC), tick=False):
        certificates.issue_certificate(registrar, registration)  # while it was in force
    output = run_daily(runner, "2026-06-01")
    assert "renewed automatically (Order 280): 0" in output
    assert "registrations expired: 0" in output

    output = run_daily(runner, "2026-06-02")
    assert "renewed automatically (Order 280): 1" in output
    assert "registrations expired: 0" in output
    renewed = _status(registration)
    assert (renewed.status, renewed.valid_from, renewed.valid_to, renewed.regime) == (
        "active", date(2026, 6, 2), date(2031, 6, 1), "280")
    [event] = _events("registration_renewed_automatically")
    assert (event.actor_id, event.from_state, event.to_state) == (None, "active", "active")
    assert (event.data["previous_valid_to"], event.data["valid_to"]) == ("2026-06-01",
                                                                         "2031-06-01")
    told = db.session.scalar(select(Notification.message).where(
        Notification.user_id == exporter.id, Notification.kind == "renewed"))
    assert registration.china_number in told and "Jun 1, 2031" in told
    offer = db.session.scalar(select(Notification.message).where(
        Notification.user_id == registrar.id, Notification.kind == "renewed"))
    assert "issue a replacement" in offer

    again = run_daily(runner, "2026-06-02")
    assert "renewed automatically (Order 280): 0" in again
    assert len(_events("registration_renewed_automatically")) == 1

    # GACC's suspension from a day before the renewal, recorded after it: the registration
    # was in force then (it was refused as "before the registration took effect").
    status_changes.change_status(registrar, renewed, "suspend", StatusChangeInput.from_mapping(
        {"authority": "gacc", "suspended_from": date(2026, 5, 28), "reason": "GACC notice 77"}))
    assert _status(registration).suspended_from == date(2026, 5, 28)


def test_order_280_on_the_list_window_missed_is_cancelled(registrar, runner):
    exporter, _application, registration = make_registration(
        registrar, date(2021, 6, 2), category="meat", product="beef_chilled")
    assert registration.valid_to == date(2026, 6, 1)
    assert "cancelled (Order 280 renewal window missed): 0" in run_daily(runner, "2026-06-01")
    assert _status(registration).status == "active"
    output = run_daily(runner, "2026-06-02")
    assert "cancelled (Order 280 renewal window missed): 1" in output
    assert "registrations expired: 0" in output
    assert _status(registration).status == "cancelled"
    [event] = _events("cancel")
    assert (event.actor_id, event.to_state, event.data["regime"]) == (None, "cancelled", "280")
    assert _count(Notification, Notification.user_id == exporter.id,
                  Notification.kind == "cancelled") == 1


def test_order_280_on_the_list_applied_for_in_time_expires_without_gaccs_decision(registrar,
                                                                                  runner):
    exporter, application, registration = make_registration(
        registrar, date(2021, 6, 2), category="meat", product="beef_chilled")
    renewal = applications.create_application(exporter, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": application.gacc_category_code,
        "establishment_id": application.establishment_id}))
    renewal.kind, renewal.renewal_of_id, renewal.state = "renewal", registration.id, "submitted"
    db.session.commit()
    output = run_daily(runner, "2026-06-02")
    assert "registrations expired: 1" in output and "window missed): 0" in output
    assert _status(registration).status == "expired"


def test_decree_248_last_day_31_may_2026_expires_even_when_listed(registrar, runner):
    _exporter, _application, registration = make_registration(
        registrar, date(2021, 6, 1), category="meat", product="beef_chilled")
    assert registration.valid_to == date(2026, 5, 31)
    output = run_daily(runner, "2026-06-01")
    assert "registrations expired: 1" in output and "window missed): 0" in output
    assert _status(registration).status == "expired"
    [event] = _events("expire")
    assert event.data["regime"] == "248"


def test_daily_warns_administrators_90_days_before_the_holiday_data_runs_out(registrar,
                                                                               runner):
    admin = make_user("admin", "admin@example.kz")
    # The data ends on 2027-12-31 (the last year with Kurban Ait in holidays.csv).
    assert "WARNING" not in run_daily(runner, "2027-10-01")
    output = run_daily(runner, "2027-10-02")
    assert ("WARNING: holiday data is loaded until 2027-12-31: add Kurban Ait and the "
            "Government's transfers for 2028") in output
    assert "WARNING" in run_daily(runner, "2027-10-03")  # printed every day
    notes = list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == admin.id, Notification.kind == "holiday_data")))
    assert len(notes) == 1 and "Holiday data for 2028 is not loaded yet" in notes[0]


def test_on_postgresql_the_run_recounts_the_tally_of_applications_by_state(registrar, runner):
    """The tally's rows (one per state a statement changed) become one per state; the counts
    stay. SQLite keeps no tally and the run says nothing of it."""
    make_registration(registrar, date(2025, 3, 1))
    output = run_daily(runner, "2026-03-02")
    if db.engine.dialect.name != "postgresql":
        assert "tally" not in output
        return
    assert "PostgreSQL tally of applications by state recounted:" in output
    assert "WARNING: the tally was off" not in output
    rows = db.session.execute(text("SELECT state, applications FROM application_state_count"))
    assert dict(rows.all()) == {"registered": 1}
