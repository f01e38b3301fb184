"""The daily job: end or renew registrations whose validity ended, lift time-boxed suspensions,
remind of renewal windows, tell inspectors of laboratory results expired before a conclusion,
warn administrators before the holiday data runs out and purge
sign-in and verification records older than 90 days."""

import smtplib
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.orm import joinedload

from certtrack.domain.renewal import Outcome, renewal_regime
from certtrack.domain.workflow import DomainError, RegistrationAction
from certtrack.extensions import db
from certtrack.models import OutboxEmail, Registration
from certtrack.services import (
    anchors,
    idempotency,
    lab_notices,
    registration_notices,
    registrations,
    renewals,
    sign_in,
    verification,
)
from certtrack.services.calendar_warning import warn_before_holiday_data_ends
from certtrack.services.errors import Conflict
from certtrack.services.local_dates import LocalDate, LocalName
from certtrack.services.notifications import enterprise_users, link, notify, send_outbox
from certtrack.services.permissions import SYSTEM
from certtrack.services.seal import SealUnavailable
from certtrack.services.transaction import transaction

ONE_DAY = timedelta(days=1)


@dataclass
class DailyReport:
    """What one run changed: registrations expired, cancelled, renewed and resumed, reminders
    sent, races lost, and the holiday-data warning when one is due."""

    expired: int = 0
    cancelled: int = 0
    renewed: int = 0
    resumed: int = 0
    reminders: int = 0
    reminded_users: int = 0
    expired_results: int = 0  # laboratory results told expired, awaiting the conclusion
    skipped: int = 0
    calendar_warning: str = ""
    sign_ins_purged: int = 0
    verifications_purged: int = 0
    idempotency_purged: int = 0
    anchored: str = ""  # the signed head of the audit chain, or why it could not be signed


def _system_change(registration: Registration, action: RegistrationAction,
                   values: dict, data: dict) -> bool:
    """Apply one system action in its own transaction; False when someone acted first."""
    try:
        with transaction():
            registrations.apply_registration_action(SYSTEM, registration, action, values=values,
                                                    data=data)
            registration_notices.notify_status(
                registration, action, dedupe_key=f"{action}:{registration.id}:{data['on']}")
    except (Conflict, DomainError):
        return False
    return True


def _due_for_expiry(today: date) -> list[Registration]:
    """Take a day; return the registrations in force whose last valid day is before it."""
    return list(db.session.scalars(select(Registration).where(
        Registration.status.in_(registrations.LIVE_STATUSES), Registration.valid_to < today)
        .order_by(Registration.id)))


def _due_for_resumption(today: date) -> list[Registration]:
    """Take a day; return the suspended registrations whose suspension ended before it."""
    return list(db.session.scalars(select(Registration).where(
        Registration.status == "suspended", Registration.suspended_until.is_not(None),
        Registration.suspended_until < today).order_by(Registration.id)))


def _renewal_candidates(today: date) -> list[Registration]:
    """Take a day; return registrations in force that expire within the longest window."""
    horizon = today + timedelta(days=366 + 31)
    return list(db.session.scalars(select(Registration).options(
        joinedload(Registration.gacc_category), joinedload(Registration.establishment)).where(
        Registration.status.in_(registrations.LIVE_STATUSES), Registration.valid_to >= today,
        Registration.valid_to <= horizon).order_by(Registration.id)))


def _end_of_validity(registration: Registration, today: date) -> str | None:
    """Apply what the renewal rule decides once the validity has ended; return the report's
    counter to move ('expired', 'cancelled', 'renewed') or None when someone acted first."""
    outcome = registrations.renewal(registration, today).outcome
    if outcome == Outcome.renew:
        return "renewed" if renewals.renew_automatically(registration, today) else None
    action = RegistrationAction.cancel if outcome == Outcome.cancel else RegistrationAction.expire
    data = {"on": today.isoformat(), "valid_to": registration.valid_to.isoformat(),
            "regime": renewal_regime(registration.valid_to)}
    if action == RegistrationAction.cancel:
        data["reason"] = "order_280_renewal_window_missed"
    if not _system_change(registration, action, {}, data):
        return None
    return "cancelled" if action == RegistrationAction.cancel else "expired"


def expire_registrations(today: date, report: DailyReport) -> None:
    """End every registration in force whose last valid day is before `today` as the renewal
    rule decides (domain.renewal): Decree 248 - expire; Order 280, category on GACC's list and
    no renewal applied for - cancel; Order 280, category off the list - renew automatically."""
    for registration in _due_for_expiry(today):
        counter = _end_of_validity(registration, today)
        if counter is None:
            report.skipped += 1
        else:
            setattr(report, counter, getattr(report, counter) + 1)


def lift_suspensions(today: date, report: DailyReport) -> None:
    """Resume every suspension whose end date is before `today`, for products made after it."""
    for registration in _due_for_resumption(today):
        produced_from = registration.suspended_until + ONE_DAY
        values = {"products_produced_from": produced_from, "suspended_until": None}
        data = {"on": today.isoformat(), "products_produced_from": produced_from.isoformat()}
        if _system_change(registration, RegistrationAction.resume, values, data):
            report.resumed += 1
        else:
            report.skipped += 1


def send_renewal_reminders(today: date, report: DailyReport) -> None:
    """Notify exporter users of each registration whose reminder day has come, once per day."""
    for registration, decision in registrations.renewals_due(_renewal_candidates(today), today):
        # the latest reminder day come: a run that missed some days sends that one only
        reminder = max((day for day in decision.reminders if day <= today), default=None)
        if reminder is None:
            continue
        opens, closes = decision.window
        message = _l("Apply to renew China registration %(number)s (%(establishment)s): the "
                    "renewal window is open from %(opens)s to %(closes)s; the registration "
                    "expires on %(valid_to)s.", number=registration.china_number,
                    establishment=LocalName.of(registration.establishment),
                    opens=LocalDate(opens),
                    closes=LocalDate(closes), valid_to=LocalDate(registration.valid_to))
        with transaction():
            sent = notify(enterprise_users(registration.enterprise_id), "renewal_window",
                          message, link("exporter.registrations"),
                          dedupe_key=f"renewal:{registration.id}:{reminder.isoformat()}")
        if sent:
            report.reminders += 1
            report.reminded_users += len(sent)


def run_daily(today: date) -> DailyReport:
    """Take the day to run for; end or renew registrations, lift suspensions, send reminders,
    warn of the holiday data's end and purge old sign-in and verification records and the
    API's stored answers. Idempotent.

    Each registration is changed in its own transaction with a system audit row (SYSTEM: no actor);
    notifications carry dedupe keys, so a second run the same day changes nothing.
    """
    report = DailyReport()
    expire_registrations(today, report)
    lift_suspensions(today, report)
    send_renewal_reminders(today, report)
    report.expired_results = lab_notices.tell_expired_results(today)
    report.calendar_warning = warn_before_holiday_data_ends(today)
    # Personal data kept no longer than needed: failed sign-ins (with their hashed addresses)
    # and public verifications go after 90 days.
    report.sign_ins_purged = sign_in.purge_attempts()
    report.verifications_purged = verification.purge_log()
    # The API's stored answers to keyed POSTs are replayed for a day (services/idempotency.py).
    report.idempotency_purged = idempotency.purge()
    report.anchored = _anchor(today)
    return report


def _anchor(today: date) -> str:
    """Sign the audit chain's head as today's anchor; what was signed, or why not."""
    try:
        anchor = anchors.anchor_day(today)
    except SealUnavailable as error:
        return f"NOT anchored: {error}"
    return f"row {anchor.seq}, {anchor.head_hash[:16]}…, signed by {anchor.signer}"


def refresh_planner_statistics() -> bool:
    """SQLite: gather the query planner's statistics again (ANALYZE, about half a second at the
    national scale). Its plans for the register, the queues and the searches depend on them,
    and SQLite, unlike PostgreSQL's autovacuum, never gathers them on its own. Returns whether
    it ran."""
    if db.engine.dialect.name != "sqlite":
        return False
    with transaction():
        db.session.execute(text("ANALYZE"))
    return True


def waiting_emails() -> int:
    """How many e-mails of the outbox have not been sent yet."""
    return db.session.scalar(select(func.count()).select_from(OutboxEmail).where(
        OutboxEmail.sent_at.is_(None))) or 0


class SmtpSender:
    """Sends outbox e-mails over one SMTP connection, opened on the first message."""

    def __init__(self, config) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
        if config.get("MAIL_USE_TLS"):
            connection.starttls()
        if config.get("MAIL_USERNAME"):
            connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        return connection

    def __call__(self, recipient: str, subject: str, body: str) -> None:
        """Send one e-mail; raises smtplib's errors, which send_outbox records."""
        if self.connection is None:
            self.connection = self._connect()
        message = EmailMessage()
        message["From"] = self.config.get("MAIL_FROM") or self.config.get("MAIL_USERNAME") or ""
        message["To"] = recipient
        message["Subject"] = " ".join(subject.split())  # a header is one line
        message.set_content(body)
        self.connection.send_message(message)

    def close(self) -> None:
        """Close the connection if one was opened."""
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                self.connection.close()
            self.connection = None


def send_waiting_emails(config, batch: int = 100) -> tuple[int, int]:
    """Take the app's config; send the outbox over SMTP in batches; return (sent, failed)."""
    sender = SmtpSender(config)
    sent = failed = 0
    try:
        while True:
            batch_sent, batch_failed = send_outbox(sender, limit=batch)
            sent, failed = sent + batch_sent, failed + batch_failed
            if batch_sent == 0 or batch_sent + batch_failed < batch:
                return sent, failed
    finally:
        sender.close()
