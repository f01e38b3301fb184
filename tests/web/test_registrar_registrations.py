"""Registrations after listing through HTTP: the registrar's list and detail page with the
lifecycle actions, and the exporter's page where a renewal starts."""

import html
import re
from datetime import date, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import event, func, select, update

from certtrack.domain.calendar import add_months, add_years
from certtrack.domain.workflow import RegistrationAction
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Registration
from certtrack.services import registration_alerts, registrations, status_changes
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.registrations import SYSTEM

from factories import make_registration, make_user, move_to_state
from forms import flashes, login, post

# A year on: a suspension over when recorded is resumed at once (status_changes).
UNTIL = date.today() + timedelta(days=400)


@pytest.fixture
def registrar(ctx):
    return make_user("registrar", "registrar@example.kz")


@pytest.fixture
def listed(registrar):
    return make_registration(registrar, date(2026, 7, 1), number="CKAZ18PP1802010539")


def _status(registration) -> str:
    db.session.expire_all()
    return db.session.get(Registration, registration.id).status


def test_registrar_suspends_resumes_and_revokes(registrar, listed, client):
    _exporter, application, registration = listed
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    page = client.get(url).get_data(as_text=True)
    assert "CKAZ18PP1802010539" in page and f'action="{url}/suspend"' in page
    assert "Renewed automatically under GACC Order 280" in page
    assert f'action="{url}/resume"' not in page

    missing = post(client, f"{url}/suspend", {"authority": "gacc", "suspended_from": ""})
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert 'id="reason-error"' in text and 'id="suspended_from-error"' in text
    assert _status(registration) == "active"

    suspended = post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Residues above the limit", "suspended_from": "2026-08-01",
        "suspended_until": UNTIL.isoformat(), "version": str(registration.version), "confirm": "y"})
    assert suspended.status_code == 302 and _status(registration) == "suspended"
    page = client.get(url).get_data(as_text=True)
    assert "Residues above the limit" in page and f'action="{url}/resume"' in page
    # resuming is confirmed, not styled as a loss as revoking is (both were red)
    assert '<section class="card " id="resume">' in page
    assert '<section class="card card-danger" id="revoke">' in page
    assert "The registration is in force again at once for products made on or after" in page
    # one sentence, as the public page says it (its pieces were run together in Chinese)
    assert f'id="suspension">GACC: Suspended from Aug 1, 2026 to {format_date(UNTIL)}.' in page

    # a day to come: the public register read "in force, for products produced on or after"
    # it, while nothing made today was accepted
    ahead = local_today() + timedelta(days=13)
    early = post(client, f"{url}/resume", {"products_produced_from": ahead.isoformat()})
    assert early.status_code == 422 and _status(registration) == "suspended"
    assert ("Until that day no product is accepted, and the register would show the "
            "registration in force: record the resumption on "
            f"{format_date(ahead, 'medium')}.") in html.unescape(early.get_data(as_text=True))
    unconfirmed = post(client, f"{url}/resume", {"products_produced_from": "2026-09-15"})
    assert unconfirmed.status_code == 422 and _status(registration) == "suspended"
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)  # a click resumed
    resumed = post(client, f"{url}/resume", {"products_produced_from": "2026-09-15",
                                             "confirm": "y"})
    assert resumed.status_code == 302 and _status(registration) == "active"
    assert "produced on or after" in client.get(url).get_data(as_text=True)

    revoked = post(client, f"{url}/revoke", {"reference": "GACC Announcement No. 12",
                                             "reason": "Repeated violations", "confirm": "y"})
    assert revoked.status_code == 302 and _status(registration) == "revoked"
    page = client.get(url).get_data(as_text=True)
    assert "GACC Announcement No. 12" in page and 'method="post"' not in page.split("</h1>")[1]
    assert "produced on or after" not in page  # nothing is accepted from a revoked one
    timeline = client.get(f"/registrar/applications/{application.id}").get_data(as_text=True)
    assert "Revoke registration" in timeline and "Repeated violations" in timeline


def test_a_registration_within_its_validity_offers_no_expiry(registrar, listed, client):
    """"Expire" ended a registration years early and told the exporter it "expired on" its
    last valid day, still to come: within its validity it is cancelled or revoked instead."""
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/expire"' not in page and f'action="{url}/cancel"' in page
    refused = post(client, f"{url}/expire", {"version": str(registration.version),
                                             "reason": "Listing withdrawn", "confirm": "y"})
    assert refused.status_code == 302 and _status(registration) == "active"
    assert "This action is no longer possible" in client.get(url).get_data(as_text=True)


def test_expiring_needs_a_reason_and_a_confirmation(registrar, listed, client):
    registration = listed[2]
    registration.valid_to = local_today() - timedelta(days=1)  # the daily run did not record it
    db.session.commit()
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    page = client.get(url).get_data(as_text=True)
    # Folded until chosen, with the consequence named and one `reason` id per form.
    assert '<details class="destructive">' in page and "the registration ends as expired" in page
    refused = post(client, f"{url}/expire", {"version": str(registration.version)})
    assert refused.status_code == 422 and _status(registration) == "active"
    text = refused.get_data(as_text=True)
    assert "Please give a reason." in text and "Tick the box to confirm." in text
    assert '<details class="destructive" open>' in text
    expired = post(client, f"{url}/expire", {"version": str(registration.version),
                                             "reason": "Listing withdrawn", "confirm": "y"})
    assert expired.status_code == 302 and expired.location.endswith(f"{url}#expire")
    assert _status(registration) == "expired"
    assert db.session.scalar(select(AuditEvent.comment).where(
        AuditEvent.action == "expire", AuditEvent.object_id == registration.id)) == (
        "Listing withdrawn")


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_stale_form_gets_409_and_changes_nothing(registrar, listed, client):
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    stale_version = str(registration.version)
    post(client, f"{url}/cancel", {"reason": "Stopped exporting", "confirm": "y"})
    response = post(client, f"{url}/cancel", {"reason": "Twice in error", "version": stale_version,
                                              "confirm": "y"})
    assert response.status_code == 409  # the reader's own change, from another tab
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r"It is now “Cancelled”: you changed it last, at .{10,30}, after you "
                     r"opened this page \(in another window or tab\)\.", page)
    assert 'id="typed-text">Twice in error<' in page
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "cancel")) == 1


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_lost_race_in_the_same_status_is_a_409(registrar, listed, client):
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    response = post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Site audit", "suspended_from": "2026-08-01",
        "version": str(registration.version - 1), "confirm": "y"})
    assert response.status_code == 409
    assert _status(registration) == "active"


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
@pytest.mark.parametrize(("steps", "now"), [(("revoke",), "Revoked"),
                                             (("suspend", "resume"), "Active")])
def test_a_stale_suspension_names_the_status_now_who_changed_it_and_when(
        registrar, listed, client, steps, now):
    """A suspension sent from a page older than a colleague's change said "This action is no
    longer possible" (in Russian and Kazakh, "the application's state"), or that the
    registration had changed, without its status now."""
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    loaded = str(registration.version)
    colleague = make_user("registrar", full_name="Dana Colleague")
    entries = {"revoke": {"reference": "GACC Announcement No. 12", "reason": "Repeated violations"},
               "suspend": {"authority": "gacc", "reason": "Residues above the limit",
                           "suspended_from": date(2026, 8, 1)},
               "resume": {"products_produced_from": date(2026, 9, 15)}}
    for step in steps:
        status_changes.change_status(colleague, registration, step,
                                    status_changes.StatusChangeInput.from_mapping(entries[step]))
    response = post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Site audit found rodents", "suspended_from": "2026-08-01",
        "version": loaded, "confirm": "y"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(rf"It is now “{now}”: Dana Colleague changed it last, at .{{10,30}}, after "
                     r"you opened this page\.", page)
    assert 'id="typed-text">Site audit found rodents<' in page
    assert _status(registration) == now.lower()


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_a_stale_suspension_after_the_daily_job_and_its_pdf_names_the_daily_job(
        registrar, listed, client):
    """The daily job's change names it, as a person's names them; a step of the system that
    changes nothing of the registration is passed over (the registration's own lookup named
    any latest event, the stale edits' one only a person's)."""
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    loaded = str(registration.version)
    registrations.apply_registration_action(SYSTEM, registration, RegistrationAction.expire)
    record_event(SYSTEM, "registration_note_stored", object_type="registration",
                 object_id=registration.id)
    db.session.commit()
    response = post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Site audit", "suspended_from": "2026-08-01",
        "version": loaded, "confirm": "y"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r"It is now “Expired”: the daily job changed it last, at .{10,30}, after "
                     r"you opened this page\.", page)
    assert _status(registration) == "expired"


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_list_filters_by_status_and_finds_by_number_or_enterprise(registrar, listed, client):
    make_registration(registrar, date(2026, 7, 2), number="CKAZ00000000000777")
    post_login = login(client, "registrar@example.kz")
    assert post_login.status_code == 302
    found = client.get("/registrar/registrations?q=ckaz18pp").get_data(as_text=True)
    assert "CKAZ18PP1802010539" in found and "CKAZ00000000000777" not in found
    by_name = client.get("/registrar/registrations?q=Registered+Enterprise").get_data(
        as_text=True)
    assert "CKAZ18PP1802010539" in by_name and "CKAZ00000000000777" in by_name
    expired = client.get("/registrar/registrations?status=expired").get_data(as_text=True)
    assert "No registration in this view." in expired


def _queries(client, url: str) -> int:
    seen = []
    db.session.expire_all()
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


@pytest.mark.engine  # run on PostgreSQL too (conftest.py)
def test_registration_list_queries_do_not_grow_with_rows(registrar, client):
    regions = ("KZ-11", "KZ-39", "KZ-55")
    for n in range(3):
        make_registration(registrar, date(2026, 7, 1), region=regions[n % 3])
    login(client, "registrar@example.kz")
    client.get("/registrar/registrations")
    with_three = _queries(client, "/registrar/registrations")
    for n in range(3, 23):
        make_registration(registrar, date(2026, 7, 1), region=regions[n % 3])
    assert _queries(client, "/registrar/registrations") == with_three


def test_exporter_starts_a_renewal_when_the_window_is_open(registrar, client):
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    # Meat is on GACC's Order 280 renewal list: its renewal still takes an application.
    exporter, original, registration = make_registration(registrar, valid_from,
                                                         category="meat", product="beef_chilled")
    login(client, exporter.email)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert registration.china_number in page and "Apply for renewal" in page
    response = post(client, f"/exporter/registrations/{registration.id}/renew")
    assert response.status_code == 302
    draft = db.session.scalar(select(Application).where(Application.kind == "renewal"))
    assert response.location == f"/exporter/applications/{draft.id}"
    assert (draft.renewal_of_id, draft.establishment_id) == (registration.id,
                                                             original.establishment_id)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert draft.reference in page and "Apply for renewal" not in page


def test_a_renewal_keeps_its_kind_establishment_and_category(registrar, client):
    """A renewal draft could be switched to a new registration, another establishment or
    another category, and still counted as the registration's renewal."""
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, original, registration = make_registration(
        registrar, valid_from, category="meat", product="beef_chilled")
    login(client, exporter.email)
    post(client, f"/exporter/registrations/{registration.id}/renew")
    draft = db.session.scalar(select(Application).where(Application.kind == "renewal"))
    url = f"/exporter/applications/{draft.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "A renewal keeps the kind, establishment and category of the registration it " \
        "renews." in page
    assert '<select id="kind"' not in page and '<select id="gacc_category_code"' not in page
    form = {"kind": "renewal", "establishment_id": str(draft.establishment_id),
            "gacc_category_code": "meat", "haccp_status": "certified", "traceability": "Lots",
            "production_capacity": "10", "water_source": "municipal", "staff_count": "5",
            "version": str(draft.version)}
    switched = post(client, url, {**form, "kind": "new"})
    assert switched.status_code == 422
    assert "A renewal keeps the kind" in switched.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, draft.id).kind == "renewal"
    saved = post(client, url, form)  # its questionnaire stays editable
    assert saved.status_code == 302, re.findall(r'class="error"[^>]*>([^<]*)', saved.get_data(
        as_text=True))
    db.session.expire_all()
    assert db.session.get(Application, draft.id).production_capacity == 10


def test_a_renewal_draft_is_due_by_the_windows_last_day(registrar, client):
    """The exporter's list showed a renewal draft with no deadline, and a draft left until the
    window had closed could still be submitted."""
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(
        registrar, valid_from, category="meat", product="beef_chilled")
    login(client, exporter.email)
    assert post(client, f"/exporter/registrations/{registration.id}/renew").status_code == 302
    draft = db.session.scalar(select(Application).where(Application.kind == "renewal"))
    closes = add_months(registration.valid_to, -3)
    assert draft.stage_deadline == closes
    page = client.get("/exporter/").get_data(as_text=True)
    row = page.split(f'<a href="/exporter/applications/{draft.id}">')[-1].split("</tr>")[0]
    assert format_date(closes) in row and "overdue" not in row

    draft.stage_deadline = local_today() - timedelta(days=1)  # the window closed yesterday
    db.session.commit()
    page = client.get(f"/exporter/applications/{draft.id}").get_data(as_text=True)
    message = (f"The renewal window closed on {format_date(draft.stage_deadline)}; apply for a "
               "new registration.")
    assert message in page and 'href="/exporter/registrations"' in page
    response = post(client, f"/exporter/applications/{draft.id}/submit",
                    {"version": str(draft.version), "confirm": "y"})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, draft.id).state == "draft"


def test_exporter_is_told_when_no_renewal_application_is_needed(registrar, listed, client):
    exporter, _application, registration = listed
    login(client, exporter.email)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert "Renewed automatically" in page and "Apply for renewal" not in page
    response = post(client, f"/exporter/registrations/{registration.id}/renew")
    assert "no application is needed" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Application).where(Application.kind == "renewal")) is None


def test_registrations_are_private_to_registrars_and_their_exporter(registrar, listed, client):
    stranger, *_ = make_registration(registrar, date(2026, 7, 3))
    registration = listed[2]
    login(client, stranger.email)
    assert client.get(f"/registrar/registrations/{registration.id}").status_code == 403
    assert post(client, f"/exporter/registrations/{registration.id}/renew").status_code == 404
    assert "CKAZ18PP1802010539" not in client.get("/exporter/registrations").get_data(
        as_text=True)
    inspector = make_user("inspector", "inspector@example.kz")
    client.post("/logout")
    login(client, inspector.email)
    assert post(client, f"/registrar/registrations/{registration.id}/suspend", {
        "authority": "gacc", "reason": "x", "suspended_from": "2026-08-01"}).status_code == 403
    assert _status(registration) == "active"


@pytest.mark.parametrize(
    ("category", "product", "sentence"),
    [("meat", "beef_chilled", "if no renewal is applied for within the window, the "
                              "registration is cancelled after"),
     ("edible_grains", "wheat", "It is renewed for another 5 years after")],
)
def test_registration_page_says_what_order_280_decides(registrar, client, category, product,
                                                       sentence):
    # Listed under Decree 248 five years ago, ending in 120 days: Order 280 decides.
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _application, registration = make_registration(
        registrar, valid_from, category=category, product=product)
    login(client, "registrar@example.kz")
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    assert sentence in page.replace("&#39;", "'")
    assert "Decree 248 applies" not in page
    login(client, exporter.email)
    assert sentence in client.get("/exporter/registrations").get_data(as_text=True)


def test_recording_a_renewal_keeps_the_number_and_the_history_says_how_far_it_extends(
        registrar, client):
    """The renewal's form came empty and took any number; the history said only "Registration
    renewed"."""
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    # Meat is on GACC's Order 280 renewal list: its renewal still takes an application.
    exporter, _original, registration = make_registration(registrar, valid_from,
                                                          category="meat", product="beef_chilled")
    old_valid_to = registration.valid_to
    draft = move_to_state(registrations.start_renewal(exporter, registration), "submitted_to_gacc")
    login(client, "registrar@example.kz")
    url = f"/registrar/applications/{draft.id}/registration"
    assert f'value="{registration.china_number}"' in client.get(url).get_data(as_text=True)
    entries = {"confirm": "y", "listing_date": local_today().isoformat(),
               "route": "under_guarantee"}
    refused = post(client, url, {**entries, "china_number": "CKAZ99999999999999"})
    assert refused.status_code == 422
    assert "A renewal keeps the registration&#39;s number" in refused.get_data(as_text=True)
    recorded = post(client, url, {**entries, "china_number": registration.china_number})
    assert recorded.status_code == 302
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    assert (f"Valid until {format_date(old_valid_to)}; now until "
            f"{format_date(add_years(old_valid_to, 5))}.") in page


def test_a_suspension_from_a_later_day_is_refused_beside_its_date(registrar, listed, client):
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    later = local_today() + timedelta(days=35)
    response = post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Residues above the limit",
        "suspended_from": later.isoformat(), "version": str(registration.version),
        "confirm": "y"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="suspended_from-error"' in page
    assert ("A suspension is recorded on the day it takes effect, not before: record this one "
            f"on {format_date(later)}.") in page
    assert _status(registration) == "active"
    assert "Suspended" not in client.get(url).get_data(as_text=True).split("</dl>")[0]


def test_the_exporters_home_asks_for_each_renewal_due_until_one_is_applied_for(
        registrar, client):
    """The renewal to apply for showed only on the registrations page and in the
    notifications: the home page, where an exporter starts, said nothing of it."""
    in_window = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(
        registrar, in_window, category="meat", product="beef_chilled")
    login(client, exporter.email)
    home = html.unescape(client.get("/exporter/").get_data(as_text=True))
    closes = registrations.renewal(registration, local_today()).window[1]
    assert (f"China registration {registration.china_number} "
            f"({registration.establishment.name_in('en')}) must be renewed: apply by "
            f"{format_date(closes, 'medium')}.") in home
    assert f'href="/exporter/registrations#registration-{registration.id}"' in home
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert "Reminders on" in page
    assert post(client, f"/exporter/registrations/{registration.id}/renew").status_code == 302
    draft = registrations.open_renewal_application(registration)
    # A draft is not an application: it stopped every reminder, and nothing said it was never
    # sent. The home page now leads to it, the reminders go on, the dashboard counts it.
    home = html.unescape(client.get("/exporter/").get_data(as_text=True))
    assert (f"its renewal application {draft.reference} is a draft, not yet submitted. Submit "
            f"it by {format_date(closes, 'medium')}.") in home
    assert f'href="/exporter/applications/{draft.id}"' in home.split('id="renewals-due"')[1]
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert "Reminders on" in page
    assert "A draft, not yet submitted: the reminders go on until it is." in page
    assert [r.id for r, _decision in registrations.renewals_due([registration],
                                                                local_today())] == [
        registration.id]  # the daily reminders and the registrar's dashboard
    move_to_state(draft, "submitted")
    home = client.get("/exporter/").get_data(as_text=True)
    assert 'id="renewals-due"' not in home and registration.china_number not in home
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert "Reminders on" not in page  # none is sent while the renewal is under way
    login(client, "registrar@example.kz")  # nor is it said to the registrar, as it was
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    assert "Renewal application" in page and "Reminders on" not in page


def test_the_home_page_asks_for_no_renewal_outside_the_window(registrar, listed, client):
    exporter, _application, _registration = listed
    login(client, exporter.email)
    assert 'id="renewals-due"' not in client.get("/exporter/").get_data(as_text=True)


def test_the_renewals_due_take_two_queries_however_many_registrations(registrar, client):
    in_window = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, first = make_registration(registrar, in_window, category="meat",
                                                   product="beef_chilled")
    assert exporter.enterprise_id  # the account itself loaded before counting
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert [r.id for r, _closes, _draft in registration_alerts.renewals_to_apply_for(
            exporter)] == [
            first.id]
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == 2


def test_revoking_and_cancelling_say_when_each_is_used(registrar, listed, client):
    """Both said only "The registration ends for good…": nothing told a registrar which one
    records GACC's revocation and which an enterprise leaving."""
    login(client, "registrar@example.kz")
    page = html.unescape(client.get(f"/registrar/registrations/{listed[2].id}")
                         .get_data(as_text=True))
    assert "For GACC's revocation, citing its announcement." in page
    assert "For an enterprise that stops exporting or asks to leave the register" in page


def test_the_exporters_home_says_a_registration_is_suspended_and_until_when(registrar, listed,
                                                                           client):
    """A suspension showed only on the registrations page: the home page, where an exporter
    starts a consignment, said nothing of it, nor of its end."""
    exporter, _application, registration = listed
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    assert post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Residues above the limit", "suspended_from": "2026-08-01",
        "suspended_until": UNTIL.isoformat(), "version": str(registration.version),
        "confirm": "y"}).status_code == 302
    listing = client.get("/registrar/registrations?status=suspended").get_data(as_text=True)
    assert f"from Aug 1, 2026 until {format_date(UNTIL)}" in listing  # not "Suspended" alone
    login(client, exporter.email)
    home = html.unescape(client.get("/exporter/").get_data(as_text=True))
    name = registration.establishment.name_in("en")
    assert (f"China registration CKAZ18PP1802010539 ({name}) is suspended from Aug 1, 2026 to "
            f"{format_date(UNTIL)}: until it is resumed, no consignment from this establishment is "
            "certified for China.") in home
    assert f'href="/exporter/registrations#registration-{registration.id}"' in home
    mine = client.get("/exporter/registrations").get_data(as_text=True)
    row = re.search(rf'<tr id="registration-{registration.id}">.*?</tr>', mine, re.S).group(0)
    assert "GACC: Residues above the limit" in row  # the reason was in the notice alone
    login(client, "registrar@example.kz")
    assert post(client, f"{url}/resume", {"products_produced_from": "2026-09-15",
                                          "confirm": "y"}).status_code == 302
    login(client, exporter.email)
    assert 'id="registrations-suspended"' not in client.get("/exporter/").get_data(as_text=True)


def test_the_registrations_soonest_to_expire_come_after_none_that_has_ended(registrar, client):
    """Sorted by expiry, soonest first, the list began with registrations expired or revoked
    long ago: the one to renew next came after them."""
    _e, _a, ended = make_registration(registrar, date(2021, 3, 1))
    _e, _a, revoked = make_registration(registrar, date(2022, 5, 1))
    _e, _a, live = make_registration(registrar, date(2023, 9, 1))
    db.session.execute(update(Registration).where(Registration.id == ended.id)
                       .values(status="expired"))
    db.session.execute(update(Registration).where(Registration.id == revoked.id)
                       .values(status="revoked"))
    db.session.commit()
    login(client, "registrar@example.kz")
    page = client.get("/registrar/registrations").get_data(as_text=True)
    listed = re.findall(r'href="/registrar/registrations/(\d+)"', page)
    assert listed == [str(live.id), str(ended.id), str(revoked.id)]


def test_the_exporters_home_says_a_registration_has_ended(registrar, listed, client):
    """Revoked by GACC, a registration showed nowhere on the exporter's home page, whose list
    still read "Registered in China" for its application."""
    exporter, _application, registration = listed
    login(client, "registrar@example.kz")
    assert post(client, f"/registrar/registrations/{registration.id}/revoke", {
        "reference": "GACC Announcement No. 12", "reason": "Repeated violations",
        "confirm": "y"}).status_code == 302
    login(client, exporter.email)
    home = html.unescape(client.get("/exporter/").get_data(as_text=True))
    name = registration.establishment.name_in("en")
    assert (f"China registration CKAZ18PP1802010539 ({name}) has ended: revoked on "
            f"{format_date(local_today())}. No consignment from this establishment is "
            "certified for China under it; registering it again takes a new application."
            ) in home
    db.session.refresh(registration)
    _e, _a, again = make_registration(registrar, date(2026, 9, 1))  # registered anew since
    again.establishment_id, again.enterprise_id = (registration.establishment_id,
                                                   registration.enterprise_id)
    db.session.commit()
    assert 'id="registrations-ended"' not in client.get("/exporter/").get_data(as_text=True)
    again.status = "revoked"
    db.session.commit()
    assert 'id="registrations-ended"' in client.get("/exporter/").get_data(as_text=True)
    registration.status_changed_at -= timedelta(days=91)
    again.status_changed_at -= timedelta(days=91)
    db.session.commit()
    assert 'id="registrations-ended"' not in client.get("/exporter/").get_data(as_text=True)


def test_a_registered_application_says_its_registration_is_suspended(registrar, listed,
                                                                      client):
    """Its page read "Registered in China since …" and mentioned the suspension only at the
    bottom of its history; the list's row said "suspended"."""
    exporter, application, registration = listed
    login(client, exporter.email)
    url = f"/exporter/applications/{application.id}"
    assert 'id="registration-now"' not in client.get(url).get_data(as_text=True)
    registration.status, registration.suspended_from = "suspended", local_today()
    registration.suspended_until = local_today() + timedelta(days=45)
    db.session.commit()
    for reader, page in ((exporter, url), (registrar, f"/registrar/applications/{application.id}")):
        reader_client = client.application.test_client()
        login(reader_client, reader.email)
        text = html.unescape(reader_client.get(page).get_data(as_text=True))
        now = re.sub(r"<[^>]+>", "", text.split('id="registration-now">')[1].split("</dd>")[0])
        assert now.startswith(f"China registration {registration.china_number} is suspended "
                              "from "), now


def test_the_registrar_moves_a_suspensions_end_on_its_page(registrar, listed, client):
    registration = listed[2]
    url = f"/registrar/registrations/{registration.id}"
    login(client, "registrar@example.kz")
    assert post(client, f"{url}/suspend", {
        "authority": "gacc", "reason": "Residues above the limit",
        "suspended_from": local_today().isoformat(), "suspended_until": UNTIL.isoformat(),
        "version": str(registration.version), "confirm": "y"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/amend_suspension"' in page and "Change the suspension&#39;s end" in page
    amend = page.split('id="amend_suspension"')[1].split("</section>")[0]
    assert f'value="{UNTIL.isoformat()}"' in amend  # the end in force, to be changed
    db.session.refresh(registration)
    blank = post(client, f"{url}/amend_suspension", {"suspended_until": UNTIL.isoformat(),
                                                      "version": str(registration.version)})
    assert blank.status_code == 422  # the same end, and no reason: nothing changes
    text = html.unescape(blank.get_data(as_text=True))
    assert "This is the suspension's end already." in text and 'id="reason-error"' in text
    later = UNTIL + timedelta(days=30)
    moved = post(client, f"{url}/amend_suspension", {
        "suspended_until": later.isoformat(), "reason": "GACC notice 91 extends it",
        "version": str(registration.version)})
    assert moved.status_code == 302 and _status(registration) == "suspended"
    assert f"The suspension now ends on {format_date(later)}." in " ".join(
        flashes(html.unescape(client.get(moved.location).get_data(as_text=True))))
    db.session.refresh(registration)
    assert registration.suspended_until == later
    assert f"Suspended from {format_date(local_today())} to {format_date(later)}." in \
        html.unescape(client.get(url).get_data(as_text=True))
