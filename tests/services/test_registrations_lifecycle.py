"""The registration lifecycle (docs/domain.md §4) in services: suspension, resumption, revocation,
cancellation and invalidation, each a guarded change with an audit row and a notification; and
renewal applications, which start from a registration while its window is open."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale, format_date
from sqlalchemy import select

from certtrack.domain.calendar import add_years
from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Notification, Registration
from certtrack.services import notifications, registrations, status_changes
from certtrack.services.applications import local_today
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.inputs import StatusChangeInput
from certtrack.services.permissions import registration_actions

from factories import make_registration, make_user


@pytest.fixture
def registrar(ctx):
    return make_user("registrar", "registrar@example.kz", full_name="Aigerim Registrar")


@pytest.fixture
def listed(registrar):
    """A wheat registration listed on 2026-07-01 (Order 280, off GACC's list)."""
    return make_registration(registrar, date(2026, 7, 1))


def _events(registration, action):
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "registration", AuditEvent.object_id == registration.id,
        AuditEvent.action == action)).all()


def _notes(user, kind):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).all()


# A year on: a suspension over when recorded is resumed at once (status_changes).
UNTIL = date.today() + timedelta(days=400)
SUSPENSION = {"authority": "gacc", "reason": "Listeria found in a consignment",
              "suspended_from": date(2026, 8, 1), "suspended_until": UNTIL}


def test_suspension_is_recorded_audited_and_told_to_the_exporter(registrar, listed):
    exporter, application, registration = listed
    status_changes.change_status(
        registrar, registration, "suspend", StatusChangeInput.from_mapping(dict(SUSPENSION)))
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert stored.status == "suspended"
    assert (stored.suspension_authority, stored.suspended_from, stored.suspended_until) == (
        "gacc", date(2026, 8, 1), UNTIL)
    [event] = _events(stored, "suspend")
    assert (event.from_state, event.to_state, event.actor_id) == ("active", "suspended",
                                                                 registrar.id)
    assert event.application_id == application.id
    assert event.comment == "Listeria found in a consignment"
    [note] = _notes(exporter, "suspended")  # it said neither until when nor why
    assert note.message == (f"China registration {registration.china_number} is suspended "
                            f"from Aug 1, 2026 to {format_date(UNTIL)}. Reason: Listeria found "
                            "in a consignment")
    with force_locale("ru"):  # "30 сент. 2026 г.. Причина": the date's "г." and a full stop
        assert f"по {format_date(UNTIL)}; причина: Listeria" in notifications.message_of(note)


def test_a_suspension_without_an_end_tells_the_exporter_it_lasts_until_resumed(registrar,
                                                                               listed):
    exporter, _application, registration = listed
    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput.from_mapping(
        {**SUSPENSION, "suspended_until": None}))
    [note] = _notes(exporter, "suspended")
    assert note.message == (f"China registration {registration.china_number} is suspended "
                            "from Aug 1, 2026 until it is resumed. Reason: Listeria found in a "
                            "consignment")


def test_suspension_needs_authority_reason_and_a_consistent_period(registrar, listed):
    registration = listed[2]
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(
            registrar, registration, "suspend", StatusChangeInput.from_mapping({
            "authority": "ministry", "reason": " ", "suspended_from": date(2026, 8, 1),
            "suspended_until": date(2026, 7, 1)}))
    assert set(raised.value.errors) == {"authority", "reason", "suspended_until"}
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"
    assert _events(registration, "suspend") == []


def test_a_suspension_starting_after_today_is_refused(registrar, listed):
    """Suspended "from" a later day, the registration was suspended at once, and its resumption
    then wanted products produced from that later day."""
    registration = listed[2]
    later = local_today() + timedelta(days=35)
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(registrar, registration, "suspend",
                                    StatusChangeInput.from_mapping({
                                        **SUSPENSION, "suspended_from": later,
                                        "suspended_until": None}))
    assert raised.value.errors == {"suspended_from": [
        "A suspension is recorded on the day it takes effect, not before: record this one on "
        f"{format_date(later)}."]}
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert (stored.status, stored.suspended_from) == ("active", None)
    assert _events(registration, "suspend") == []
    status_changes.change_status(registrar, stored, "suspend", StatusChangeInput.from_mapping({
        **SUSPENSION, "suspended_from": local_today(), "suspended_until": None}))
    assert db.session.get(Registration, registration.id).status == "suspended"


def test_resumption_names_the_production_date_from_which_products_count(registrar, listed):
    registration = listed[2]
    status_changes.change_status(
        registrar, registration, "suspend", StatusChangeInput.from_mapping(dict(SUSPENSION)))
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(registrar, registration, "resume",
                                    StatusChangeInput.from_mapping(
                                        {"products_produced_from": date(2026, 7, 15)}))
    assert "products_produced_from" in raised.value.errors
    status_changes.change_status(registrar, registration, "resume",
                                StatusChangeInput.from_mapping(
                                    {"products_produced_from": date(2026, 9, 1)}))
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert (stored.status, stored.products_produced_from) == ("active", date(2026, 9, 1))
    assert len(_events(stored, "resume")) == 1
    assert len(_notes(listed[0], "resumed")) == 1


def test_revocation_needs_gacc_announcement_and_is_terminal(registrar, listed):
    registration = listed[2]
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(
            registrar, registration, "revoke",
            StatusChangeInput.from_mapping({"reason": "Fraud found"}))
    assert set(raised.value.errors) == {"reference"}
    status_changes.change_status(registrar, registration, "revoke", StatusChangeInput.from_mapping({
        "reference": "GACC Announcement 2026 No. 88", "reason": "False declarations"}))
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert (stored.status, stored.status_reference) == ("revoked",
                                                        "GACC Announcement 2026 No. 88")
    with pytest.raises(IllegalTransition):
        status_changes.change_status(registrar, stored, "resume",
                                    StatusChangeInput.from_mapping(
                                        {"products_produced_from": date(2026, 9, 1)}))
    [note] = _notes(listed[0], "revoked")  # it named neither the announcement nor the reason
    assert note.message == (f"GACC revoked China registration {registration.china_number}; "
                            "GACC's announcement: GACC Announcement 2026 No. 88. Reason: False "
                            "declarations")


@pytest.mark.parametrize(("action", "data", "status", "told"), [
    ("cancel", {"reason": "The enterprise stopped exporting"}, "cancelled",
     "China registration {number} is cancelled. Reason: The enterprise stopped exporting"),
    ("invalidate", {"cause": "relocation", "reason": "Moved to Kostanay"}, "invalidated",
     "China registration {number} is no longer valid; a new application is needed. Reason: "
     "Moved to Kostanay"),
    ("expire", {"reason": "Its five years ended unrenewed"}, "expired",
     "China registration {number} expired on {valid_to}."),
])
def test_cancel_invalidate_and_expire_end_the_registration(registrar, listed, action, data,
                                                            status, told):
    exporter, _application, registration = listed
    if action == "expire":  # the daily run did not record it: its last valid day has passed
        registration.valid_to = local_today() - timedelta(days=1)
        db.session.commit()
    status_changes.change_status(
        registrar, registration, action, StatusChangeInput.from_mapping(data))
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == status
    assert len(_events(registration, action)) == 1
    [note] = _notes(exporter, status)
    assert note.message == told.format(number=registration.china_number,
                                       valid_to=format_date(registration.valid_to))


def test_a_registration_within_its_validity_does_not_expire(registrar, listed):
    """Ending it early is a cancellation or GACC's revocation, each with its own record: an
    expiry recorded years ahead told the exporter it "expired on" a day still to come."""
    exporter, _application, registration = listed
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(registrar, registration, "expire",
                                    StatusChangeInput.from_mapping({"reason": "Ended early"}))
    assert raised.value.errors == {"": [
        f"This registration is valid until {format_date(registration.valid_to)} and expires "
        "after that day. To end it earlier, cancel it (the enterprise stopped exporting) or "
        "record GACC's revocation."]}
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"
    assert _notes(exporter, "expired") == []
    assert "expire" not in registration_actions(registrar, registration)
    registration.valid_to = local_today() - timedelta(days=1)
    assert "expire" in registration_actions(registrar, registration)


def test_invalidation_needs_its_cause(registrar, listed):
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(
            registrar, listed[2], "invalidate",
            StatusChangeInput.from_mapping({"reason": "Moved away"}))
    assert set(raised.value.errors) == {"cause"}


def test_a_stale_page_gets_a_conflict_naming_who_changed_it(registrar, listed):
    registration = listed[2]
    seen_version = registration.version
    status_changes.change_status(
        registrar, registration, "suspend", StatusChangeInput.from_mapping(dict(SUSPENSION)))
    status_changes.change_status(registrar, registration, "resume",
                                StatusChangeInput.from_mapping(
                                    {"products_produced_from": date(2026, 9, 1)}))
    with pytest.raises(Conflict) as raised:
        status_changes.change_status(registrar, registration, "suspend",
                                    StatusChangeInput.from_mapping(
                                        {**SUSPENSION, "version": str(seen_version)}))
    assert "Aigerim Registrar changed this registration" in raised.value.message
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"
    assert len(_events(registration, "suspend")) == 1


def test_only_registrars_change_a_registration(registrar, listed):
    with pytest.raises(IllegalTransition):
        status_changes.change_status(
            listed[0], listed[2], "cancel", StatusChangeInput.from_mapping({"reason": "No"}))


def test_exporters_see_only_their_own_registrations(registrar, listed):
    other, *_ = make_registration(registrar, date(2026, 7, 2))
    assert registrations.get_registration(listed[0], listed[2].id) is not None
    with pytest.raises(NotFound):
        registrations.get_registration(other, listed[2].id)
    with pytest.raises(NotFound):
        registrations.get_registration(make_user("inspector"), listed[2].id)


def _expiring_in(registrar, days: int, **kwargs):
    """A registration whose last valid day is `days` from today, listed five years earlier."""
    valid_from = add_years(local_today() + timedelta(days=days), -5) + timedelta(days=1)
    return make_registration(registrar, valid_from, **kwargs)


MEAT = {"category": "meat", "product": "beef_chilled"}  # on GACC's Order 280 renewal list


def test_renewal_starts_from_the_registration_while_the_window_is_open(registrar):
    # Listed under Decree 248, ending under Order 280: the category on the list applies.
    exporter, original, registration = _expiring_in(registrar, 120, **MEAT)
    assert registration.regime == "248"
    assert registrations.renewal(registration, local_today()).state == "open"
    assert registrations.renewal(registration, local_today()).regime == "280"
    draft = registrations.start_renewal(exporter, registration)
    assert (draft.kind, draft.state, draft.renewal_of_id) == ("renewal", "draft", registration.id)
    assert (draft.establishment_id, draft.gacc_category_code) == (
        original.establishment_id, original.gacc_category_code)
    assert [(p.product_code, p.annual_volume) for p in draft.products] == [
        (p.product_code, p.annual_volume) for p in original.products]
    assert draft.haccp_status == original.haccp_status
    with pytest.raises(ValidationFailed) as raised:
        registrations.start_renewal(exporter, registration)
    assert draft.reference in raised.value.message


def test_no_renewal_application_before_the_window_opens(registrar):
    exporter, _application, registration = _expiring_in(registrar, 400, **MEAT)
    with pytest.raises(ValidationFailed) as raised:
        registrations.start_renewal(exporter, registration)
    assert "The renewal window opens on" in raised.value.message
    assert db.session.scalar(select(Application).where(Application.kind == "renewal")) is None


def test_order_280_off_list_renews_automatically(registrar, listed):
    exporter, _application, registration = listed
    assert registrations.renewal(registration, date(2031, 1, 1)).state == "automatic"
    with pytest.raises(ValidationFailed) as raised:
        registrations.start_renewal(exporter, registration)
    assert "renewed automatically" in raised.value.message


def test_order_280_on_gacc_list_opens_twelve_months_before_expiry(registrar):
    *_, registration = make_registration(registrar, date(2026, 7, 1), category="meat",
                                         product="beef_chilled")
    assert registration.valid_to == date(2031, 6, 30)
    status = registrations.renewal(registration, date(2030, 6, 30))
    assert (status.state, status.window) == ("open", (date(2030, 6, 30), date(2031, 3, 30)))
    assert registrations.renewal(registration, date(2030, 6, 29)).state == "upcoming"


def test_another_exporter_cannot_renew(registrar):
    _exporter, _application, registration = _expiring_in(registrar, 120)
    stranger, *_ = make_registration(registrar, date(2026, 7, 3))
    with pytest.raises(NotFound):
        registrations.start_renewal(stranger, registration)


def test_a_suspension_cannot_start_before_the_registration_took_effect(registrar, listed):
    registration = listed[2]
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(registrar, registration, "suspend",
                                    StatusChangeInput.from_mapping(
                                        {**SUSPENSION, "suspended_from": date(2025, 1, 1),
                                         "suspended_until": None}))
    assert raised.value.errors["suspended_from"] == [
        "The suspension cannot start before the registration took effect (Jul 1, 2026)."]
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"
    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput.from_mapping(
        {**SUSPENSION, "suspended_from": date(2026, 7, 1), "suspended_until": None}))
    assert db.session.get(Registration, registration.id).status == "suspended"


@pytest.mark.parametrize(("action", "data"), [
    ("suspend", {"authority": "gacc", "suspended_from": date(2026, 8, 1)}),
    ("revoke", {"reference": "GACC Announcement No. 12"}),
    ("cancel", {}),
    ("invalidate", {"cause": "relocation"}),
    ("expire", {}),
])
def test_a_single_character_is_no_reason(registrar, listed, action, data):
    """Only a blank reason was refused: "x" suspended, revoked or ended a registration."""
    registration = listed[2]
    if action == "expire":  # past its last valid day: what is left to check is the reason
        registration.valid_to = local_today() - timedelta(days=1)
    with pytest.raises(ValidationFailed) as raised:
        status_changes.change_status(registrar, registration, action,
                                    StatusChangeInput.from_mapping({**data, "reason": " x "}))
    assert raised.value.errors == {"reason": [
        "Give the reason in a few words: at least 10 characters, or 4 Chinese characters."]}
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"
    assert _events(registration, action) == []


def test_a_suspension_over_when_recorded_is_resumed_at_once(registrar, listed):
    """GACC suspended it from 18 to 28 November, the notice read on 8 December: it stayed
    suspended until the next night's run, consignments refused and the register saying
    "suspended until 28 Nov"."""
    exporter, _application, registration = listed
    since, until = local_today() - timedelta(days=20), local_today() - timedelta(days=10)
    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput.from_mapping(
        {**SUSPENSION, "suspended_from": since, "suspended_until": until}))
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert (stored.status, stored.suspended_until) == ("active", None)
    assert stored.products_produced_from == until + timedelta(days=1)
    [suspended] = _events(stored, "suspend")
    [resumed] = _events(stored, "resume")
    assert resumed.seq > suspended.seq and resumed.actor_id == registrar.id
    assert resumed.comment == (f"The suspension ended on {format_date(until)}, before it was "
                               "recorded.")
    assert len(_notes(exporter, "suspended")) == len(_notes(exporter, "resumed")) == 1


def test_a_suspension_ending_today_is_kept_until_the_nights_run(registrar, listed):
    registration = listed[2]
    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput.from_mapping(
        {**SUSPENSION, "suspended_from": local_today() - timedelta(days=3),
         "suspended_until": local_today()}))
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "suspended"


def test_the_suspensions_end_is_changed_as_gacc_extends_it(registrar, listed):
    """GACC extended a suspension: the registrar could only resume and suspend again, which
    told the exporter the registration was active again, or let the night's run lift it on
    the old date."""
    exporter, _application, registration = listed
    status_changes.change_status(registrar, registration, "suspend", StatusChangeInput.from_mapping(
        {**SUSPENSION, "suspended_from": local_today() - timedelta(days=3),
         "suspended_until": local_today() + timedelta(days=5)}))
    later = local_today() + timedelta(days=40)
    with pytest.raises(ValidationFailed) as refused:
        status_changes.change_status(registrar, registration, "amend_suspension",
                                     StatusChangeInput.from_mapping({
            "suspended_until": local_today() - timedelta(days=1), "reason": "GACC notice 91"}))
    assert refused.value.errors == {"suspended_until": [
        "A suspension that has ended is lifted: record the resumption instead."]}
    status_changes.change_status(registrar, registration, "amend_suspension",
                                 StatusChangeInput.from_mapping({
        "suspended_until": later, "reason": "GACC notice 91 extends it"}))
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert (stored.status, stored.suspended_until) == ("suspended", later)
    [event] = _events(stored, "amend_suspension")
    assert (event.from_state, event.to_state, event.comment) == (
        "suspended", "suspended", "GACC notice 91 extends it")
    notes = [note.message for note in _notes(exporter, "suspended")]
    assert notes[-1] == (f"The suspension of China registration {registration.china_number} "
                         f"now ends on {format_date(later)}. Reason: GACC notice 91 extends it")
    assert _notes(exporter, "resumed") == []
    status_changes.change_status(registrar, registration, "amend_suspension",
                                 StatusChangeInput.from_mapping({
        "suspended_until": None, "reason": "GACC notice 92: until further notice"}))
    assert db.session.get(Registration, registration.id).suspended_until is None
