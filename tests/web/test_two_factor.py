"""The second factor: required for staff, optional for exporters, codes used once, recovery
codes single-use and stored hashed, an administrator's reset audited; the demo's known secrets."""

import pyotp
from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, RecoveryCode, User
from certtrack.services import two_factor

from factories import make_user
from forms import PASSWORD, enrol, login, post, totp_code

INVALID = "Invalid e-mail, password or authentication code."


def _sign_in(client, email, code=""):
    return post(client, "/login", {"email": email, "password": PASSWORD, "code": code})


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_staff_cannot_sign_in_with_the_password_alone(ctx, client):
    for role in ("inspector", "registrar", "admin"):
        user = make_user(role)
        refused = _sign_in(client, user.email)
        assert refused.status_code == 422
        assert INVALID in refused.get_data(as_text=True)
        assert _sign_in(client, user.email, "123456").status_code == 422
        assert not _signed_in(client)


def test_a_code_signs_in_once_only(app, ctx, client):
    user = make_user("registrar")
    code = totp_code(app, user.email)
    assert _sign_in(client, user.email, code).status_code == 302
    post(client, "/logout", csrf_url="/account")
    replayed = _sign_in(app.test_client(), user.email, code)
    assert replayed.status_code == 422  # ASVS 2.8.4: the same code does not work twice


def test_an_exporter_turns_two_step_sign_in_on_and_then_needs_the_code(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    assert "Off." in client.get("/account").get_data(as_text=True)
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "On: you sign in with a code" in client.get("/account").get_data(as_text=True)
    stored = db.session.scalars(select(RecoveryCode.code_hash)
                                .where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    other = app.test_client()
    assert _sign_in(other, user.email).status_code == 422
    step = two_factor.current_step() + 1  # the enrolment used the current one
    assert _sign_in(other, user.email, pyotp.TOTP(secret).generate_otp(step)).status_code == 302


def test_the_enrolment_page_shows_a_qr_code_and_refuses_a_wrong_code(ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    post(client, "/account/two-factor/start", {}, csrf_url="/account/two-factor")
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    wrong = post(client, "/account/two-factor/confirm", {"code": "000000"},
                 csrf_url="/account/two-factor")
    assert wrong.status_code == 422
    assert "This code does not match" in wrong.get_data(as_text=True)
    assert not db.session.get(User, user.id).has_totp


def test_a_recovery_code_signs_in_once(app, ctx, client):
    user = make_user("exporter")
    login(client, user.email)
    _secret, codes = enrol(client)
    first = app.test_client()
    assert _sign_in(first, user.email, codes[0]).status_code == 302
    assert _sign_in(app.test_client(), user.email, codes[0]).status_code == 422
    assert _sign_in(app.test_client(), user.email, codes[1].upper()).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_id == user.id, AuditEvent.action == "recovery_code_used")).all()
    assert len(actions) == 2


def test_an_administrator_resets_a_lost_factor_with_a_reason(app, ctx, client):
    admin, inspector = make_user("admin"), make_user("inspector")
    theirs = app.test_client()
    login(theirs, inspector.email)
    login(client, admin.email)
    url = f"/admin/users/{inspector.id}/second-factor"
    unconfirmed = post(client, url, {"reason": "Lost phone"}, csrf_url="/account")
    assert unconfirmed.status_code == 422
    page = unconfirmed.get_data(as_text=True)  # it said "This field is required."
    assert "Tick the box to confirm." in page.split('id="confirm-error"')[1][:80]
    assert db.session.get(User, inspector.id).has_totp
    blank = post(client, url, {"reason": " ", "confirm": "y"}, csrf_url="/account")
    assert "Please give a reason." in blank.get_data(as_text=True).split(
        'id="reason-error"')[1][:80]
    done = post(client, url, {"reason": "Lost phone", "confirm": "y"}, csrf_url="/account")
    assert done.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, inspector.id).has_totp
    assert not _signed_in(theirs)  # signed out everywhere
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "totp_reset"))
    assert (event.actor_id, event.object_id, event.comment) == (admin.id, inspector.id,
                                                                 "Lost phone")
    # Next sign-in: the password alone, then straight to setting up a new factor.
    again = app.test_client()
    assert _sign_in(again, inspector.email).location == "/account/two-factor"
    assert again.get("/inspector/").location == "/account/two-factor"


def test_a_factor_is_not_reset_for_a_reason_of_a_word(app, ctx, client):
    """Every other final step asks at least 10 characters of its reason; this took "Lost"."""
    admin, inspector = make_user("admin"), make_user("inspector")
    login(client, admin.email)
    url = f"/admin/users/{inspector.id}/second-factor"
    for body in ({"reason": "Lost", "confirm": "y"}, {"reason": "Lost"}):
        response = post(client, url, body, csrf_url="/account")
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "at least 10 characters" in page and 'value="Lost"' in page
    assert db.session.get(User, inspector.id).has_totp
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "totp_reset")) is None


def test_an_exporter_may_not_reset_anyones_factor(app, ctx, client):
    inspector, exporter = make_user("inspector"), make_user("exporter")
    login(client, exporter.email)
    response = post(client, f"/admin/users/{inspector.id}/second-factor",
                    {"reason": "x", "confirm": "y"})
    assert response.status_code == 403
    assert db.session.get(User, inspector.id).has_totp


def test_new_recovery_codes_replace_the_old_ones(app, ctx, client):
    user = make_user("registrar")
    login(client, user.email)
    old = db.session.scalars(select(RecoveryCode.code_hash)
                             .where(RecoveryCode.user_id == user.id)).all()
    response = post(client, "/account/two-factor/recovery-codes",
                    {"code": totp_code(app, user.email)}, csrf_url="/account/two-factor")
    assert response.status_code == 200
    assert "Copy them now" in response.get_data(as_text=True)
    new = db.session.scalars(select(RecoveryCode.code_hash)
                             .where(RecoveryCode.user_id == user.id)).all()
    assert len(new) == 10 and not set(old) & set(new)


def _remove(client, **fields):
    return post(client, "/account/two-factor/remove", fields, csrf_url="/account/two-factor")


def _next_code(user_id: int) -> str:
    """The code of the step after the current one (the sign-in used the current one)."""
    secret = db.session.get(User, user_id).totp_secret
    return pyotp.TOTP(secret).generate_otp(two_factor.current_step() + 1)


def test_an_exporter_turns_two_step_sign_in_off_with_a_code_and_a_ticked_box(app, ctx,
                                                                             client):
    """Turned on, it offered only new recovery codes: a lost or replaced phone had no way
    out but an administrator."""
    user = make_user("exporter")
    login(client, user.email)
    secret, _codes = enrol(client)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Move to a new phone or turn off…" in page
    unticked = _remove(client, current_code=_next_code(user.id))
    assert unticked.status_code == 422
    assert "Tick the box to confirm." in unticked.get_data(as_text=True)
    wrong = _remove(client, current_code="000000", confirm="y")
    assert wrong.status_code == 422 and db.session.get(User, user.id).has_totp
    off = _remove(client, current_code=_next_code(user.id), confirm="y")
    assert off.status_code == 302
    stored = db.session.get(User, user.id)
    assert not stored.has_totp and stored.totp_secret is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id)) is None
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_id == user.id).order_by(AuditEvent.seq.desc()).limit(1)) == (
        "totp_removed")
    assert _signed_in(client)  # the session stays
    assert _sign_in(app.test_client(), user.email).status_code == 302  # the password alone


def test_guessing_the_code_to_turn_it_off_waits_as_signing_in_does(app, ctx, client):
    """A session left open could try the million codes at once, and turn the factor off."""
    user = make_user("exporter")
    login(client, user.email)
    enrol(client)
    for _ in range(5):  # the account's free failures
        assert _remove(client, current_code="000000", confirm="y").status_code == 422
    waits = _remove(client, current_code=_next_code(user.id), confirm="y")
    assert waits.status_code == 422
    assert "Too many wrong entries. Try again in 1 minute." in waits.get_data(as_text=True)
    assert db.session.get(User, user.id).has_totp


def test_staff_moving_to_a_new_phone_are_shown_the_new_set_up_at_once(app, ctx, client):
    user = make_user("inspector")
    old_secret = user.totp_secret
    login(client, user.email)
    assert "Move to a new phone…" in client.get("/account/two-factor").get_data(as_text=True)
    moved = _remove(client, current_code=_next_code(user.id), confirm="y")
    assert moved.status_code == 302
    page = client.get(moved.location).get_data(as_text=True)
    assert "Scan this code with the new phone to finish." in page
    stored = db.session.get(User, user.id)
    assert not stored.has_totp and stored.totp_secret not in (None, old_secret)
    assert 'id="totp-secret">' in page  # the new key, to scan


def test_staff_without_a_factor_are_told_to_set_it_up_in_their_own_language(ctx, client):
    """The notice came in the sign-in page's language (the browser's English) above a page
    in the user's Chinese."""
    from certtrack.services import accounts
    from certtrack.services.permissions import SYSTEM

    user = accounts.create_user(SYSTEM, accounts.AccountInput.from_mapping({
        "email": "new.registrar@example.kz", "full_name": "New Registrar",
        "role": "registrar", "password": PASSWORD, "committee": None, "regions": []}))
    user.locale = "zh"
    db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    signed = _sign_in(client, user.email)
    assert signed.status_code == 302 and signed.location.endswith("/account/two-factor")
    g.pop("_flask_babel", None)  # the test's app context keeps the sign-in page's language
    page = client.get(signed.location).get_data(as_text=True)
    assert 'lang="zh"' in page
    assert "Your role signs in with a second factor" not in page
    assert "第二" in page.split('class="flashes"')[1].split("</div>")[0]
