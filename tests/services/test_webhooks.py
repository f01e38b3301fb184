"""Webhooks: a notification reaches the exporter's system signed with the shared secret; failed
deliveries wait and retry; targets on private networks are refused outside development."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Webhook, WebhookDelivery
from certtrack.models.base import utcnow
from certtrack.services import webhooks
from certtrack.services.errors import PermissionDenied, ValidationFailed
from certtrack.services.notifications import notify

from factories import make_user


class Receiver:
    """A local HTTP endpoint answering `status` (and `location` for a redirect) and keeping
    each request's headers and body."""

    def __init__(self, status: int = 200, location: str | None = None):
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _notify(user):
    notify([user], "corrective_actions", "Corrective actions are required.")
    db.session.commit()


def test_a_notification_is_delivered_signed_with_the_shared_secret(ctx, receiver):
    exporter = make_user("exporter")
    hook = webhooks.register_webhook(exporter, receiver.url)
    _notify(exporter)

    assert webhooks.deliver_due() == (1, 0)

    [(headers, body)] = receiver.requests
    stamp, signature = (part.split("=", 1)[1] for part in headers["Certtrack-Signature"].split(","))
    expected = hmac.new(hook.secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(signature, expected.hexdigest())
    wrong = hmac.new(b"another secret", f"{stamp}.".encode() + body, hashlib.sha256)
    assert signature != wrong.hexdigest()
    payload = json.loads(body)
    assert (payload["event"], payload["message"]) == (
        "corrective_actions", "Corrective actions are required.")
    assert headers["Certtrack-Event"] == "corrective_actions"
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert (delivery.attempts, delivery.last_status) == (1, 200)
    assert delivery.delivered_at is not None
    assert webhooks.deliver_due() == (0, 0)  # delivered once only


def test_only_the_users_own_webhooks_receive_its_notifications(ctx, receiver):
    exporter, other = make_user("exporter"), make_user("exporter")
    webhooks.register_webhook(other, receiver.url)
    _notify(exporter)
    assert webhooks.deliver_due() == (0, 0)
    assert receiver.requests == []


def test_a_failed_delivery_waits_and_is_retried_with_backoff(ctx):
    failing = Receiver(status=500)
    try:
        exporter = make_user("exporter")
        webhooks.register_webhook(exporter, failing.url)
        _notify(exporter)
        assert webhooks.deliver_due() == (0, 1)
        delivery = db.session.scalars(select(WebhookDelivery)).one()
        assert (delivery.attempts, delivery.last_status, delivery.delivered_at) == (1, 500, None)
        assert delivery.next_attempt_at > utcnow()
        assert webhooks.deliver_due() == (0, 0)  # not due yet: nothing posted again
        assert len(failing.requests) == 1
        delivery.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert webhooks.deliver_due() == (0, 1)
        assert delivery.attempts == 2
        assert delivery.next_attempt_at - utcnow() > timedelta(seconds=90)  # 2 minutes now
    finally:
        failing.close()


def test_a_redirect_is_not_followed(ctx, receiver):
    redirecting = Receiver(status=302, location=receiver.url)
    try:
        exporter = make_user("exporter")
        webhooks.register_webhook(exporter, redirecting.url)
        _notify(exporter)
        assert webhooks.deliver_due() == (0, 1)
        assert receiver.requests == []
    finally:
        redirecting.close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "https://127.0.0.1/hook", "https://localhost/hook",
    "https://10.0.0.8/hook", "https://192.168.1.1/hook", "https://169.254.169.254/latest",
    "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "ftp://example.org/hook",
    "https://user:secret@example.org/hook", "https:///hook"])
def test_private_and_malformed_targets_are_refused_in_production_settings(app, url):
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    with app.test_request_context():
        exporter = make_user("exporter")
        with pytest.raises(ValidationFailed) as refused:
            webhooks.register_webhook(exporter, url)
        assert "url" in refused.value.errors
        assert db.session.scalar(select(Webhook.id)) is None


def test_a_target_that_turned_private_is_not_posted_to(app, receiver):
    """Checked again at each delivery: a name that resolves to a private address later
    (DNS rebinding) or settings tightened since the registration."""
    with app.test_request_context():
        exporter = make_user("exporter")
        webhooks.register_webhook(exporter, receiver.url)
        _notify(exporter)
        app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
        assert webhooks.deliver_due() == (0, 1)
        assert receiver.requests == []
        delivery = db.session.scalars(select(WebhookDelivery)).one()
        assert "https://" in delivery.last_error


def test_a_delivery_connects_to_the_address_it_checked_not_a_second_lookup(ctx, receiver,
                                                                           monkeypatch):
    """The check resolved the name, then urllib resolved it again to connect: a name whose
    answer changed in between (DNS rebinding) reached a private address unchecked. The name
    below resolves only through the check's lookup: a second lookup would not find it."""
    port = receiver.server.server_address[1]
    exporter = make_user("exporter")
    webhooks.register_webhook(exporter, f"http://127.0.0.1:{port}/hook")
    hook = db.session.scalars(select(Webhook)).one()
    hook.url = f"http://hooks.exporter.invalid:{port}/hook"
    db.session.commit()
    looked_up = []
    monkeypatch.setattr(webhooks, "_resolve",
                        lambda host, _port: looked_up.append(host) or ["127.0.0.1"])
    _notify(exporter)
    assert webhooks.deliver_due() == (1, 0)
    assert looked_up == ["hooks.exporter.invalid"]
    [(headers, _body)] = receiver.requests
    assert headers["Host"] == f"hooks.exporter.invalid:{port}"  # the name, to the address


def test_staff_have_no_webhooks(ctx, receiver):
    inspector = make_user("inspector", committee="phytosanitary", regions=["KZ-11"])
    with pytest.raises(PermissionDenied):
        webhooks.register_webhook(inspector, receiver.url)


def test_disabling_needs_a_reason_and_stops_deliveries(ctx, receiver):
    exporter = make_user("exporter")
    hook = webhooks.register_webhook(exporter, receiver.url)
    for short in (" ", "retired"):  # a final step's reason takes at least 10 characters
        with pytest.raises(ValidationFailed):
            webhooks.disable_webhook(exporter, hook.id, short)
    assert hook.disabled_at is None
    webhooks.disable_webhook(exporter, hook.id, "System retired")
    _notify(exporter)
    assert webhooks.deliver_due() == (0, 0)
    assert receiver.requests == []
