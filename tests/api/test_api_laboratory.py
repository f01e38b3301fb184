"""A laboratory's token posts results for the samples sent to it, judged as on the page."""

from datetime import date

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, LabResult
from certtrack.services.permissions import SYSTEM

from api_world import bearer, build_world, wheat_limit


@pytest.fixture
def world(ctx):
    return build_world()


def _post(client, world, token: str, sample, value: str):
    return client.post(f"/api/v1/laboratory/samples/{sample.id}/results",
                       headers=bearer(world.tokens[token]), json={
                           "limit_id": wheat_limit().id, "value": value, "unit": "µg/kg",
                           "tested_on": date.today().isoformat(), "method": "GB 5009.111"})


def test_lab_posts_a_result_for_its_own_sample_and_it_is_judged(client, world):
    answer = _post(client, world, "laboratory", world.sample1, "1500")
    assert answer.status_code == 201, answer.get_json()
    result = answer.get_json()
    assert result["verdict"] == "non_compliant"  # DON 1500 µg/kg over GB 2761's 1000
    row = db.session.get(LabResult, result["id"])
    assert row.sample_id == world.sample1.id and row.recorded_by_id == world.lab_user1.id
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "lab_result_recorded", AuditEvent.object_id == row.id))
    assert event.actor_id == world.lab_user1.id
    assert event.data["via"]["token_name"] == f"{world.lab_user1.email} system"


def test_a_result_names_its_parameter_by_code_and_in_the_four_languages(client, world):
    answer = _post(client, world, "laboratory", world.sample1, "200")
    result = answer.get_json()
    assert result["parameter"] == "deoxynivalenol (DON)"  # as before: the English name
    assert result["parameter_code"] == "deoxynivalenol"
    assert result["parameter_names"] == {
        "en": "deoxynivalenol (DON)", "ru": "дезоксиниваленол (ДОН)",
        "kk": "дезоксиниваленол (ДОН)", "zh": "脱氧雪腐镰刀菌烯醇"}
    sample = client.get(f"/api/v1/laboratory/samples/{world.sample1.id}",
                        headers=bearer(world.tokens["laboratory"])).get_json()
    assert sample["results"][0]["parameter_names"]["kk"] == "дезоксиниваленол (ДОН)"


def test_a_compliant_value_gets_the_compliant_verdict(client, world):
    answer = _post(client, world, "laboratory", world.sample1, "200")
    assert answer.status_code == 201
    assert answer.get_json()["verdict"] == "compliant"


def test_lab_gets_403_for_another_laboratorys_sample_and_nothing_is_stored(client, world):
    answer = _post(client, world, "laboratory", world.sample2, "200")
    assert answer.status_code == 403
    assert answer.content_type == "application/problem+json"
    assert db.session.scalar(select(LabResult.id).where(
        LabResult.sample_id == world.sample2.id)) is None


def test_lab_sees_only_the_samples_sent_to_it(client, world):
    listed = client.get("/api/v1/laboratory/samples", headers=bearer(world.tokens["laboratory"]))
    assert [s["code"] for s in listed.get_json()["items"]] == ["S-1"]


def test_a_parameter_outside_the_scope_of_accreditation_is_refused(client, world):
    from certtrack.services import laboratories

    narrow_lab = laboratories.create_laboratory(SYSTEM, laboratories.LaboratoryInput(
        name="Lead only", accredited_until=date(2099, 1, 1), parameters=["lead"]))
    world.sample1.laboratory_id = narrow_lab.id
    world.lab_user1.laboratory_id = narrow_lab.id
    db.session.commit()
    answer = _post(client, world, "laboratory", world.sample1, "200")
    assert answer.status_code == 422
    assert "limit_id" in answer.get_json()["errors"]
    assert db.session.scalar(select(LabResult.id)) is None


def test_a_second_result_for_the_same_limit_needs_a_correction(client, world):
    assert _post(client, world, "laboratory", world.sample1, "1500").status_code == 201
    refused = _post(client, world, "laboratory", world.sample1, "150")
    assert refused.status_code == 422
    assert "correction" in refused.get_json()["errors"]
    answer = client.post(f"/api/v1/laboratory/samples/{world.sample1.id}/results",
                         headers=bearer(world.tokens["laboratory"]), json={
                             "limit_id": wheat_limit().id, "value": "150", "unit": "µg/kg",
                             "tested_on": date.today().isoformat(),
                             "correction": "Retest of the retained portion"})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["correction"] == "Retest of the retained portion"
    assert answer.get_json()["verdict"] == "compliant"
