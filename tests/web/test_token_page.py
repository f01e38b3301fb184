"""API tokens on the account page: the secret shown once; revoking needs a reason and a ticked
confirmation, and without them nothing changes and the folded form opens with its errors."""

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import ApiToken

from factories import make_user
from forms import login, post


def test_revoking_a_token_needs_a_reason_and_a_confirmation(app, client):
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    created = post(client, "/account/tokens", {"name": "ERP", "scopes": ["read"], "days": "30"})
    assert created.status_code == 200 and "ct_" in created.get_data(as_text=True)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    refused = post(client, f"/account/tokens/{token_id}/revoke", {"reason": "ERP retired"})
    assert refused.status_code == 422
    assert 'class="destructive" open' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None
    done = post(client, f"/account/tokens/{token_id}/revoke",
                {"reason": "ERP retired", "confirm": "y"}, follow_redirects=True)
    assert "was revoked" in done.get_data(as_text=True)
    with app.app_context():
        token = db.session.get(ApiToken, token_id)
        assert token.revoked_at is not None and token.revoke_reason == "ERP retired"


def test_a_tokens_scopes_read_in_the_accounts_language(app, client):
    """The list showed the stored codes "read write" on a Chinese or Kazakh page."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    post(client, "/account/tokens", {"name": "ERP", "scopes": ["read", "write"], "days": "30"})
    post(client, "/language", {"locale": "zh"})
    page = client.get("/account").get_data(as_text=True)
    cell = page.split('data-label="权限范围">')[1].split("</td>")[0]
    assert "read" not in cell and "write" not in cell and "，" not in cell
    assert cell.count(", ") == 1
