"""Administrators' account pages: list, create, edit, disable, reset a password; nobody else."""

import html
import re

import pytest
from flask import g
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import ApiToken, AuditEvent, User
from certtrack.services import accounts
from certtrack.services.inputs import AccountInput

from factories import make_user
from forms import PASSWORD, enrol, flashes, login, post

NEW_PASSWORD = "a fresh long passphrase"


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def listed_ids(page: str) -> list[int]:
    """The accounts a list page shows, in order."""
    return [int(i) for i in re.findall(r'<td[^>]*><a href="/admin/users/(\d+)">', page)]


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def admin(ctx, client):
    user = make_user("admin", "root@example.kz", full_name="Root Admin")
    login(client, user.email)
    return user


def account(email="new.inspector@example.kz", **changes) -> dict:
    """The new-account form as an administrator fills it in."""
    body = {"email": email, "full_name": "Aigerim Nurlanovna", "role": "inspector",
            "committee": "phytosanitary", "regions": ["KZ-11", "KZ-39"], "is_active": "y",
            "password": NEW_PASSWORD}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def edit_body(user: User, **changes) -> dict:
    body = {"full_name": user.full_name, "role": user.role, "committee": user.committee or "",
            "regions": sorted(user.region_codes), "is_active": "y" if user.is_active else None}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_list_is_paginated(app, admin, client):
    for number in range(24):
        make_user("exporter", f"exporter{number:02}@example.kz")
    per_page = app.config["PER_PAGE"]
    first = client.get("/admin/users").get_data(as_text=True)
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert len(listed_ids(first)) == per_page
    assert len(listed_ids(second)) == 25 - per_page
    assert not set(listed_ids(first)) & set(listed_ids(second))
    assert "25 in all" in first
    assert 'href="/admin/users?page=2"' in first


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_list_filters_by_role_and_text(admin, client):
    inspector = make_user("inspector", "zhanna@example.kz", full_name="Zhanna Sarsenova")
    registrar = make_user("registrar", "registry@example.kz", full_name="Bolat Registrar")
    make_user("exporter", "grain@example.kz", full_name="Grain Trader")
    page = client.get("/admin/users?role=inspector").get_data(as_text=True)
    assert listed_ids(page) == [inspector.id]
    page = client.get("/admin/users?q=SARSEN").get_data(as_text=True)
    assert listed_ids(page) == [inspector.id]
    page = client.get("/admin/users?q=registry@").get_data(as_text=True)
    assert listed_ids(page) == [registrar.id]
    page = client.get("/admin/users?role=admin&q=grain").get_data(as_text=True)
    assert listed_ids(page) == []
    assert "No account matches." in page


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_list_sorts_by_name_or_latest_sign_in_and_keeps_the_order_across_pages(
        app, admin, client):
    """The accounts came by role and e-mail only: finding who signed in last, or a person by
    name among a hundred, meant reading every page."""
    zhanna = make_user("inspector", "a.inspector@example.kz", full_name="Zhanna Sarsenova")
    aigerim = make_user("exporter", "z.exporter@example.kz", full_name="aigerim Bekova")
    never = make_user("registrar", "m.registrar@example.kz", full_name="Marat Omarov")
    login(app.test_client(), zhanna.email)
    by_name = client.get("/admin/users?sort=name").get_data(as_text=True)
    assert listed_ids(by_name) == [aigerim.id, never.id, admin.id, zhanna.id]  # case aside
    assert '<option value="name" selected>' in by_name
    latest = listed_ids(client.get("/admin/users?sort=last_login").get_data(as_text=True))
    assert latest[:2] == [zhanna.id, admin.id] and latest[-1] in (aigerim.id, never.id)
    for number in range(24):
        make_user("exporter", f"exporter{number:02}@example.kz", full_name=f"Person {number:02}")
    first = client.get("/admin/users?sort=name").get_data(as_text=True)
    assert 'href="/admin/users?sort=name&amp;page=2"' in first
    assert client.get("/admin/users?sort=nonsense").status_code == 200  # the default order


def test_admin_creates_an_inspector_who_can_sign_in(app, admin, client):
    response = post(client, "/admin/users/new", account())
    assert response.status_code == 302
    assert response.location == "/admin/users"
    user = by_email("new.inspector@example.kz")
    assert (user.role, user.committee, user.region_codes) == (
        "inspector", "phytosanitary", {"KZ-11", "KZ-39"})
    assert NEW_PASSWORD not in user.password_hash
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "user_created", AuditEvent.object_id == user.id))
    assert event.actor_id == admin.id
    other = app.test_client()
    # Staff set up their second factor at the first sign-in, before anything else.
    assert login(other, user.email, NEW_PASSWORD).location == "/account/two-factor"
    assert other.get("/inspector/").location == "/account/two-factor"
    enrol(other)
    assert other.get("/inspector/").status_code == 200


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_the_new_account_form_sent_twice_leads_to_the_account_it_created(admin, client):
    """A double click on Create: the second sending was refused as "already exists", though
    the account was created."""
    count = user_count()
    assert post(client, "/admin/users/new", account()).status_code == 302
    again = post(client, "/admin/users/new", account())
    created = by_email("new.inspector@example.kz")
    assert again.status_code == 303
    assert again.location == f"/admin/users/{created.id}"
    said = flashes(client.get(again.location).get_data(as_text=True))
    assert len(said) == 1
    assert re.fullmatch(r"You already created the account new\.inspector@example\.kz, at "
                        r".{10,30}: the form was sent twice, and nothing was created again\.",
                        said[0]), said
    assert user_count() == count + 1
    # other entries for the same e-mail are a conflict, said beside the field
    other = post(client, "/admin/users/new", account(full_name="Someone Else"))
    assert other.status_code == 422
    assert field_error(other.get_data(as_text=True), "email") == (
        "An account with this e-mail already exists.")


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_another_administrators_account_of_the_e_mail_is_refused(admin, app, client):
    """The same entries a moment after another administrator sent them: not this one's form
    sent twice, but an account that exists."""
    other_admin = make_user("admin", "second.root@example.kz", full_name="Second Admin")
    entries = account()
    accounts.create_user(other_admin, AccountInput.from_mapping(entries))
    again = post(client, "/admin/users/new", entries)
    assert again.status_code == 422
    assert field_error(again.get_data(as_text=True), "email") == (
        "An account with this e-mail already exists.")


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_duplicate_e_mail_is_refused_beside_the_field(admin, client):
    make_user("exporter", "taken@example.kz")
    count = user_count()
    response = post(client, "/admin/users/new", account("Taken@Example.kz"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "email") == "An account with this e-mail already exists."
    assert user_count() == count


def test_inspector_needs_a_committee_and_regions_and_all_errors_show_together(admin, client):
    count = user_count()
    body = account(committee="", regions=None, password="short")
    response = post(client, "/admin/users/new", body)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "committee") == "An inspector belongs to a committee."
    assert field_error(page, "regions") == "An inspector covers at least one region."
    assert field_error(page, "password") == "Use at least 12 characters."
    assert 'value="new.inspector@example.kz"' in page, "what was typed is kept"
    assert user_count() == count


def test_common_password_is_refused_for_a_new_account(admin, client):
    response = post(client, "/admin/users/new", account(password="qwerty123456"))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "password") == (
        "This password appears in lists of breached passwords; choose another.")
    assert by_email("new.inspector@example.kz") is None


def test_staff_roles_drop_committee_and_regions(admin, client):
    response = post(client, "/admin/users/new", account(role="registrar"))
    assert response.status_code == 302
    user = by_email("new.inspector@example.kz")
    assert (user.role, user.committee, user.region_codes) == ("registrar", None, set())


def test_admin_edits_an_account(admin, client):
    user = make_user("inspector", "edit.me@example.kz")
    response = post(client, f"/admin/users/{user.id}", edit_body(
        user, full_name="New Name", committee="veterinary", regions=["KZ-63"]))
    assert response.status_code == 302
    user = by_email("edit.me@example.kz")
    assert (user.full_name, user.committee, user.region_codes) == (
        "New Name", "veterinary", {"KZ-63"})


def language_list(page: str) -> tuple[list[str], str]:
    """The account form's language list: its values, and the one a browser shows chosen."""
    select_html = re.search(r'<select[^>]*id="locale".*?</select>', page, re.S).group(0)
    values = re.findall(r'value="([^"]*)"', select_html)
    return values, (re.findall(r'<option selected value="([^"]*)"', select_html) or values)[0]


def test_the_administrator_changes_an_accounts_language_for_its_e_mails(admin, client):
    """The edit form could not change an account's language: an inspector created with the
    wrong one got every e-mail in it until they signed in and chose another."""
    user = make_user("inspector", "lang@example.kz", locale="en")
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "The language of the e-mails to this person." in page
    assert language_list(page) == (["en", "ru", "kk", "zh"], "en")
    response = post(client, f"/admin/users/{user.id}", edit_body(user, locale="kk"))
    assert response.status_code == 302
    assert by_email("lang@example.kz").locale == "kk"
    row = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user_updated", AuditEvent.object_id == user.id)).one()
    assert (row.data["before"]["locale"], row.data["after"]["locale"]) == ("en", "kk")
    unknown = post(client, f"/admin/users/{user.id}", edit_body(user, locale="de"))
    assert unknown.status_code == 422
    assert field_error(unknown.get_data(as_text=True), "locale")
    assert by_email("lang@example.kz").locale == "kk"


def test_an_account_without_a_language_keeps_none_unless_one_is_chosen(admin, client):
    user = make_user("registrar", "nolang@example.kz")
    assert user.locale is None
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert language_list(page) == (["", "en", "ru", "kk", "zh"], "")
    assert post(client, f"/admin/users/{user.id}", edit_body(
        user, full_name="Renamed", locale="")).status_code == 302
    assert by_email("nolang@example.kz").locale is None
    assert post(client, f"/admin/users/{user.id}", edit_body(
        user, locale="zh")).status_code == 302
    assert by_email("nolang@example.kz").locale == "zh"


def test_a_new_role_revokes_the_accounts_api_tokens(admin, client):
    """An exporter's token kept working after the account became a registrar's, and read
    every enterprise's registrations through the API."""
    from api_world import bearer, token_for

    user = make_user("exporter", "integration@example.kz")
    secret = token_for(user)
    assert client.get("/api/v1/registrations", headers=bearer(secret)).status_code == 200
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "revokes their API tokens for good" in page
    same = post(client, f"/admin/users/{user.id}", edit_body(user, full_name="Renamed"))
    assert same.status_code == 302  # a change that keeps the role keeps the tokens
    assert client.get("/api/v1/registrations", headers=bearer(secret)).status_code == 200
    user = by_email("integration@example.kz")
    unticked = post(client, f"/admin/users/{user.id}", edit_body(user, role="registrar"))
    assert unticked.status_code == 422  # the tokens cannot be given back: a box to tick
    assert field_error(unticked.get_data(as_text=True), "confirm_role") == (
        "Tick the box to confirm.")
    assert field_error(unticked.get_data(as_text=True), "role_reason") == (
        "Say why the role changes.")  # said at once, with the box
    no_reason = post(client, f"/admin/users/{user.id}", edit_body(user, role="registrar",
                                                                   confirm_role="y"))
    assert no_reason.status_code == 422
    assert field_error(no_reason.get_data(as_text=True), "role_reason") == (
        "Say why the role changes.")
    assert by_email("integration@example.kz").role == "exporter"
    moved = post(client, f"/admin/users/{user.id}", edit_body(
        user, role="registrar", confirm_role="y", role_reason="Moved to the registry office"))
    assert moved.status_code == 302
    assert client.get("/api/v1/registrations", headers=bearer(secret)).status_code == 401
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == user.id)
                               .order_by(AuditEvent.seq.desc())).first()
    assert event.data["before"]["role"] == "exporter" and event.data["tokens_revoked"] == 1
    assert event.comment == "Moved to the registry office"
    trail = client.get("/admin/audit").get_data(as_text=True)
    assert "Role: Exporter → Registrar" in trail and "1 API token revoked" in trail
    assert "Moved to the registry office" in trail
    download = client.get("/admin/audit.csv").get_data(as_text=True)
    assert '""role"": ""registrar""' in download and '""tokens_revoked"": 1' in download


def test_edit_page_refuses_an_inspector_without_regions(admin, client):
    user = make_user("inspector", "edit.me@example.kz")
    response = post(client, f"/admin/users/{user.id}", edit_body(user, regions=None))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "regions") == "An inspector covers at least one region."
    assert by_email("edit.me@example.kz").region_codes == {"KZ-11"}


def test_saving_an_account_unchanged_writes_nothing_and_says_so(admin, client):
    """Saving an account's page as it was wrote a "user_updated" row in the audit trail, and
    said "The account was saved."."""
    user = make_user("inspector", "edit.me@example.kz")
    audited = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = post(client, f"/admin/users/{user.id}", edit_body(user))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert flashes(page) == ["Nothing was changed: the account is as it was."]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audited
    response = post(client, f"/admin/users/{user.id}", edit_body(user, full_name="Edited Name"))
    assert flashes(client.get(response.headers["Location"]).get_data(as_text=True)) == [
        "The account was saved."]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audited + 1


def test_unknown_account_is_404(admin, client):
    assert client.get("/admin/users/999999").status_code == 404
    assert post(client, "/admin/users/999999/password",
                {"password": NEW_PASSWORD}).status_code == 404


def test_disabling_an_account_says_why_and_is_confirmed(admin, client):
    """Unticking Active and saving disabled the account and signed its person out at once,
    with "The account was saved." and nothing asked."""
    user = make_user("registrar", "leaver@example.kz")
    url = f"/admin/users/{user.id}"
    assert "To disable the account, untick Active, say why and tick the box." in \
        html.unescape(client.get(url).get_data(as_text=True))
    nothing = post(client, url, edit_body(user, is_active=None))
    assert nothing.status_code == 422  # both missing parts in one answer
    assert field_error(nothing.get_data(as_text=True), "confirm_disable") == \
        "Tick the box to confirm."
    assert field_error(nothing.get_data(as_text=True), "reason") == \
        "Say why the account is disabled."
    no_reason = post(client, url, edit_body(user, is_active=None, confirm_disable="y"))
    assert no_reason.status_code == 422
    assert field_error(no_reason.get_data(as_text=True), "reason") == \
        "Say why the account is disabled."
    assert by_email("leaver@example.kz").is_active
    done = post(client, url, edit_body(user, is_active=None, reason="Left the ministry",
                                       confirm_disable="y"))
    assert done.status_code == 302 and not by_email("leaver@example.kz").is_active
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == user.id)
                               .order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.comment) == ("user_disabled", "Left the ministry")
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "by Root Admin: Left the ministry" in page and "Disabled on " in page
    assert post(client, url, edit_body(by_email("leaver@example.kz"),
                                       is_active="y")).status_code == 302  # enabling: no box
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == user.id)
                              .order_by(AuditEvent.seq.desc())).first() == "user_enabled"
    assert "Disabled on " not in client.get(url).get_data(as_text=True)


def test_disabled_account_is_shown_and_cannot_sign_in(app, admin, client):
    user = make_user("registrar", "leaver@example.kz")
    response = post(client, f"/admin/users/{user.id}", edit_body(
        user, is_active=None, reason="Left the ministry", confirm_disable="y"))
    assert response.status_code == 302
    assert not by_email("leaver@example.kz").is_active
    row = re.search(rf'/admin/users/{user.id}".*?</tr>',
                    client.get("/admin/users?q=leaver").get_data(as_text=True), re.S)
    assert row and "Disabled" in row.group(0)
    other = app.test_client()
    refused = post(other, "/login", {"email": user.email, "password": PASSWORD})
    assert refused.status_code == 422
    assert "Invalid e-mail, password or authentication code." in refused.get_data(as_text=True)


def test_admin_cannot_disable_themself_or_drop_their_role(admin, client):
    for change in ({"is_active": None}, {"role": "registrar"}):
        response = post(client, f"/admin/users/{admin.id}", edit_body(admin, **change))
        assert response.status_code == 422
        assert "You cannot disable your own account or remove your own admin role." in (
            response.get_data(as_text=True))
    me = by_email(admin.email)
    assert (me.is_active, me.role) == (True, "admin")
    assert client.get("/admin/users").status_code == 200


def test_own_account_page_offers_no_password_or_factor_reset_and_no_role_box(admin, client):
    """One's own password and second factor are changed on the account page, which asks for
    the current password or a code; one's own role can never change."""
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert f"/admin/users/{admin.id}/password" not in page
    assert f"/admin/users/{admin.id}/second-factor" not in page
    assert 'id="role-change"' not in page
    assert "are changed on your account page" in page and 'href="/account"' in page
    other = make_user("admin", "colleague@example.kz")
    theirs = client.get(f"/admin/users/{other.id}").get_data(as_text=True)
    assert f"/admin/users/{other.id}/password" in theirs
    assert f"/admin/users/{other.id}/second-factor" in theirs and 'id="role-change"' in theirs


def test_admin_cannot_reset_their_own_password_or_second_factor(admin, client):
    """A stolen administrator's session must not take the account over: the reset of one's
    own password or second factor is refused, whatever is posted."""
    before = by_email(admin.email)
    password_hash, secret = before.password_hash, before.totp_secret
    password = post(client, f"/admin/users/{admin.id}/password",
                    {"password": NEW_PASSWORD, "reason": "Mine", "confirm": "y"})
    factor = post(client, f"/admin/users/{admin.id}/second-factor",
                  {"reason": "Mine", "confirm": "y"})
    for response in (password, factor):
        assert response.status_code == 403
        assert "on your account page" in response.get_data(as_text=True)
    me = by_email(admin.email)
    assert (me.password_hash, me.totp_secret) == (password_hash, secret) and secret
    assert client.get("/account").status_code == 200  # still signed in
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(("password_reset", "totp_reset")))) == 0


def test_password_reset_revokes_sessions_and_replaces_the_password(app, admin, client):
    user = make_user("exporter", "forgetful@example.kz")
    their_client = app.test_client()
    login(their_client, user.email)
    unticked = post(client, f"/admin/users/{user.id}/password", {"password": NEW_PASSWORD})
    assert unticked.status_code == 422
    assert field_error(unticked.get_data(as_text=True), "confirm") == "Tick the box to confirm."
    assert field_error(unticked.get_data(as_text=True), "reason")  # asked for a reason too
    assert their_client.get("/account").status_code == 200  # nothing happened
    same = post(client, f"/admin/users/{user.id}/password",
                {"password": PASSWORD, "reason": "Forgotten; identity checked by phone",
                 "confirm": "y"})
    assert same.status_code == 422  # the current one: it would sign them out for nothing
    assert field_error(same.get_data(as_text=True), "password") == (
        "This is the person's current password: choose a new one.")
    assert their_client.get("/account").status_code == 200
    from api_world import bearer, token_for

    secret = token_for(user)  # made by whoever held the account: it kept working
    assert client.get("/api/v1/enterprise", headers=bearer(secret)).status_code != 401
    response = post(client, f"/admin/users/{user.id}/password",
                    {"password": NEW_PASSWORD, "confirm": "y",
                     "reason": "Forgotten; identity checked by phone"})
    assert response.status_code == 302
    assert response.location == f"/admin/users/{user.id}"
    assert their_client.get("/account").status_code == 302
    assert client.get("/api/v1/enterprise", headers=bearer(secret)).status_code == 401
    refused = post(their_client, "/login", {"email": user.email, "password": PASSWORD})
    assert refused.status_code == 422
    login(their_client, user.email, NEW_PASSWORD)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password_reset"))
    assert event.actor_id == admin.id and event.object_id == user.id
    assert event.comment == "Forgotten; identity checked by phone"
    assert event.data == {"tokens_revoked": 1}


def test_a_password_is_not_reset_for_a_reason_under_ten_characters(admin, client):
    """"Forgotten" was taken; every other final step asks at least 10 characters. The short
    reason is said with the password's and the box's mistakes, in one answer."""
    user = make_user("exporter")
    before = user.password_hash
    short = post(client, f"/admin/users/{user.id}/password",
                 {"password": NEW_PASSWORD, "reason": "Forgotten", "confirm": "y"})
    assert short.status_code == 422
    assert field_error(short.get_data(as_text=True), "reason") == (
        "Give the reason in a few words: at least 10 characters, or 4 Chinese characters.")
    everything = post(client, f"/admin/users/{user.id}/password",
                      {"password": "too short", "reason": "Forgotten"})
    page = everything.get_data(as_text=True)
    assert everything.status_code == 422
    assert field_error(page, "reason") == (
        "Give the reason in a few words: at least 10 characters, or 4 Chinese characters.")
    assert field_error(page, "password") == "Use at least 12 characters."
    assert field_error(page, "confirm") == "Tick the box to confirm."
    assert by_email(user.email).password_hash == before


def test_changing_the_language_on_a_refused_form_returns_to_the_page_of_the_form(
        app, admin, client):
    """A refused form answers at its POST address, which a GET cannot repeat (405): the
    language form brings the reader back to the page the form was on."""
    user = make_user("exporter")
    page = f"/admin/users/{user.id}"
    assert f'name="next" value="{page}"' in client.get(page).get_data(as_text=True)
    refused = post(client, f"{page}/password", {"password": NEW_PASSWORD},
                   headers={"Referer": f"http://localhost{page}?tab=security"})
    assert refused.status_code == 422
    assert f'name="next" value="{page}?tab=security"' in refused.get_data(as_text=True)
    back = post(client, "/language", {"locale": "kk", "next": f"{page}?tab=security"})
    assert back.status_code == 302 and back.location == f"{page}?tab=security"
    elsewhere = post(client, f"{page}/password", {"password": NEW_PASSWORD},
                     headers={"Referer": "https://evil.example/admin"})
    assert 'name="next" value="/"' in elsewhere.get_data(as_text=True)


@pytest.mark.parametrize(("password", "message"), [
    ("too short", "Use at least 12 characters."),
    ("1q2w3e4r5t6y", "This password appears in lists of breached passwords; choose another."),
])
def test_weak_reset_password_is_refused(admin, client, password, message):
    user = make_user("exporter")
    before = user.password_hash
    response = post(client, f"/admin/users/{user.id}/password",
                    {"password": password, "confirm": "y",
                     "reason": "Forgotten; identity checked by phone"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "password") == message
    assert by_email(user.email).password_hash == before
    # Without the box ticked, both are said at once (the length waited for the box).
    unticked = post(client, f"/admin/users/{user.id}/password", {"password": password})
    page = unticked.get_data(as_text=True)
    assert unticked.status_code == 422 and field_error(page, "password") == message
    assert field_error(page, "confirm") == "Tick the box to confirm."


@pytest.mark.parametrize("confirmed", [True, False])
def test_a_reset_password_with_the_persons_name_speaks_of_the_person(admin, client, confirmed):
    """The refusal said "without your e-mail address or name" to the administrator, of
    someone else's password (said by the view with an unticked box, by the service else)."""
    user = make_user("exporter", "saule.nurlanova@example.kz")
    body = {"password": "saule.nurlanova is a long one",
            "reason": "Forgotten; identity checked by phone"}
    if confirmed:
        body["confirm"] = "y"
    response = post(client, f"/admin/users/{user.id}/password", body)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "password") == (
        "Choose a password without the person's e-mail address or name in it.")
    post(client, "/language", {"locale": "kk", "next": "/"})
    g.pop("_flask_babel", None)  # the test's app context keeps the last request's language
    kazakh = post(client, f"/admin/users/{user.id}/password", body)
    said = ("Құрамында бұл адамның электрондық пошта мекенжайы немесе аты жоқ құпиясөз "
            "таңдаңыз.")  # not "мекенжайыңыз немесе атыңыз", the reader's own
    assert field_error(kazakh.get_data(as_text=True), "password") == said
    g.pop("_flask_babel", None)
    created = post(client, "/admin/users/new", account(password="new.inspector long words"))
    assert field_error(created.get_data(as_text=True), "password") == said


@pytest.mark.parametrize("role", ["exporter", "inspector", "registrar"])
def test_other_roles_cannot_create_accounts_or_reset_passwords(ctx, client, role):
    victim = make_user("admin", "victim@example.kz")
    victim_hash = victim.password_hash
    user = make_user(role)
    login(client, user.email)
    for url in ("/admin/users", "/admin/users/new", f"/admin/users/{victim.id}"):
        assert client.get(url).status_code == 403
    count = user_count()
    assert post(client, "/admin/users/new", account(role="admin")).status_code == 403
    assert post(client, f"/admin/users/{victim.id}/password",
                {"password": NEW_PASSWORD}).status_code == 403
    assert post(client, f"/admin/users/{victim.id}", edit_body(victim, is_active=None)
                ).status_code == 403
    assert user_count() == count
    victim = by_email("victim@example.kz")
    assert (victim.is_active, victim.password_hash) == (True, victim_hash)


def test_an_inspectors_regions_are_listed_by_name_not_by_code(admin, client):
    make_user("inspector", email="regions@example.kz", regions=["KZ-11", "KZ-39"])
    page = client.get("/admin/users?q=regions@example.kz").get_data(as_text=True)
    assert "Akmola Region, Kostanay Region" in page
    assert "KZ-11" not in page


def test_an_accredited_laboratorys_account_names_its_laboratory(admin, client):
    """The role was offered, then refused with "names its laboratory", with no field to name
    one."""
    from api_world import make_laboratory

    lab, _user = make_laboratory("Astana grain laboratory")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="laboratory_id"' in page and "Astana grain laboratory" in page
    refused = post(client, "/admin/users/new", account(
        email="lab@example.kz", role="laboratory", committee=None, regions=None))
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "laboratory_id") == (
        "A laboratory's account names its laboratory.")
    created = post(client, "/admin/users/new", account(
        email="lab@example.kz", role="laboratory", committee=None, regions=None,
        laboratory_id=str(lab.id)))
    assert created.status_code == 302
    user = by_email("lab@example.kz")
    assert (user.role, user.laboratory_id) == ("laboratory", lab.id)
    listed = client.get("/admin/users?role=laboratory").get_data(as_text=True)
    assert re.search(r"lab@example\.kz.*?Astana grain laboratory", listed, re.S)  # it read "—"
    moved = post(client, f"/admin/users/{user.id}", edit_body(
        user, role="registrar", confirm_role="y", role_reason="Left the laboratory"))
    assert moved.status_code == 302 and by_email("lab@example.kz").laboratory_id is None


def test_an_administrator_revokes_a_leaked_token_with_a_reason(admin, client):
    """An administrator could neither see nor revoke another user's token: disabling the whole
    account was the only way."""
    from api_world import bearer, token_for

    user = make_user("exporter", "erp@example.kz")
    secret, other = token_for(user), token_for(user)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    tokens_section = page[page.index('id="user-tokens"'):]
    assert tokens_section.count("erp@example.kz system") == 2
    token_id = db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == user.id)
                                  .order_by(ApiToken.id)).first()
    url = f"/admin/users/{user.id}/tokens/{token_id}/revoke"
    elsewhere = f"/admin/users/{admin.id}/tokens/{token_id}/revoke"  # not that account's token
    assert post(client, elsewhere, {"reason": "x", "confirm": "y"}).status_code == 404
    refused = post(client, url, {"reason": "Published on a public repository"})
    assert refused.status_code == 422
    kept = refused.get_data(as_text=True)
    assert "Tick the box to confirm." in kept and 'value="Published on a public repository"' in kept
    assert client.get("/api/v1/enterprise", headers=bearer(secret)).status_code != 401
    done = post(client, url, {"reason": "Published on a public repository", "confirm": "y"})
    assert done.status_code == 302
    assert client.get("/api/v1/enterprise", headers=bearer(secret)).status_code == 401
    assert client.get("/api/v1/enterprise", headers=bearer(other)).status_code != 401
    assert by_email("erp@example.kz").is_active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token_revoked"))
    assert (event.actor_id, event.comment) == (admin.id, "Published on a public repository")


def test_the_service_refuses_a_password_reset_without_a_reason(admin):
    """The page asked for a reason; the service, the rule for every caller, did not."""
    from certtrack.services import accounts
    from certtrack.services.errors import ValidationFailed

    user = make_user("exporter")
    before = user.password_hash
    with pytest.raises(ValidationFailed) as refused:
        accounts.reset_password(admin, user, NEW_PASSWORD, "  ")
    assert list(refused.value.errors) == ["reason"]
    assert by_email(user.email).password_hash == before


def test_a_name_in_cyrillic_is_found_in_any_case(admin, client):
    """"жанна" or "САРСЕНОВА" found no "Жанна Сарсенова": the database folded Latin letters
    only, and most staff names here are written in Cyrillic."""
    inspector = make_user("inspector", "zhanna@example.kz", full_name="Жанна Сарсенова")
    make_user("inspector", "other@example.kz", full_name="Әсел Нұрланқызы")
    for typed in ("жанна", "САРСЕНОВА", "Жанна Сарсенова"):
        page = client.get(f"/admin/users?q={typed}").get_data(as_text=True)
        assert listed_ids(page) == [inspector.id], typed
    page = client.get("/admin/users?q=әсел").get_data(as_text=True)
    assert listed_ids(page) == [db.session.scalar(select(User.id).where(
        User.email == "other@example.kz"))]


def test_disabling_or_a_new_role_asks_a_reason_of_a_few_words(admin, client):
    """"Left" disabled an account and "x" gave it another role: every other final step asks
    for at least 10 characters."""
    user = make_user("registrar", "short.reason@example.kz")
    disabled = post(client, f"/admin/users/{user.id}", edit_body(
        user, is_active=None, reason="Left", confirm_disable="y"))
    assert disabled.status_code == 422
    page = disabled.get_data(as_text=True)
    assert field_error(page, "reason") == ("Give the reason in a few words: at least 10 "
                                           "characters, or 4 Chinese characters.")
    assert 'value="Left"' in page
    assert by_email("short.reason@example.kz").is_active
    moved = post(client, f"/admin/users/{user.id}", edit_body(
        user, role="admin", role_reason="x", confirm_role="y"))
    assert moved.status_code == 422
    page = moved.get_data(as_text=True)
    assert field_error(page, "role_reason") == ("Give the reason in a few words: at least 10 "
                                                "characters, or 4 Chinese characters.")
    assert 'name="role_reason" type="text" value="x"' in page
    assert by_email("short.reason@example.kz").role == "registrar"
    assert db.session.scalar(select(func.count(AuditEvent.seq)).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id,
        AuditEvent.action != "user_created")) == 0


def test_disabling_says_the_box_and_the_reason_with_the_fields_errors(admin, client):
    """A name left out was said first, and the box and the reason only on the next try."""
    user = make_user("registrar", "two.rounds@example.kz")
    response = post(client, f"/admin/users/{user.id}", edit_body(
        user, full_name="", is_active=None, role="admin"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "full_name")
    assert field_error(page, "confirm_disable") == "Tick the box to confirm."
    assert field_error(page, "reason") == "Say why the account is disabled."
    assert field_error(page, "confirm_role") == "Tick the box to confirm."
    assert field_error(page, "role_reason") == "Say why the role changes."
    fresh = by_email("two.rounds@example.kz")
    assert fresh.is_active and fresh.role == "registrar"


def test_a_new_accounts_mistakes_come_in_one_answer(admin, client):
    """An e-mail mistyped was said alone: an inspector without regions, a password too short
    or an e-mail already taken came on the next try."""
    response = post(client, "/admin/users/new", {
        "email": "not-an-email", "full_name": "Dana Inspector", "role": "inspector",
        "committee": "phytosanitary", "password": "short"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "email")
    assert field_error(page, "regions") == "An inspector covers at least one region."
    assert field_error(page, "password")
    taken = post(client, "/admin/users/new", {
        "email": "root@example.kz", "full_name": "", "role": "registrar"})
    assert taken.status_code == 422
    assert field_error(taken.get_data(as_text=True), "full_name")
    assert field_error(taken.get_data(as_text=True), "email") == (
        "An account with this e-mail already exists.")
    assert by_email("not-an-email") is None and user_count() == 1
