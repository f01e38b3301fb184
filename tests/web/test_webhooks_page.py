"""The webhooks page of an exporter: register, see the secret and the deliveries, disable with
a reason and a confirmation; another exporter's webhook stays out of reach."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import AuditEvent, Webhook, WebhookDelivery
from certtrack.models.base import utcnow
from certtrack.services import webhooks

from factories import make_user
from forms import flashes, login, post


def _hook_url(app, path: str = "/hook") -> str:
    return f"http://127.0.0.1:9{path}"  # never contacted: registration only resolves it


def test_an_exporter_registers_a_webhook_and_sees_its_secret(app, client):
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    answer = post(client, "/account/webhooks", {"url": _hook_url(app)}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Deliveries to http://127.0.0.1:9/hook start with your next notification." in page
    with app.app_context():
        hook = db.session.scalars(select(Webhook)).one()
        assert hook.secret in page and len(hook.secret) == 64


def test_the_form_sent_twice_leads_to_the_webhook_it_registered(app, client):
    """A double click on Register: the second sending was refused as "already active", though
    the webhook was registered."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    assert post(client, "/account/webhooks", {"url": _hook_url(app)}).status_code == 302
    again = post(client, "/account/webhooks", {"url": _hook_url(app)})
    assert again.status_code == 303
    assert again.location == "/account/webhooks"
    said = flashes(client.get("/account/webhooks").get_data(as_text=True))
    assert len(said) == 1
    assert re.fullmatch(r"You already registered the webhook http://127\.0\.0\.1:9/hook, at "
                        r".{10,30}: the form was sent twice, and nothing was registered "
                        r"again\.", said[0]), said
    with app.app_context():
        assert len(db.session.scalars(select(Webhook)).all()) == 1


def test_the_same_address_twice_is_refused(app, client):
    """Registered twice, an address received each notification twice: the address registered
    earlier (not the form sent twice) is refused."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    assert post(client, "/account/webhooks", {"url": _hook_url(app)}).status_code == 302
    with app.app_context():
        db.session.execute(update(Webhook).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    again = post(client, "/account/webhooks", {"url": _hook_url(app)})
    assert again.status_code == 422
    assert "A webhook of this address is already active." in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Webhook)).all()) == 1


def test_a_refused_address_shows_why_and_keeps_what_was_typed(app, client):
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    answer = post(client, "/account/webhooks", {"url": "https://127.0.0.1/hook"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "private or local network" in page
    assert 'value="https://127.0.0.1/hook"' in page
    with app.app_context():
        assert db.session.scalar(select(Webhook.id)) is None


def test_disabling_without_confirmation_changes_nothing(app, client):
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    post(client, "/account/webhooks", {"url": _hook_url(app)})
    with app.app_context():
        hook_id = db.session.scalar(select(Webhook.id))
    refused = post(client, f"/account/webhooks/{hook_id}/disable", {"reason": "Retired"})
    assert refused.status_code == 422
    assert "Tick the box to confirm." in refused.get_data(as_text=True)  # as other forms say
    with app.app_context():
        assert db.session.get(Webhook, hook_id).disabled_at is None
    short = post(client, f"/account/webhooks/{hook_id}/disable",
                 {"reason": "Retired", "confirm": "y"})  # a final step's reason: 10 characters
    assert short.status_code == 422
    assert "at least 10 characters" in short.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Webhook, hook_id).disabled_at is None
    done = post(client, f"/account/webhooks/{hook_id}/disable",
                {"reason": "ERP system retired", "confirm": "y"}, follow_redirects=True)
    assert "The webhook is disabled." in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Webhook, hook_id).disabled_at is not None
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "webhook_disabled")).one()
        assert event.comment == "ERP system retired"


def test_another_exporters_webhook_is_not_found(app, client):
    with app.app_context():
        owner = make_user("exporter", email="a@example.kz")
        make_user("exporter", email="b@example.kz")
        hook = Webhook(user_id=owner.id, url="https://example.org/hook", secret="s" * 64)
        db.session.add(hook)
        db.session.commit()
        hook_id = hook.id
    login(client, "b@example.kz")
    assert "s" * 64 not in client.get("/account/webhooks").get_data(as_text=True)
    answer = post(client, f"/account/webhooks/{hook_id}/disable",
                  {"reason": "x", "confirm": "y"})
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.get(Webhook, hook_id).disabled_at is None


def test_the_deliveries_name_their_webhook_and_say_what_failed(app, client):
    """The log did not say which webhook a delivery went to, showed Python's "<urlopen error
    [SSL: CERTIFICATE_VERIFY_FAILED] …>", and a disabled webhook's delivery "not yet"."""
    with app.app_context():
        exporter = make_user("exporter", email="a@example.kz")
        hook = webhooks.register_webhook(exporter, _hook_url(app))
        error = ("<urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                 "self-signed certificate (_ssl.c:1006)>")
        db.session.add(WebhookDelivery(
            webhook_id=hook.id, event="consignment_refused", attempts=5, last_error=error,
            payload={"event": "consignment_refused",
                     "message": "The certificate of consignment CS-000009 is refused"}))
        hook.disabled_at = utcnow()
        db.session.commit()
        hook_id = hook.id
    login(client, "a@example.kz")
    page = client.get("/account/webhooks").get_data(as_text=True)
    log = page[page.index("Latest deliveries"):]
    assert "<code>http://127.0.0.1:9/hook</code>" in log
    assert "The address&#39;s TLS certificate could not be verified." in log
    assert "never: the webhook is disabled" in log and "not yet" not in log
    # what the event was, in words, beside its code (the code alone read "consignment_refused")
    assert ('The certificate of consignment CS-000009 is refused<br><code class="muted">'
            'consignment_refused</code>') in log
    # the status column says the status; the action has its own
    assert re.search(rf'id="webhook-{hook_id}-status">Disabled ', page)
