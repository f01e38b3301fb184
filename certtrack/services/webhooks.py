"""Webhooks: an exporter's or a laboratory's system told of the state changes of its objects.

Each notification of a user with a webhook also queues a delivery in the same transaction (the
outbox of machines, as the e-mail outbox is of people); `deliver_due()` posts what is due, signed
with HMAC-SHA256 of the webhook's secret, and retries with backoff. Targets are checked against
server-side request forgery: no loopback, private, link-local or reserved address (a name is
resolved, and resolved again at each delivery) unless the settings allow it for development.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import time
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
DEFAULT_PORTS = {"https": 443, "http": 80}
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


def _resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (the one lookup a delivery makes)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def checked_target(url: str) -> tuple[str | None, str | None]:
    """(why `url` may not receive webhooks, or None; the address checked to post to): HTTPS
    only (HTTP too when private targets are allowed), a host that resolves, and only to public
    addresses in production."""
    parts = urlsplit(url or "")
    private_ok = _private_allowed()
    if parts.scheme != "https" and not (private_ok and parts.scheme == "http"):
        return _("The address must start with https://."), None
    if not parts.hostname or parts.username or parts.password:
        return _("The address must name a host, without a user name or password."), None
    try:
        addresses = _resolve(parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme])
    except (OSError, ValueError, UnicodeError):
        addresses = []
    if not addresses:
        return _("The host of this address cannot be found."), None
    if not private_ok and not all(_public_address(address) for address in addresses):
        return _("The address leads to a private or local network; webhooks go to public "
                 "addresses only."), None
    return None, addresses[0]


def target_problem(url: str) -> str | None:
    """Why `url` may not receive webhooks, or None (checked_target)."""
    return checked_target(url)[0]


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


def _post(webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Send one delivery; the answer's status (None when none came) and an error text.

    The connection goes to the address checked just now, not to a second lookup of the name
    (which a DNS rebinding would point at a private address); TLS still checks the name's
    certificate. A redirect is an answer, not followed: http.client follows none."""
    problem, address = checked_target(webhook.url)
    if problem:
        return None, problem
    parts = urlsplit(webhook.url)
    body = json.dumps({"id": delivery.id, **delivery.payload}, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "certtrack-webhooks",
               EVENT_HEADER: delivery.event, DELIVERY_HEADER: str(delivery.id),
               SIGNATURE_HEADER: sign(webhook.secret, int(time.time()), body)}
    connection_class = (http.client.HTTPSConnection if parts.scheme == "https"
                        else http.client.HTTPConnection)
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    # http.client opens its socket through this attribute (HTTPSConnection then wraps it for
    # the name): to the checked address, whatever the name resolves to by then.
    connection._create_connection = lambda _where, timeout=None, source=None: (
        socket.create_connection((address, port), timeout, source))
    try:
        connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query
                                                          else ""), body, headers)
        status = connection.getresponse().status
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, str(error)[:500]
    finally:
        connection.close()
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


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
