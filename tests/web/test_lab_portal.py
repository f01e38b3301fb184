"""An accredited laboratory's pages: it had an account and no page at all, only the API. It
now sees the samples sent to it, and posts each result on the sample's page, judged as the
inspector's are; another laboratory's sample stays out of reach."""

import re
from datetime import date, timedelta

import pytest
from flask import g
from flask_babel import force_locale
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import LabResult, Notification, Sample
from certtrack.services import laboratory, notifications
from certtrack.services.applications import local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import SampleInput

from api_world import build_world, wheat_limit
from factories import make_application_for_lab, make_bin, make_user
from forms import login, post


@pytest.fixture
def world(ctx):
    return build_world()


def test_the_laboratory_lands_on_its_samples_and_sees_only_its_own(world, client):
    login(client, world.lab_user1.email)
    home = client.get("/")
    assert home.status_code == 302 and home.location == "/laboratory/samples"
    page = client.get("/laboratory/samples").get_data(as_text=True)
    assert "Khorgos Testing Laboratory" in page
    codes = re.findall(r'href="/laboratory/samples/\d+">([^<]+)<', page)
    assert codes == ["S-1"]  # S-2 went to the other laboratory
    assert 'href="/laboratory/samples">Samples</a>' in page  # in the menu


def test_the_laboratory_posts_a_result_that_is_judged_on_its_sample_page(world, client):
    login(client, world.lab_user1.email)
    url = f"/laboratory/samples/{world.sample1.id}"
    page = client.get(url).get_data(as_text=True)
    # the code kept on one line (a phone broke "S-0013-1" at its hyphen)
    assert '<h1>Results of sample <span class="ref">S-1</span></h1>' in page
    offered = re.findall(r'<option value="(\d+)"', page)
    assert str(wheat_limit().id) in offered
    assert str(wheat_limit("aflatoxin B1").id) not in offered  # outside its accreditation
    refused = post(client, url, {"limit_id": str(wheat_limit().id), "value": "abc",
                                 "unit": "µg/kg", "tested_on": date.today().isoformat()})
    assert refused.status_code == 422
    assert 'value="abc"' in refused.get_data(as_text=True)  # kept, to be corrected
    posted = post(client, url, {"limit_id": str(wheat_limit().id), "value": "1500",
                                "unit": "µg/kg", "method": "GB 5009.111",
                                "tested_on": date.today().isoformat()})
    assert posted.status_code == 302 and posted.location == url
    page = client.get(url).get_data(as_text=True)
    assert "1,500 µg/kg exceeds the limit of 1,000 µg/kg." in page
    row = db.session.scalar(select(LabResult).where(LabResult.sample_id == world.sample1.id))
    assert (row.verdict, row.recorded_by_id) == ("non_compliant", world.lab_user1.id)
    waiting = client.get("/laboratory/samples").get_data(as_text=True)
    assert re.search(r'data-label="Results">1<', waiting)  # still in testing, one result
    from certtrack.models import Application
    db.session.get(Application, world.lab_application.id).state = "inspected"  # testing closed
    db.session.commit()
    assert "No sample is in laboratory testing." in client.get(
        "/laboratory/samples").get_data(as_text=True)
    closed = client.get("/laboratory/samples?show=all").get_data(as_text=True)
    assert "S-1" in closed and "testing is closed" in closed


def test_the_laboratory_cannot_post_not_detected_beside_a_value(world, client):
    """"Not detected" with 1,500 µg/kg was saved and judged to exceed the limit, unasked."""
    login(client, world.lab_user1.email)
    url = f"/laboratory/samples/{world.sample1.id}"
    refused = post(client, url, {"limit_id": str(wheat_limit().id), "value": "1500",
                                 "unit": "µg/kg", "detected": "no",
                                 "tested_on": date.today().isoformat()})
    assert refused.status_code == 422
    assert ("“Not detected” was chosen beside a measured value: keep one of them."
            in refused.get_data(as_text=True))
    assert db.session.scalar(select(LabResult).where(
        LabResult.sample_id == world.sample1.id)) is None


def test_every_missing_entry_of_a_result_is_said_at_once(world, client):
    """An empty form said only that the test's date was missing; once a date was typed, a
    second answer said the value was missing too."""
    login(client, world.lab_user1.email)
    url = f"/laboratory/samples/{world.sample1.id}"
    refused = post(client, url, {"limit_id": str(wheat_limit().id)})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r'id="tested_on-error">[^<]*required', page)
    assert 'id="value-error">Enter the measured value, or say that it was not detected.' in page
    refused = post(client, url, {"limit_id": str(wheat_limit().id), "value": "1500",
                                 "tested_on": "not a day"})
    page = refused.get_data(as_text=True)
    assert 'id="unit-error">Enter the unit of the value' in page and 'id="tested_on-error"' in page
    assert db.session.scalar(select(LabResult).where(
        LabResult.sample_id == world.sample1.id)) is None


def test_another_laboratorys_sample_is_out_of_reach(world, client):
    login(client, world.lab_user1.email)
    url = f"/laboratory/samples/{world.sample2.id}"
    assert client.get(url).status_code == 404  # as an unknown one: its number tells nothing
    assert post(client, url, {"limit_id": str(wheat_limit().id), "value": "1",
                              "unit": "µg/kg",
                              "tested_on": date.today().isoformat()}).status_code == 404
    assert db.session.scalar(select(LabResult).where(
        LabResult.sample_id == world.sample2.id)) is None


def test_another_laboratorys_sample_says_in_russian_it_is_a_sample_not_found(world, client):
    """The page said "образец", the only place a sample was not "проба"."""
    login(client, world.lab_user1.email)
    world.lab_user1.locale = "ru"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    refused = client.get(f"/laboratory/samples/{world.sample2.id}")
    assert refused.status_code == 404
    page = refused.get_data(as_text=True)
    assert "Проба не найдена." in page
    assert "образец" not in page


def test_the_inspector_sends_a_sample_to_an_accredited_laboratory_by_choosing_it(world,
                                                                                  client):
    """The sample form had a text box only: no sample could reach a laboratory's account."""
    login(client, world.inspector.email)
    base = f"/inspector/applications/{world.lab_application.id}"
    page = client.get(base).get_data(as_text=True)
    assert f'<option value="{world.lab1.id}">Khorgos Testing Laboratory</option>' in page
    neither = post(client, base + "/samples", {
        "code": "S-3", "product_code": "wheat", "taken_on": date.today().isoformat(),
        "matrix": "wheat grain", "laboratory_id": "0", "laboratory": ""})
    assert neither.status_code == 422
    assert "Choose an accredited laboratory, or name the laboratory" in neither.get_data(
        as_text=True)
    both = post(client, base + "/samples", {  # the typed name was dropped without a word
        "code": "S-3", "product_code": "wheat", "taken_on": date.today().isoformat(),
        "matrix": "wheat grain", "laboratory_id": str(world.lab1.id),
        "laboratory": "Republican veterinary laboratory"})
    assert both.status_code == 422
    assert "Either choose an accredited laboratory or name another one, not both." in \
        both.get_data(as_text=True)
    assert db.session.scalar(select(Sample).where(Sample.code == "S-3")) is None
    sent = post(client, base + "/samples", {
        "code": "S-3", "product_code": "wheat", "taken_on": date.today().isoformat(),
        "matrix": "wheat grain", "laboratory_id": str(world.lab1.id)})
    assert sent.status_code == 302
    sample = db.session.scalar(select(Sample).where(Sample.code == "S-3"))
    assert (sample.laboratory_id, sample.laboratory) == (world.lab1.id,
                                                         "Khorgos Testing Laboratory")


def test_the_laboratorys_page_and_back_link_name_its_samples_not_the_history_event(
        world, client):
    """In Kazakh and Chinese the back link and heading read "Samples were sent to the
    laboratory" (the history's event, whose English words they shared)."""
    login(client, world.lab_user1.email)
    world.lab_user1.locale = "kk"
    db.session.commit()
    g.pop("_flask_babel", None)
    listing = client.get("/laboratory/samples").get_data(as_text=True)
    assert "<h1>Зертханаға жіберілген сынамалар</h1>" in listing
    sample = client.get(f"/laboratory/samples/{world.sample1.id}").get_data(as_text=True)
    assert "&larr; Зертханаға жіберілген сынамалар</a>" in sample
    assert "Сынамалар зертханаға жіберілді</a>" not in sample


def test_a_code_the_laboratory_already_holds_is_refused_for_another_application(world):
    """The laboratory finds a sample by its label: "S-0012-1" of A-000012 was taken again for
    A-000010, and its list then held two samples S-0012-1."""
    _exporter, inspector, other = make_application_for_lab("inspected", bin_=make_bin(77))
    sample = {"code": "s-1", "product_code": "wheat", "matrix": "grain",
              "taken_on": local_today() - timedelta(days=1)}
    with pytest.raises(ValidationFailed) as refused:
        laboratory.record_sample(inspector, other, SampleInput.from_mapping(
            {**sample, "laboratory": world.lab1.name, "laboratory_id": world.lab1.id}))
    assert refused.value.errors["code"] == [
        f"The laboratory already holds a sample s-1, of application "
        f"{world.lab_application.reference}: give this one a code of its own, as its label "
        f"will read."]
    # another laboratory, or one without an account, has labels of its own
    laboratory.record_sample(inspector, other, SampleInput.from_mapping(
        {**sample, "laboratory": world.lab2.name, "laboratory_id": world.lab2.id}))
    assert db.session.scalar(select(Sample.laboratory_id).where(
        Sample.application_id == other.id)) == world.lab2.id


def _notices(user, kind: str) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id, Notification.kind == kind).order_by(Notification.id)))


def test_the_laboratory_is_told_of_the_samples_sent_to_it(world):
    """Its notifications read "no notification yet" after two samples were sent to it."""
    ref = world.lab_application.reference
    assert _notices(world.lab_user1, "lab_samples") == [
        f"Samples S-1 of application {ref} were sent to your laboratory."]
    assert _notices(world.lab_user2, "lab_samples") == [
        f"Samples S-2 of application {ref} were sent to your laboratory."]
    assert _notices(world.inspector, "lab_samples") == []


def test_the_inspector_is_told_of_the_results_the_laboratory_posts(world, client):
    """A failing result posted by the laboratory showed only to whoever opened the application
    again; the inspector's notifications said nothing."""
    application = world.lab_application
    application.assignee_id = world.inspector.id
    db.session.commit()
    login(client, world.lab_user1.email)
    url = f"/laboratory/samples/{world.sample1.id}"
    failing = {"limit_id": str(wheat_limit().id), "value": "1500", "unit": "µg/kg",
               "method": "GB 5009.111", "tested_on": date.today().isoformat()}
    assert post(client, url, failing).status_code == 302
    for parameter, value in (("lead", "0.05"), ("cadmium", "0.03")):  # two, told once a day
        assert post(client, url, {**failing, "limit_id": str(wheat_limit(parameter).id),
                                  "value": value, "unit": "mg/kg"}).status_code == 302
    ref = application.reference
    assert _notices(world.inspector, "lab_result") == [
        f"The laboratory's result of deoxynivalenol (DON) for sample S-1 of application {ref} "
        "exceeds China's limit.",
        f"The laboratory posted results for sample S-1 of application {ref}."]


def test_with_no_inspector_assigned_the_committees_inspectors_of_the_region_are_told(world,
                                                                                      client):
    """Assignments released (the inspector left), a failing result posted by the laboratory
    was told to nobody."""
    application = world.lab_application
    application.assignee_id = None
    db.session.commit()
    outside = make_user("inspector", regions=["KZ-39"])  # of the committee, another region
    login(client, world.lab_user1.email)
    assert post(client, f"/laboratory/samples/{world.sample1.id}", {
        "limit_id": str(wheat_limit().id), "value": "1500", "unit": "µg/kg",
        "method": "GB 5009.111", "tested_on": date.today().isoformat()}).status_code == 302
    told = (f"The laboratory's result of deoxynivalenol (DON) for sample S-1 of application "
            f"{application.reference} exceeds China's limit.")
    assert _notices(world.inspector, "lab_result") == [told]
    assert _notices(outside, "lab_result") == []


def test_the_failing_result_notice_names_the_parameter_in_its_readers_language(world, client):
    """It said only that "a result" exceeded China's limit; the inspector had to open the
    application to learn which."""
    world.lab_application.assignee_id = world.inspector.id
    db.session.commit()
    login(client, world.lab_user1.email)
    assert post(client, f"/laboratory/samples/{world.sample1.id}", {
        "limit_id": str(wheat_limit().id), "value": "1500", "unit": "µg/kg",
        "method": "GB 5009.111", "tested_on": date.today().isoformat()}).status_code == 302
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == world.inspector.id, Notification.kind == "lab_result"))
    with force_locale("zh"):
        assert "脱氧雪腐镰刀菌烯醇" in notifications.message_of(note)
    with force_locale("kk"):
        assert "дезоксиниваленол (ДОН)" in notifications.message_of(note)
