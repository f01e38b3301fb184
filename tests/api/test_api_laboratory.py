"""A laboratory's token posts results for the samples sent to it, judged as on the page."""

from datetime import date

import pytest
from flask import g
from sqlalchemy import event, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, LabResult
from certtrack.services.permissions import SYSTEM

from api_world import DON, bearer, build_world, lab_sample, wheat_limit
from factories import move_to_state


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
        "kk": "дезоксиниваленол (ДОН)", "zh": "脱氧雪腐镰刀菌烯醇（DON）"}
    sample = client.get(f"/api/v1/laboratory/samples/{world.sample1.id}",
                        headers=bearer(world.tokens["laboratory"])).get_json()
    assert sample["results"][0]["parameter_names"]["kk"] == "дезоксиниваленол (ДОН)"


def test_a_compliant_value_gets_the_compliant_verdict(client, world):
    answer = _post(client, world, "laboratory", world.sample1, "200")
    assert answer.status_code == 201
    assert answer.get_json()["verdict"] == "compliant"


def test_lab_gets_404_for_another_laboratorys_sample_and_nothing_is_stored(client, world):
    """404 as for a sample that does not exist: a 403 told which numbers are another
    laboratory's samples (docs/security.md item 9)."""
    answer = _post(client, world, "laboratory", world.sample2, "200")
    assert answer.status_code == 404
    assert answer.content_type == "application/problem+json"
    assert db.session.scalar(select(LabResult.id).where(
        LabResult.sample_id == world.sample2.id)) is None


def test_lab_sees_only_the_samples_sent_to_it(client, world):
    listed = client.get("/api/v1/laboratory/samples", headers=bearer(world.tokens["laboratory"]))
    assert [s["code"] for s in listed.get_json()["items"]] == ["S-1"]


def test_a_parameter_outside_the_scope_of_accreditation_is_refused(client, world):
    from certtrack.services import laboratories

    narrow_lab = laboratories.create_laboratory(SYSTEM, laboratories.LaboratoryInput(
        name="Lead only", accredited_until=date(2099, 1, 1), parameters=["lead"],
        categories=["edible_grains"]))
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
    short = client.post(f"/api/v1/laboratory/samples/{world.sample1.id}/results",
                        headers=bearer(world.tokens["laboratory"]), json={
                            "limit_id": wheat_limit().id, "value": "150", "unit": "µg/kg",
                            "tested_on": date.today().isoformat(), "correction": "retest"})
    assert short.status_code == 422  # "retest" replaced the first result for good
    assert short.get_json()["errors"] == {"correction": [
        "Give the reason in a few words: at least 10 characters, or 4 Chinese characters."]}
    assert db.session.scalar(select(db.func.count()).select_from(LabResult)) == 1
    answer = client.post(f"/api/v1/laboratory/samples/{world.sample1.id}/results",
                         headers=bearer(world.tokens["laboratory"]), json={
                             "limit_id": wheat_limit().id, "value": "150", "unit": "µg/kg",
                             "tested_on": date.today().isoformat(),
                             "correction": "Retest of the retained portion"})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["correction"] == "Retest of the retained portion"
    assert answer.get_json()["verdict"] == "compliant"


def test_a_sample_lists_the_parameters_its_results_are_posted_for(client, world):
    """Nothing in the API revealed the limit_id a result must be posted with: the sample now
    lists the limits of its product within the laboratory's scope, as the result form offers
    them, and each result names its limit."""
    headers = bearer(world.tokens["laboratory"])
    sample = client.get(f"/api/v1/laboratory/samples/{world.sample1.id}", headers=headers)
    limits = sample.get_json()["limits"]
    assert sorted(limit["parameter"] for limit in limits) == sorted(
        ["deoxynivalenol (DON)", "lead", "cadmium"])  # the scope, not wheat's other limits
    don = next(limit for limit in limits if limit["parameter"] == DON)
    assert don == {"id": wheat_limit().id, "parameter": DON, "parameter_code": "deoxynivalenol",
                   "parameter_names": don["parameter_names"], "matrix": wheat_limit().matrix,
                   "kind": "max", "presence_absence": False, "max_value": "1000.000000",
                   "unit": "µg/kg"}
    assert don["parameter_names"]["ru"] != DON
    posted = client.post(f"/api/v1/laboratory/samples/{world.sample1.id}/results",
                         headers=headers, json={"limit_id": don["id"], "value": "1500",
                                                "unit": "µg/kg",
                                                "tested_on": date.today().isoformat()})
    assert posted.status_code == 201 and posted.get_json()["limit_id"] == don["id"]
    listed = client.get("/api/v1/laboratory/samples", headers=headers).get_json()["items"]
    assert listed[0]["limits"] == limits
    assert [result["limit_id"] for result in listed[0]["results"]] == [don["id"]]


def test_a_presence_test_is_said_as_such(client, world):
    world.lab1.parameters = [*world.lab1.parameters, "Tilletia controversa (dwarf bunt)"]
    db.session.commit()
    limits = client.get(f"/api/v1/laboratory/samples/{world.sample1.id}",
                        headers=bearer(world.tokens["laboratory"])).get_json()["limits"]
    pest = next(limit for limit in limits if limit["kind"] == "absent")
    assert pest["presence_absence"] is True and pest["max_value"] is None
    assert pest["unit"] is None


def test_the_openapi_document_says_what_limit_id_is(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert "scope of accreditation" in schemas["Sample"]["properties"]["limits"]["description"]
    assert "`limits`" in schemas["ResultInput"]["properties"]["limit_id"]["description"]
    assert "limit_id" in schemas["LabResult"]["properties"]


def _list_queries(client, world) -> int:
    """The statements one GET of the laboratory's list of samples sends."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        answer = client.get("/api/v1/laboratory/samples",
                            headers=bearer(world.tokens["laboratory"]))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert answer.status_code == 200
    return len(statements)


def test_the_list_of_samples_queries_do_not_grow_with_samples_or_results(client, world):
    assert _post(client, world, "laboratory", world.sample1, "1500").status_code == 201
    one = _list_queries(client, world)
    for code, parameter in (("S-3", "lead"), ("S-4", "cadmium"), ("S-5", DON)):
        sample = lab_sample(world.inspector, world.lab_application, world.lab1, code)
        for limit in {wheat_limit(DON), wheat_limit(parameter)}:
            answer = client.post(f"/api/v1/laboratory/samples/{sample.id}/results",
                                 headers=bearer(world.tokens["laboratory"]), json={
                                     "limit_id": limit.id, "value": "0.01", "unit": "mg/kg",
                                     "tested_on": date.today().isoformat()})
            assert answer.status_code == 201, answer.get_json()
    assert _list_queries(client, world) == one


def _codes(client, world, query: str) -> list[str]:
    answer = client.get(f"/api/v1/laboratory/samples?{query}",
                        headers=bearer(world.tokens["laboratory"]))
    assert answer.status_code == 200, answer.get_json()
    return [sample["code"] for sample in answer.get_json()["items"]]


def test_pending_samples_are_those_still_awaited_as_on_the_laboratorys_page(client, world):
    """`pending=true` listed the samples without any result: a sample with one result in and
    another parameter still due vanished from it, though the laboratory's page (and its
    application, still in laboratory testing) still awaited it."""
    assert _post(client, world, "laboratory", world.sample1, "1500").status_code == 201
    assert _codes(client, world, "pending=true") == ["S-1"]
    assert _codes(client, world, "pending=false") == []
    move_to_state(world.lab_application, "inspected")  # the inspector closed the testing
    assert _codes(client, world, "pending=true") == []
    assert _codes(client, world, "pending=false") == ["S-1"]
    assert _codes(client, world, "") == ["S-1"]


@pytest.mark.parametrize(("language", "message"), [
    ("ru", "Введите true или false."), ("kk", "true немесе false енгізіңіз."),
    ("zh", "请输入 true 或 false。")])
def test_a_boolean_that_is_not_one_is_refused_in_the_readers_language(client, world, language,
                                                                   message):
    """"Not a valid boolean." (`detected`, `?pending=`) stayed English under ru, kk and zh."""
    headers = {**bearer(world.tokens["laboratory"]), "Accept-Language": language}
    g.pop("_flask_babel", None)
    listed = client.get("/api/v1/laboratory/samples?pending=maybe", headers=headers)
    assert listed.status_code == 422 and listed.get_json()["errors"]["pending"] == [message]
    g.pop("_flask_babel", None)
    posted = client.post(f"/api/v1/laboratory/samples/{world.sample1.id}/results",
                         headers=headers, json={"limit_id": wheat_limit().id, "detected": "abc",
                                                "tested_on": date.today().isoformat()})
    assert posted.status_code == 422 and posted.get_json()["errors"]["detected"] == [message]


@pytest.mark.parametrize(("field", "value"), [("limit_id", 1.5), ("limit_id", "1"),
                                              ("valid_days", 30.5)])
def test_an_integer_with_a_fraction_or_in_quotes_is_refused(client, world, field, value):
    """"limit_id": 1.5 was taken as 1, and the result stored under that limit."""
    body = {"limit_id": wheat_limit().id, "value": "200", "unit": "µg/kg",
            "tested_on": date.today().isoformat(), field: value}
    g.pop("_flask_babel", None)
    answer = client.post(f"/api/v1/laboratory/samples/{world.sample1.id}/results",
                         headers=bearer(world.tokens["laboratory"]), json=body)
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {field: ["Enter a whole number."]}
    assert db.session.scalar(select(db.func.count()).select_from(LabResult)) == 0
