"""Forms whose fields failed say, in the same answer, what the service's rules find in the rest
of the entries (they were said only once the fields were right, a second round trip), keep
what was typed, and record nothing."""

import re
from datetime import date, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Consignment,
    CorrectionRequest,
    GaccBatch,
    Registration,
)
from certtrack.services import applications
from certtrack.services.applications import local_today
from certtrack.services.consignments import inspection
from certtrack.services.inputs import ApplicationInput

from consignment_factories import make_consignment
from factories import (
    make_exporter_with_application,
    make_registration,
    make_user,
    move_to_state,
    recommended_on,
)
from forms import login, post

RECOMMENDED = date(2026, 4, 1)


def _errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error">\s*(.*?)\s*</p>', page, re.S))


@pytest.fixture
def world(ctx):
    """Two applications of an exporter at a positive conclusion, and a registrar."""
    exporter, _enterprise, establishment, first = make_exporter_with_application()
    second = applications.create_application(exporter, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": "edible_grains",
        "establishment_id": establishment.id}))
    for application in (first, second):
        move_to_state(application, "conclusion_positive")
    make_user("registrar", "registrar@example.kz")
    return [first.id, second.id]


def _state(application_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Application, application_id).state


def _recommend(client, ids):
    post(client, "/registrar/recommend", {"confirm": "y", "application_id": ids})
    recommended_on(RECOMMENDED, ids)


def _send_batch(client, ids, reference="KZ-GACC-2026-014", submitted_on="2026-07-01"):
    _recommend(client, ids)
    return post(client, "/registrar/batches", {"confirm": "y", "application_id": ids,
                                               "reference": reference,
                                               "submitted_on": submitted_on})


def test_a_registration_says_a_mistyped_number_and_a_listing_before_the_batch_together(
        world, client):
    login(client, "registrar@example.kz")
    _send_batch(client, world[:1], submitted_on="2026-07-01")
    response = post(client, f"/registrar/applications/{world[0]}/registration", {
        "confirm": "y", "china_number": "CKAZ123", "listing_date": "2026-06-15",
        "route": "under_guarantee"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = _errors(page)
    assert errors["china_number"] == "A China registration number has exactly 18 characters."
    assert errors["listing_date"] == (
        "GACC listed the establishment after receiving the application: not before Jul 1, "
        "2026, the day it was sent.")
    assert 'value="CKAZ123"' in page and 'value="2026-06-15"' in page
    assert _state(world[0]) == "submitted_to_gacc"
    assert db.session.scalar(select(Registration)) is None


def test_a_suspension_says_a_short_reason_and_a_later_start_together(ctx, client):
    registrar = make_user("registrar", "registrar@example.kz")
    registration = make_registration(registrar, date(2026, 7, 1))[2]
    login(client, "registrar@example.kz")
    later = local_today() + timedelta(days=35)
    response = post(client, f"/registrar/registrations/{registration.id}/suspend", {
        "authority": "gacc", "reason": "Lead", "suspended_from": later.isoformat(),
        "version": str(registration.version), "confirm": "y"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = _errors(page)
    assert errors["reason"] == (
        "Give the reason in a few words: at least 10 characters, or 4 Chinese characters.")
    assert errors["suspended_from"] == (
        "A suspension is recorded on the day it takes effect, not before: record this one on "
        f"{format_date(later)}.")
    assert re.search(r'id="reason"[^>]*>\s*Lead</textarea>', page)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"


def test_a_treatment_says_a_mistyped_temperature_with_its_other_mistakes(ctx, client):
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    tomorrow = local_today() + timedelta(days=1)
    response = post(client, f"/inspector/consignments/{consignment.id}/treatment", {
        "type": "fumigation", "active_substance": "Фосфин", "temperature": "warm",
        "treated_on": tomorrow.isoformat()})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = _errors(page)
    assert set(errors) >= {"temperature", "active_substance", "treated_on"}
    assert errors["treated_on"] == "Give the day of the treatment, not in the future."
    assert errors["active_substance"].startswith("Write it in Latin or Chinese script")
    assert 'value="Фосфин"' in page and 'value="warm"' in page
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).treatments == []


def test_a_laboratory_result_says_a_mistyped_value_and_a_missing_sample_code_together(
        ctx, client):
    _e, inspector, _r, consignment = make_consignment("phyto")
    inspection.start_inspection(inspector, consignment)
    login(client, inspector.email)
    lead = next(limit for limit in inspection.limits_for(consignment)
                if limit.parameter_code == "lead")
    response = post(client, f"/inspector/consignments/{consignment.id}/lab", {
        "limit_id": str(lead.id), "sample_code": "", "value": "abc", "unit": lead.unit,
        "tested_on": local_today().isoformat()})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert "value" in errors and errors["sample_code"] == "Give the sample its code."
    db.session.expire_all()
    assert db.session.get(Consignment, consignment.id).lab_results == []


def test_a_batch_says_a_missing_reference_and_a_future_date_together(world, client):
    login(client, "registrar@example.kz")
    _recommend(client, world[:1])
    future = (local_today() + timedelta(days=3)).isoformat()
    response = post(client, "/registrar/batches", {"confirm": "y", "application_id": world[:1],
                                                   "reference": "", "submitted_on": future})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The date cannot be in the future." in page
    assert "reference-error" in page
    assert _state(world[0]) == "recommended"
    assert db.session.scalar(select(func.count(GaccBatch.id))) == 0


def test_a_batch_names_applications_no_longer_awaiting_one_with_the_fields_errors(world,
                                                                                  client):
    """An id that is no application awaiting a batch (moved on since the page was loaded, or
    an id of none) answered 404 and lost the form, even when other fields had failed."""
    login(client, "registrar@example.kz")
    _recommend(client, world[:1])
    moved_on = db.session.get(Application, world[1]).reference  # never recommended
    response = post(client, "/registrar/batches", {
        "confirm": "y", "application_id": [world[0], world[1], 987654], "reference": "",
        "submitted_on": "2026-07-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (f"Applications {moved_on} and no. 987654 are no longer awaiting a batch: reload "
            "the page to see the applications that are.") in page
    assert page.count('<p class="error">Applications') == 1  # one message, beside the field
    assert "reference-error" in page and 'value="2026-07-01"' in page
    assert _state(world[0]) == "recommended"
    assert db.session.scalar(select(func.count(GaccBatch.id))) == 0


def test_a_batch_with_an_id_of_no_application_keeps_what_was_typed(world, client):
    login(client, "registrar@example.kz")
    _recommend(client, world[:1])
    response = post(client, "/registrar/batches", {
        "confirm": "y", "application_id": [world[0], 987654], "reference": "KZ-GACC-2026-014",
        "submitted_on": "2026-07-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Application no. 987654 is no longer awaiting a batch" in page
    assert 'value="KZ-GACC-2026-014"' in page and 'value="2026-07-01"' in page
    assert _state(world[0]) == "recommended"
    assert db.session.scalar(select(func.count(GaccBatch.id))) == 0


def test_gaccs_requests_left_out_and_a_past_deadline_are_said_together(world, client):
    login(client, "registrar@example.kz")
    _send_batch(client, world[:1])
    past = (local_today() - timedelta(days=2)).isoformat()
    response = post(client, f"/registrar/applications/{world[0]}/gacc-return", {
        "requests": "", "response_deadline": past, "confirm": "y"})
    assert response.status_code == 422
    errors = _errors(response.get_data(as_text=True))
    assert "requests" in errors
    assert errors["response_deadline"] == "The deadline cannot be in the past."
    assert _state(world[0]) == "submitted_to_gacc"
    assert db.session.scalar(select(func.count(CorrectionRequest.id))) == 0
