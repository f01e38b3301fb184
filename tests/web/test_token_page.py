"""API tokens on the account page: the secret shown once; revoking needs a reason and a ticked
confirmation, and without them nothing changes and the folded form opens with its errors."""

import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import ApiToken

from factories import make_user
from forms import CSRF_RE, csrf_token, flashes, login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

SHORT = "Give the reason in a few words: at least 10 characters, or 4 Chinese characters."


def test_revoking_a_token_needs_a_reason_and_a_confirmation(app, client):
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    created = post(client, "/account/tokens", {"name": "ERP", "scopes": ["read"], "days": "30"},
                   follow_redirects=True)
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


def test_a_token_is_revoked_with_a_reason_of_a_few_words_as_every_final_step(app, client):
    """"no" revoked a token for good, where every other final step asks 10 characters."""
    from certtrack.services import tokens
    from certtrack.services.errors import ValidationFailed

    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    post(client, "/account/tokens", {"name": "ERP", "scopes": ["read"], "days": "30"})
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    refused = post(client, f"/account/tokens/{token_id}/revoke", {"reason": "leaked",
                                                                  "confirm": "y"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert SHORT in page
    assert 'value="leaked"' in page
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None
        owner = db.session.get(ApiToken, token_id).user
        try:  # the service, which every caller goes through, says the same
            tokens.revoke_token(owner, token_id, " no ")
        except ValidationFailed as error:
            assert error.errors == {"reason": [SHORT]}
        else:
            raise AssertionError("a two-letter reason revoked the token")
        assert db.session.get(ApiToken, token_id).revoked_at is None


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
    assert cell.count("、") == 1 and ", " not in cell  # a Chinese list's enumeration comma


def test_a_new_tokens_secret_is_shown_once_and_a_reload_creates_no_other(app, client):
    """The token was made in the answer to the POST, so reloading that page posted the form
    again and made a second live token: the POST now redirects, and the page after it shows
    the secret once."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    form = {"name": "ERP", "scopes": ["read"], "days": "30",
            "csrf_token": csrf_token(client, "/account")}
    created = client.post("/account/tokens", data=form)
    assert created.status_code == 302 and created.location == "/account#new-token"
    assert "ct_" not in created.get_data(as_text=True)
    shown = client.get("/account").get_data(as_text=True)
    secret = re.search(r'<code id="new-token">(ct_[^<]+)</code>', shown).group(1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
    reloaded = client.get("/account").get_data(as_text=True)
    assert secret not in reloaded and 'id="new-token"' not in reloaded
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
    answer = client.get("/api/v1/enterprise", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code != 401  # the secret shown is the token's


def _duplicate_ids(page: str) -> set[str]:
    ids = re.findall(r'\sid="([^"]+)"', page)
    return {found for found in ids if ids.count(found) > 1}


def test_each_tokens_revoke_form_has_ids_of_its_own(app, client):
    """With two tokens, both revoke forms used the ids `reason`, `confirm` and `csrf_token-3`:
    the second form's label ticked the first form's box, and the second form was refused with
    "Tick the box to confirm"."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    for name in ("ERP", "Warehouse"):
        post(client, "/account/tokens", {"name": name, "scopes": ["read"], "days": "30"})
    page = client.get("/account").get_data(as_text=True)
    assert _duplicate_ids(page) == set()
    # As a browser: the second form's confirm label ticks the page's first element of its id.
    forms = list(re.finditer(r'action="/account/tokens/(\d+)/revoke".*?</form>', page, re.S))
    (first, _), (second, form) = [(int(found.group(1)), found) for found in forms]
    label_for = re.search(r'<label for="([^"]+)">I understand', form.group(0)).group(1)
    ticked = re.search(rf'<input[^>]*\sid="{label_for}"[^>]*>', page)
    assert form.start() < ticked.start() < form.end()  # the box ticked is this form's own
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.group(0)).group(1)
    done = client.post(f"/account/tokens/{second}/revoke",
                       data={"csrf_token": token, "reason": "Warehouse system retired",
                             "confirm": "y"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(ApiToken, second).revoked_at is not None
        assert db.session.get(ApiToken, first).revoked_at is None
    refused = post(client, f"/account/tokens/{first}/revoke", {"reason": "ERP retired"},
                   csrf_url="/account")
    assert refused.status_code == 422 and _duplicate_ids(refused.get_data(as_text=True)) == set()


def test_a_token_revoked_from_a_page_older_than_its_revocation_says_when(app, client):
    """A second tab's revocation said "was revoked" again, and dropped the reason typed."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    post(client, "/account/tokens", {"name": "ERP", "scopes": ["read"], "days": "30"})
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    first = {"reason": "ERP retired for good", "confirm": "y"}
    assert post(client, f"/account/tokens/{token_id}/revoke", first).status_code == 302
    late = post(client, f"/account/tokens/{token_id}/revoke",
                {"reason": "Leaked in a log file", "confirm": "y"}, follow_redirects=True)
    page = late.get_data(as_text=True)
    assert "The token “ERP” was already revoked, at " in page
    assert "was revoked." not in page
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoke_reason == "ERP retired for good"


KEY_RE = re.compile(r'name="creation_key" type="text" value="([^"]+)"')


def _token_form(client) -> dict:
    """The new-token form as the account page gives it: its CSRF token and one-time key."""
    page = client.get("/account").get_data(as_text=True)
    return {"csrf_token": CSRF_RE.search(page).group(1),
            "creation_key": KEY_RE.search(page).group(1),
            "name": "ERP", "scopes": ["read"], "days": "30"}


def test_the_token_form_sent_twice_creates_one_token_and_says_its_secret_was_shown(app,
                                                                                   client):
    """A double click on Create, or Back and the form sent again, made a second live token."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    sent = _token_form(client)
    first = client.post("/account/tokens", data=sent)
    assert first.status_code == 302
    assert "ct_" in client.get(first.location).get_data(as_text=True)  # the secret, once
    again = client.post("/account/tokens", data=sent)
    assert again.status_code == 303
    assert again.location == "/account#tokens"
    page = client.get(again.location).get_data(as_text=True)
    said = [html.unescape(m) for m in flashes(page)]
    assert len(said) == 1
    assert re.fullmatch(r"The token “ERP” was created from this form at .{10,30}, and its "
                        r"secret was shown then, once: nothing was created again\. If you did "
                        r"not copy the secret, revoke this token and create another\.",
                        said[0]), said
    assert 'id="new-token"' not in page  # the secret is never shown again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
    # a new page's form (another key) creates another token
    assert client.post("/account/tokens", data=_token_form(client)).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 2


def test_another_persons_key_creates_their_own_token(app, client):
    with app.app_context():
        make_user("exporter", email="a@example.kz")
        make_user("exporter", email="b@example.kz")
    login(client, "a@example.kz")
    sent = _token_form(client)
    assert client.post("/account/tokens", data=sent).status_code == 302
    other = app.test_client()
    login(other, "b@example.kz")
    theirs = _token_form(other)
    created = other.post("/account/tokens", data={**theirs,
                                                  "creation_key": sent["creation_key"]})
    assert created.status_code == 302
    with app.app_context():
        owners = sorted(db.session.scalars(select(ApiToken.user_id)))
        assert len(owners) == 2 and owners[0] != owners[1]


RACERS = 6


def test_token_forms_sent_at_the_same_instant_create_one_token(shared_app):
    with shared_app.test_request_context():
        make_user("exporter", email="a@example.kz")
    clients = [shared_app.test_client() for _ in range(RACERS)]
    for racer in clients:
        login(racer, "a@example.kz")
    forms = [_token_form(racer) for racer in clients]
    key = forms[0]["creation_key"]
    barrier = threading.Barrier(RACERS)

    def send(index: int) -> int:
        barrier.wait()
        return clients[index].post("/account/tokens", data={
            **forms[index], "creation_key": key}).status_code

    with ThreadPoolExecutor(RACERS) as pool:
        statuses = sorted(pool.map(send, range(RACERS)))
    assert statuses == [302] + [303] * (RACERS - 1), statuses
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_a_clear_chinese_reason_of_nine_characters_revokes_a_token(app, client):
    """"检出活虫，暂停进口" (live pests found, imports suspended) was refused for its 9
    characters; "不合格" (non-conforming) says no more than "no" and still is, in Chinese."""
    with app.app_context():
        make_user("exporter", email="a@example.kz")
    login(client, "a@example.kz")
    post(client, "/account/tokens", {"name": "ERP", "scopes": ["read"], "days": "30"})
    post(client, "/language", {"locale": "zh"})
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    refused = post(client, f"/account/tokens/{token_id}/revoke", {"reason": "不合格",
                                                                  "confirm": "y"})
    assert refused.status_code == 422
    assert "请用几个词说明原因：至少4个汉字或10个其他字符。" in refused.get_data(as_text=True)
    done = post(client, f"/account/tokens/{token_id}/revoke",
                {"reason": "检出活虫，暂停进口", "confirm": "y"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoke_reason == "检出活虫，暂停进口"
