"""An application's kind stands on a registration: a renewal is started from the registration
it renews, a change is for one China holds. A renewal filed from the questionnaire renewed
nothing (an establishment with no registration got one submitted), and a second renewal of a
registration went in beside the one under review."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.services import applications, registrations
from certtrack.services.applications import local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import ApplicationInput

from factories import QUESTIONNAIRE, make_exporter_with_application, make_registration, make_user
from forms import login, post

RENEWAL_FROM_REGISTRATION = ("A renewal is started from the registration it renews: under "
                             "“Registrations”, choose “Apply for renewal” once its window is "
                             "open.")
NO_REGISTRATION_TO_CHANGE = ("A change is for a registration China holds, and this "
                             "establishment has none for this category: apply for a new "
                             "registration.")


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def kinds_offered(page: str) -> list[str]:
    match = re.search(r'<select[^>]*id="kind"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'value="([^"]*)"', match.group(1))


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


def form(establishment_id, kind) -> dict:
    return {**{key: "" if value is None else str(value) for key, value in QUESTIONNAIRE.items()},
            "kind": kind, "establishment_id": str(establishment_id)}


def test_the_questionnaire_offers_no_renewal_and_says_where_one_starts(ctx, client):
    user, _enterprise, _establishment, _application = make_exporter_with_application()
    login(client, user.email)
    page = html.unescape(client.get("/exporter/applications/new").get_data(as_text=True))
    assert kinds_offered(page) == ["new", "change"]
    assert RENEWAL_FROM_REGISTRATION in page


def test_a_renewal_or_change_of_nothing_is_refused_and_nothing_is_saved(ctx, client):
    user, _enterprise, establishment, _application = make_exporter_with_application()
    login(client, user.email)
    before = count()
    change = post(client, "/exporter/applications/new", form(establishment.id, "change"))
    assert change.status_code == 422
    assert field_error(change.get_data(as_text=True), "kind") == NO_REGISTRATION_TO_CHANGE
    assert "\nLot numbers</textarea>" in change.get_data(as_text=True)  # what was typed is kept
    with pytest.raises(ValidationFailed) as renewal:  # as the API sends it
        applications.create_application(user, ApplicationInput.from_mapping(
            {**QUESTIONNAIRE, "kind": "renewal", "establishment_id": establishment.id}))
    assert renewal.value.errors["kind"] == [RENEWAL_FROM_REGISTRATION]
    assert count() == before


def test_a_change_of_a_registration_china_holds_is_accepted(ctx):
    registrar = make_user("registrar")
    exporter, original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    change = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "change", "establishment_id": registration.establishment_id}))
    assert (change.kind, change.state) == ("change", "draft")


def test_a_draft_renewal_started_from_its_registration_still_saves(ctx):
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=5 * 365 - 100),
        category="meat", product="beef_chilled")
    draft = registrations.start_renewal(exporter, registration)
    applications.update_application(exporter, draft, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "renewal", "establishment_id": draft.establishment_id,
         "gacc_category_code": "meat", "traceability": "Ear tags", "version": draft.version}))
    assert db.session.get(Application, draft.id).traceability == "Ear tags"
    with pytest.raises(ValidationFailed):  # and a second one is refused, as before
        registrations.start_renewal(exporter, registration)


def test_a_new_registration_beside_one_china_holds_is_refused(ctx, client):
    """A new application for an establishment registered for the category went through
    review, inspection, the laboratory and a batch to GACC, to be refused by the registrar."""
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    said = (f"This establishment already holds China registration {registration.china_number} "
            "for this category: for other products, apply for a change of it; its renewal is "
            "started under “Registrations”.")
    login(client, exporter.email)
    before = count()
    refused = post(client, "/exporter/applications/new",
                   form(registration.establishment_id, "new"))
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "kind") == said
    assert count() == before
    assert post(client, "/exporter/applications/new",  # the change it points to
                form(registration.establishment_id, "change")).status_code == 302


def test_a_draft_registered_since_it_was_started_is_not_submitted(ctx):
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    registration.status = "expired"
    db.session.commit()
    draft = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "establishment_id": registration.establishment_id}))
    registration.status = "active"  # recorded again since
    db.session.commit()
    assert any(registration.china_number in item.message
               for item in applications.missing_for_submission(draft))


def test_a_new_registration_is_the_way_once_the_renewal_window_has_closed(ctx):
    """"The renewal window closed…; apply for a new registration": that one is accepted."""
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(  # meat: its window closes 3
        registrar, local_today() + timedelta(days=60) - timedelta(days=5 * 365 + 1),  # months
        category="meat", product="beef_chilled")  # before it ends, in 60 days
    new = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "new", "gacc_category_code": "meat",
         "establishment_id": registration.establishment_id}))
    assert (new.kind, new.state) == ("new", "draft")


def test_an_ended_registration_points_to_a_new_application_filled_in(ctx, client):
    """An expired registration's row said "no longer in force" and nothing more: the new
    registration it needs was three pages away, its establishment and category chosen again."""
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    registration.status = "expired"
    db.session.commit()
    login(client, exporter.email)
    page = html.unescape(client.get("/exporter/registrations").get_data(as_text=True))
    row = page.split(f'id="registration-{registration.id}"')[1].split("</tr>")[0]
    link = re.search(r'<a class="btn-small" href="([^"]+)">Apply for a new registration</a>',
                     row)[1]
    form_page = client.get(link).get_data(as_text=True)
    assert re.search(rf'<option selected value="{registration.establishment_id}">', form_page)
    assert re.search(r'<option selected value="edible_grains">', form_page)
    assert post(client, link, form(registration.establishment_id, "new")).status_code == 302

    registration.status = "active"  # in force, its window not open: no such link
    db.session.commit()
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert "Apply for a new registration" not in page
