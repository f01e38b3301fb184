"""In-app notifications and the e-mail outbox that mirrors them."""

from functools import cache
from typing import Any, NamedTuple

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import bindparam, func, select, update

from certtrack.domain.verification import verification_url as domain_verification_url
from certtrack.domain.vocabulary import NotificationKind, codes
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Notification, OutboxEmail, User
from certtrack.models.base import utcnow
from certtrack.services import stored_messages, webhooks
from certtrack.services.transaction import transaction

KINDS = codes(NotificationKind)


class Link(NamedTuple):
    """Where a notification leads: an endpoint of the web application and its arguments."""

    endpoint: str
    args: dict[str, Any]


def link(endpoint: str, **args) -> Link:
    """A Link to `endpoint` with `args` (the values of its URL rule)."""
    return Link(endpoint, args)


def exporter_link(application) -> Link:
    """The exporter's page of an application."""
    return link("exporter.application", application_id=application.id)


def inspector_link(application) -> Link:
    """The inspector's page of an application."""
    return link("inspector.application", application_id=application.id)


def app_path(endpoint: str, **args) -> str:
    """The path of an endpoint, built from the app's URL map without a request."""
    return current_app.url_map.bind("localhost").build(endpoint, args)


def public_url(endpoint: str, **args) -> str:
    """The absolute URL of an endpoint under PUBLIC_BASE_URL (e-mails, the QR code)."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    return base + app_path(endpoint, **args)


def verification_url(number: str, code: str, kind: str = "certificate") -> str:
    """The canonical verification address of a certificate under PUBLIC_BASE_URL: the one
    address its QR code, printed link and JSON carry (domain.verification)."""
    return domain_verification_url(current_app.config["PUBLIC_BASE_URL"], number, code, kind)


def notify(users, kind: str, message, target: Link | None = None,
           dedupe_key: str | None = None) -> list[Notification]:
    """Queue a notification (and its e-mail) for each active user, in the caller's transaction.

    `message` is best a lazy string (flask_babel.lazy_gettext): it is rendered in each
    recipient's own language, not the actor's, for the e-mail, and kept untranslated for the
    page, which shows it in the language its reader has then (`message_of`). `target` is
    where the notification leads. A `dedupe_key` already used for a user skips that user, so
    that a job run twice notifies once.
    """
    created = []
    endpoint, args = target if target is not None else ("", {})
    message_id, message_args = stored_messages.keep(message) or (None, None)
    for user in {u.id: u for u in users if u is not None and u.is_active}.values():
        if dedupe_key and db.session.scalar(select(Notification.id).where(
                Notification.user_id == user.id, Notification.dedupe_key == dedupe_key)):
            continue
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            text = str(message)
        note = Notification(user_id=user.id, kind=kind, message=text, message_id=message_id,
                            message_args=message_args, endpoint=endpoint,
                            endpoint_args=dict(args), dedupe_key=dedupe_key)
        db.session.add(note)
        db.session.flush()
        db.session.add(OutboxEmail(recipient=user.email, subject=_subject(text),
                                   body=_email_body(text, target), notification_id=note.id))
        created.append(note)
    webhooks.queue_for(created)
    return created


def message_of(note: Notification) -> str:
    """The notification's text in the current language; as it was written when it was not
    kept untranslated (a plain text, or made before notifications kept them)."""
    if note.message_id is None:
        return note.message
    try:
        return stored_messages.render(note.message_id, note.message_args or {})
    except ValueError:
        current_app.logger.warning("notification %s: kept message does not render", note.id)
        return note.message


def _email_body(message: str, target: Link | None) -> str:
    if target is None:
        return f"{message}\n"
    return f"{message}\n\n{public_url(target.endpoint, **target.args)}\n"


def enterprise_users(enterprise_id: int) -> list[User]:
    """The exporter accounts bound to an enterprise."""
    return list(db.session.scalars(select(User).where(User.enterprise_id == enterprise_id,
                                                      User.role == Role.exporter)))


def unread_count(user: User) -> int:
    """How many notifications the user has not read."""
    return db.session.scalar(_unread_statement(), {"user_id": user.id}) or 0


@cache
def _unread_statement():
    """Every signed-in page runs it (the navigation's count): built once."""
    return select(func.count()).select_from(Notification).where(
        Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def list_notifications(user: User, page: int = 1):
    """One page of the user's notifications, newest first."""
    query = (select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"], error_out=False)


def mark_read(user: User, notification_id: int) -> bool:
    """Mark one of the user's notifications as read (another's is left alone); True when it
    was unread."""
    with transaction():
        result = db.session.execute(update(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id,
            Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount == 1


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user as read; return how many."""
    with transaction():
        result = db.session.execute(update(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow()))
    return result.rowcount


def _subject(text: str) -> str:
    """An e-mail's subject: the notice on one line (a reason typed over several lines put line
    breaks in the header, which no mail server takes), at most 120 characters of it."""
    return f"certtrack: {' '.join(text.split())[:120]}"


def send_outbox(send, limit: int = 100) -> tuple[int, int]:
    """Hand unsent e-mails to `send(recipient, subject, body)`; return (sent, failed).

    A failure is recorded on the row and retried on the next run, after the e-mails tried
    fewer times: one that always fails does not hold the others back.
    """
    sent = failed = 0
    rows = db.session.scalars(select(OutboxEmail).where(OutboxEmail.sent_at.is_(None))
                              .order_by(OutboxEmail.attempts, OutboxEmail.id).limit(limit))
    for email in list(rows):
        with transaction():
            if _deliver(send, email):
                sent += 1
            else:
                failed += 1
    return sent, failed


def _deliver(send, email: OutboxEmail) -> bool:
    """Hand one e-mail over; record the attempt and its outcome on the row (no commit)."""
    email.attempts += 1
    try:
        send(email.recipient, email.subject, email.body)
    except Exception as error:  # noqa: BLE001 - any SMTP failure is recorded and retried
        email.last_error = str(error)[:1000]
        return False
    email.sent_at = utcnow()
    return True


