"""Webhooks: an exporter's or a laboratory's system told of the state changes of its objects.

Each notification of a user with a webhook also queues a delivery in the same transaction (the
outbox of machines, as the e-mail outbox is of people); `deliver_due()` posts what is due, signed
with HMAC-SHA256 of the webhook's secret, and retries with backoff. Targets are checked against
server-side request forgery: no loopback, private, link-local or reserved address (a name is
resolved, and resolved again at each delivery) unless the settings allow it for development.
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Notification, User, Webhook, WebhookDelivery
from certtrack.models.base import utcnow
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, PermissionDenied, ValidationFailed
from certtrack.services.reasons import require_reason
from certtrack.services.transaction import transaction

SIGNATURE_HEADER = "Certtrack-Signature"
EVENT_HEADER = "Certtrack-Event"
DELIVERY_HEADER = "Certtrack-Delivery"
MAX_WEBHOOKS = 5
MAX_ATTEMPTS = 8  # about 4 hours of backoff: 1, 2, 4 ... 128 minutes
TIMEOUT_SECONDS = 10
ROLES = frozenset({Role.exporter, Role.laboratory})


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`.

    A receiver recomputes v1 with the shared secret over the timestamp, a dot and the raw body,
    compares in constant time, and refuses a timestamp older than a few minutes (replays).
    """
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _private_allowed() -> bool:
    allowed = current_app.config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS")
    if allowed is None:
        return bool(current_app.debug or current_app.testing)
    return bool(allowed)


def _public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def target_problem(url: str) -> str | None:
    """Why `url` may not receive webhooks, or None: HTTPS only (HTTP too when private targets
    are allowed), a host that resolves, and only to public addresses in production."""
    parts = urlsplit(url or "")
    private_ok = _private_allowed()
    if parts.scheme != "https" and not (private_ok and parts.scheme == "http"):
        return _("The address must start with https://.")
    if not parts.hostname or parts.username or parts.password:
        return _("The address must name a host, without a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError):
        return _("The host of this address cannot be found.")
    if not private_ok and not all(_public_address(info[4][0]) for info in infos):
        return _("The address leads to a private or local network; webhooks go to public "
                 "addresses only.")
    return None


def _require_role(actor: User) -> None:
    if actor.role not in ROLES:
        raise PermissionDenied(_("Webhooks are for exporters' and laboratories' systems."))


def list_webhooks(actor: User) -> list[Webhook]:
    """The actor's webhooks, newest first, disabled ones included."""
    _require_role(actor)
    return list(db.session.scalars(select(Webhook).where(Webhook.user_id == actor.id)
                                   .order_by(Webhook.id.desc())))


def get_webhook(actor: User, webhook_id: int) -> Webhook:
    """One of the actor's webhooks.

    :raise NotFound: not a webhook of the actor.
    """
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None or webhook.user_id != actor.id:
        raise NotFound(_("No such webhook."))
    return webhook


def register_webhook(actor: User, url: str) -> Webhook:
    """Register an endpoint for the actor's notifications; its secret is on the webhook.

    :raise PermissionDenied: neither an exporter nor a laboratory.
    :raise ValidationFailed: a target refused (scheme, host, private address), one already
        active, or too many.
    """
    _require_role(actor)
    url = (url or "").strip()
    if problem := target_problem(url):
        raise ValidationFailed({"url": [problem]})
    active = [w for w in list_webhooks(actor) if w.disabled_at is None]
    if any(w.url == url for w in active):  # each notification would be posted to it twice
        raise ValidationFailed({"url": [_("A webhook of this address is already active.")]})
    if len(active) >= MAX_WEBHOOKS:
        raise ValidationFailed({"url": [_("At most %(num)d webhooks are active at once; "
                                          "disable one first.", num=MAX_WEBHOOKS)]})
    with transaction():
        webhook = Webhook(user_id=actor.id, url=url, secret=secrets.token_hex(32))
        db.session.add(webhook)
        db.session.flush()
        record_event(actor, "webhook_registered", object_type="webhook", object_id=webhook.id,
                     data={"url": url})
    return webhook


def disable_webhook(actor: User, webhook_id: int, reason: str) -> Webhook:
    """Stop deliveries to one of the actor's webhooks for good (its log stays).

    :raise NotFound: not a webhook of the actor. :raise ValidationFailed: no reason, or one
        shorter than domain.reasons.REASON_MIN_LENGTH.
    """
    webhook = get_webhook(actor, webhook_id)
    reason = require_reason(reason)  # final: deliveries stop for good
    if webhook.disabled_at is None:
        with transaction():
            webhook.disabled_at = utcnow()
            record_event(actor, "webhook_disabled", object_type="webhook",
                         object_id=webhook.id, comment=reason, data={"url": webhook.url})
    return webhook


def deliveries(actor: User, limit: int = 50) -> list[WebhookDelivery]:
    """The latest deliveries to the actor's webhooks, newest first (the page's log)."""
    _require_role(actor)
    return list(db.session.scalars(
        select(WebhookDelivery).join(Webhook).where(Webhook.user_id == actor.id)
        .options(contains_eager(WebhookDelivery.webhook))
        .order_by(WebhookDelivery.id.desc()).limit(limit)))


def queue_for(notes: list[Notification]) -> None:
    """Queue a delivery of each notification to its user's active webhooks, in the caller's
    transaction (called by notifications.notify)."""
    users = {note.user_id for note in notes}
    if not users:
        return
    hooks = db.session.scalars(select(Webhook).where(Webhook.user_id.in_(users),
                                                     Webhook.disabled_at.is_(None))).all()
    for note in notes:
        for webhook in (w for w in hooks if w.user_id == note.user_id):
            db.session.add(WebhookDelivery(
                webhook_id=webhook.id, notification_id=note.id, event=note.kind,
                payload={"event": note.kind, "message": note.message,
                         "object": {"page": note.endpoint, **(note.endpoint_args or {})},
                         "created_at": utcnow().isoformat()}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new target: following it would pass the address check."""

    def redirect_request(self, *_args, **_kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Send one delivery; the answer's status (None when none came) and an error text."""
    if problem := target_problem(webhook.url):
        return None, problem
    body = json.dumps({"id": delivery.id, **delivery.payload}, ensure_ascii=False).encode()
    # The scheme is https (or http where allowed): target_problem() checked it just now.
    request = urllib.request.Request(webhook.url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", "User-Agent": "certtrack-webhooks",
        EVENT_HEADER: delivery.event, DELIVERY_HEADER: str(delivery.id),
        SIGNATURE_HEADER: sign(webhook.secret, int(time.time()), body)})
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        return None, str(error)[:500]


def _record(delivery: WebhookDelivery, status: int | None, error: str) -> None:
    delivery.attempts += 1
    delivery.last_status = status
    if status is not None and 200 <= status < 300:
        delivery.delivered_at = utcnow()
        delivery.last_error = ""
        return
    delivery.last_error = error or _("No answer.")
    delivery.next_attempt_at = utcnow() + timedelta(minutes=2 ** (delivery.attempts - 1))


def deliver_due(limit: int = 100) -> tuple[int, int]:
    """Post the deliveries that are due (each in its own short transaction, so that one slow
    target delays no other's record); return (delivered, failed)."""
    due = db.session.scalars(
        select(WebhookDelivery).join(Webhook).where(
            WebhookDelivery.delivered_at.is_(None), Webhook.disabled_at.is_(None),
            WebhookDelivery.attempts < MAX_ATTEMPTS, WebhookDelivery.next_attempt_at <= utcnow())
        .order_by(WebhookDelivery.id).limit(limit)).all()
    delivered = failed = 0
    for delivery in due:
        status, error = _post(delivery.webhook, delivery)
        with transaction():
            _record(delivery, status, error)
        delivered += delivery.delivered_at is not None
        failed += delivery.delivered_at is None
    return delivered, failed
