"""Irreversible actions and refused forms in a real browser: withdrawing an application and
expiring a registration do nothing until confirmed with a reason, which the audit row keeps;
a refused upload puts its error summary in the first viewport, focused, linked to the field."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Registration, User

pytestmark = pytest.mark.e2e

WITHDRAW_REASON = "We export through a partner this season."
EXPIRE_REASON = "GACC removed the listing on the enterprise's request (letter of 2 Dec)."


@pytest.fixture(scope="module")
def world(live_server) -> dict:
    """Two exporters with a draft each and a registration past its validity, made through the
    services."""
    from datetime import timedelta

    from certtrack.services.applications import local_today

    from factories import make_bin, make_exporter_with_application, make_registration, move_to_state

    with live_server.app.test_request_context():
        registrar = db.session.scalar(select(User).where(User.role == "registrar"))
        drafts = {}
        for serial, purpose in ((904, "back"), (901, "withdraw"), (902, "upload"),
                                (903, "answer")):
            exporter, _enterprise, _establishment, draft = make_exporter_with_application(
                make_bin(serial), f"{purpose}@example.kz")
            drafts[purpose] = (exporter.email, draft.id)
        move_to_state(draft, "returned")  # the last: its exporter answers the remarks
        _owner, _application, registration = make_registration(
            registrar, local_today() - timedelta(days=5 * 366 + 10),  # its validity ended,
            number="CKAZ1001GR26000901")  # the daily run has not recorded it: it may expire
        found = {**drafts, "registration_id": registration.id, "registrar": registrar.email}
        db.session.remove()
    return found


def _audit(server, action: str, object_type: str, object_id: int) -> list[tuple[str, str]]:
    with server.app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.comment).where(
            AuditEvent.action == action, AuditEvent.object_type == object_type,
            AuditEvent.object_id == object_id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def _stored(server, model, object_id: int, column: str) -> str:
    with server.app.app_context():
        value = getattr(db.session.get(model, object_id), column)
        db.session.remove()
    return value


def _refused(person, path_end: str) -> None:
    """The page came back with 422, as it should: no other problem, and none kept."""
    expect(person.page.locator("[data-error-summary]")).to_be_visible()
    person.page.wait_for_load_state("load")
    assert person.problems and all("422" in p for p in person.problems), person.problems
    assert any(p.endswith(path_end) for p in person.problems), person.problems
    person.problems.clear()


def _summary_in_first_viewport(page, field_id: str) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    box, height = summary.bounding_box(), page.viewport_size["height"]
    assert box is not None and box["y"] + box["height"] <= height
    link = summary.locator(f"a[href='#{field_id}']")
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator(f"#{field_id}")).to_be_focused()


def test_withdrawing_needs_confirmation_and_a_reason(live_server, world, new_person):
    email, application_id = world["withdraw"]
    exporter = new_person()
    exporter.sign_in(email)
    page = exporter.page
    exporter.open(f"/exporter/applications/{application_id}")
    section = page.locator("#withdraw")
    # Folded until chosen: the reason and the box are not visible yet.
    expect(section.get_by_label("Reason")).to_be_hidden()
    section.locator("summary").click()
    exporter.snap("withdraw-unfolded")
    expect(section).to_contain_text("A withdrawn application cannot be reopened")
    # Sent without the box ticked and without a reason: nothing changes.
    exporter.button("Withdraw application", section)
    expect(page.locator("[data-error-summary]")).to_contain_text("Tick the box to confirm.")
    expect(page.locator("[data-error-summary]")).to_contain_text("Please give a reason.")
    _refused(exporter, "/withdraw")
    assert _stored(live_server, Application, application_id, "state") == "draft"
    assert _audit(live_server, "withdraw", "application", application_id) == []
    exporter.snap("withdraw-refused-without-confirmation")
    section = page.locator("#withdraw")
    section.get_by_label("Reason").fill(WITHDRAW_REASON)
    section.get_by_label("I understand, and I want to go ahead.").check()
    exporter.button("Withdraw application", section)
    exporter.flash("The application was withdrawn.")
    assert _stored(live_server, Application, application_id, "state") == "withdrawn"
    assert _audit(live_server, "withdraw", "application", application_id) == [
        ("withdraw", WITHDRAW_REASON)]
    exporter.snap("withdrawn-with-reason")


def test_expiring_a_registration_needs_confirmation_and_a_reason(live_server, world,
                                                                  new_person):
    registrar = new_person()
    registrar.sign_in(world["registrar"])
    page = registrar.page
    registrar.open(f"/registrar/registrations/{world['registration_id']}")
    section = page.locator("#expire")
    expect(section.get_by_role("button", name="Expire registration")).to_be_hidden()
    section.locator("summary").click()
    expect(section).to_contain_text("the registration ends as expired")
    # Only the reason, no box ticked: refused, the registration stays active.
    section.get_by_label("Reason").fill(EXPIRE_REASON)
    registrar.button("Expire registration", section)
    expect(page.locator("[data-error-summary]")).to_contain_text("Tick the box to confirm.")
    _refused(registrar, "/expire")
    assert _stored(live_server, Registration, world["registration_id"], "status") == "active"
    assert _audit(live_server, "expire", "registration", world["registration_id"]) == []
    section = page.locator("#expire")
    expect(section.get_by_label("Reason")).to_have_value(EXPIRE_REASON)
    section.get_by_label("I understand, and I want to go ahead.").check()
    registrar.button("Expire registration", section)
    registrar.flash("The registration is now: Expired.")
    assert _stored(live_server, Registration, world["registration_id"], "status") == "expired"
    assert _audit(live_server, "expire", "registration", world["registration_id"]) == [
        ("expire", EXPIRE_REASON)]
    registrar.snap("registration-expired-with-reason")


def test_a_refused_upload_shows_the_error_summary_at_once(live_server, world, new_person):
    email, application_id = world["upload"]
    exporter = new_person()
    exporter.sign_in(email)
    page = exporter.page
    exporter.open(f"/exporter/applications/{application_id}")
    form = page.locator("#documents form")
    form.scroll_into_view_if_needed()
    exporter.button("Upload", form)
    _refused(exporter, "/documents")
    _summary_in_first_viewport(page, page.locator("#documents input[type=file]").get_attribute(
        "id"))
    exporter.snap("upload-refused-error-summary")


def test_an_answer_to_the_remarks_outlives_an_upload_sent_before_it(live_server, world,
                                                                     new_person):
    """The answer typed first was gone when the corrected document's upload came back."""
    email, application_id = world["answer"]
    exporter = new_person()
    exporter.sign_in(email)
    page = exporter.page
    exporter.open(f"/exporter/applications/{application_id}")
    answer = "HACCP plan replaced by the 2026 edition; the flow chart is unchanged."
    page.locator("#submit textarea").fill(answer)
    form = page.locator("#documents form")
    form.scroll_into_view_if_needed()
    exporter.button("Upload", form)  # a page of its own comes back (here: no file chosen)
    _refused(exporter, "/documents")
    expect(page.locator("#submit textarea")).to_have_value(answer)
    exporter.snap("answer-kept-after-upload")


def _applications_of(server, email: str) -> int:
    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        count = db.session.scalar(select(func.count()).select_from(Application).where(
            Application.enterprise_id == user.enterprise_id))
        db.session.remove()
    return count


def test_a_new_application_sent_again_after_back_creates_no_second_draft(live_server, world,
                                                                         new_person):
    """Back to the form, which the browser fetches again (signed-in pages are not kept), and
    sent again: the browser gives the form back as it was sent, its key too, and the second
    sending leads to the first draft. It made a second, identical draft."""
    email, _draft = world["back"]
    before = _applications_of(live_server, email)
    exporter = new_person()
    exporter.sign_in(email)
    page = exporter.page
    exporter.open("/exporter/applications/new")
    form = page.locator("main form.card")
    form.get_by_label("Establishment").select_option(index=1)
    form.get_by_label("GACC product category").select_option("edible_grains")
    exporter.button("Save draft", form)
    exporter.flash("Draft saved. Add products and documents, then submit.")
    first = page.url
    page.go_back()
    page.wait_for_load_state("load")
    exporter.button("Save draft", page.locator("main form.card"))
    exporter.flash("was already created, at ")
    exporter.flash("the form was sent twice, and no second draft was made.")
    assert page.url == first
    assert _applications_of(live_server, email) == before + 1
    exporter.snap("application-sent-again-after-back")

