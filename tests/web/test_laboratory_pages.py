"""The inspector's laboratory and conclusion pages, in the test client."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import g
from sqlalchemy import func, select, update

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Inspection,
    LabLimit,
    LabResult,
    QuarantineMeasurement,
    Sample,
)
from certtrack.services import accreditation, conclusions, laboratories, laboratory
from certtrack.services.applications import local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import LimitInput, SampleInput

from api_world import make_laboratory
from factories import make_application_for_lab, make_user, move_to_state
from forms import flashes, login, post

DON = "deoxynivalenol (DON)"
WHEAT_REQUIRED = {  # parameter → (value, unit, detected)
    DON: ("200", "µg/kg", ""),
    "aflatoxin B1": ("1", "µg/kg", ""),
    "lead": ("0.05", "mg/kg", ""),
    "cadmium": ("0.03", "mg/kg", ""),
    "Tilletia controversa (dwarf bunt)": ("", "", "no"),
}

CONFIRMED = {"confirm": "y"}  # the ticked box of an irreversible step


def limit_id(parameter: str, product: str = "wheat") -> int:
    rows = db.session.scalars(select(LabLimit).where(LabLimit.parameter == parameter))
    return next(row.id for row in rows if product in row.products.split())


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def world(ctx, client):
    """An inspected wheat application, its inspector signed in over HTTP."""
    exporter, inspector, application = make_application_for_lab("inspected")
    login(client, inspector.email)
    base = f"/inspector/applications/{application.id}"
    return type("World", (), {"exporter": exporter, "inspector": inspector,
                              "application": application, "base": base, "client": client})


def take_sample(world, code="S-1", days_ago=45, laboratory="Central laboratory"):
    response = post(world.client, world.base + "/samples", {
        "code": code, "product_code": "wheat",
        "taken_on": (local_today() - timedelta(days=days_ago)).isoformat(),
        "matrix": "wheat grain", "laboratory": laboratory})
    assert response.status_code == 302, text_of(response)[:3000]
    return db.session.scalars(select(Sample).where(Sample.code == code)).one()


def enter_result(world, sample, parameter, value="", unit="", detected="", **extra):
    body = {"limit_id": limit_id(parameter), "value": value, "unit": unit, "detected": detected,
            "method": "GB 5009.111", "tested_on": local_today().isoformat(), **extra}
    return post(world.client, f"{world.base}/samples/{sample.id}/results", body)


def all_required_results(world) -> None:
    """A sample sent to the laboratory, a compliant result for each parameter wheat requires,
    and the results recorded as complete: only the conclusion is left."""
    sample = take_sample(world)
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    for parameter, (value, unit, detected) in WHEAT_REQUIRED.items():
        assert enter_result(world, sample, parameter, value, unit, detected).status_code == 302
    post(world.client, world.base + "/lab-results-complete", CONFIRMED)


def test_inspector_records_a_failing_don_result_and_sees_the_verdict(world):
    sample = take_sample(world)
    assert post(world.client, world.base + "/send-to-lab", CONFIRMED).status_code == 302
    response = enter_result(world, sample, DON, "1200", "µg/kg")
    assert response.status_code == 302
    page = text_of(world.client.get(response.location))
    assert "1,200 µg/kg exceeds the limit of 1,000 µg/kg." in page
    detail = text_of(world.client.get(world.base))
    assert "Non-compliant" in detail and "GB 2761" in detail
    assert db.session.scalar(select(LabResult.verdict)) == "non_compliant"


def test_the_sample_form_sent_twice_leads_to_the_sample_it_recorded(world):
    """A double click on Record sample: the second sending was refused as "already has a
    sample", though the sample was recorded."""
    sample = take_sample(world)
    again = post(world.client, world.base + "/samples", {
        "code": "S-1", "product_code": "wheat", "taken_on": sample.taken_on.isoformat(),
        "matrix": "wheat grain", "laboratory": "Central laboratory"})
    assert again.status_code == 303
    assert again.location == world.base + "#panel-laboratory"
    said = flashes(world.client.get(world.base).get_data(as_text=True))
    assert len(said) == 1
    assert re.fullmatch(r"You already recorded sample S-1, at .{10,30}: the form was sent "
                        r"twice, and nothing was recorded again\.", said[0]), said
    assert db.session.scalar(select(func.count()).select_from(Sample)) == 1


def test_a_colleagues_sample_of_the_same_code_is_refused(world):
    take_sample(world)
    colleague = make_user("inspector", full_name="Other Inspector")
    db.session.execute(update(Sample).values(created_by_id=colleague.id))
    db.session.commit()
    response = post(world.client, world.base + "/samples", {
        "code": "S-1", "product_code": "wheat",
        "taken_on": (local_today() - timedelta(days=45)).isoformat(),
        "matrix": "wheat grain", "laboratory": "Central laboratory"})
    assert response.status_code == 422
    assert re.search(r'id="code-error">This application already has a sample S-1\.',
                     text_of(response))


def test_duplicate_sample_code_is_refused_beside_the_field(world):
    take_sample(world)
    response = post(world.client, world.base + "/samples", {
        "code": "S-1", "product_code": "wheat", "taken_on": local_today().isoformat(),
        "matrix": "second bag", "laboratory": "Central laboratory"})
    assert response.status_code == 422
    page = text_of(response)
    assert re.search(r'id="code-error">This application already has a sample S-1\.', page)
    assert 'value="second bag"' in page
    assert db.session.scalar(select(func.count()).select_from(Sample)) == 1


def test_a_laboratory_without_an_account_is_named_in_latin_or_chinese_script(world):
    """The dossier to GACC printed "Республиканский фитосанитарный диагностический центр" as
    it was typed; the form now says so and refuses Cyrillic there, keeping what was typed."""
    form = text_of(world.client.get(world.base))
    assert "in Latin or Chinese script (the recommendation dossier sent to China" in form
    typed = "Республиканский фитосанитарный центр"
    refused = post(world.client, world.base + "/samples", {
        "code": "S-7", "product_code": "wheat", "taken_on": local_today().isoformat(),
        "matrix": "wheat grain", "laboratory": typed})
    assert refused.status_code == 422
    page = text_of(refused)
    assert re.search(r'id="laboratory-error">Write it in Latin or Chinese script', page)
    assert f'value="{typed}"' in page and 'value="S-7"' in page
    assert db.session.scalar(select(func.count()).select_from(Sample)) == 0
    for name in ("Republican Phytosanitary Diagnostic Centre, Astana", "阿斯塔纳植物检疫中心"):
        take_sample(world, code=f"S-{len(name)}", laboratory=name)
    assert sorted(db.session.scalars(select(Sample.laboratory))) == [
        "Republican Phytosanitary Diagnostic Centre, Astana", "阿斯塔纳植物检疫中心"]


def test_unconvertible_unit_is_shown_beside_the_field(world):
    sample = take_sample(world)
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    response = enter_result(world, sample, "lead", "0.25", "mg/l")
    assert response.status_code == 422
    error = re.search(r'id="unit-error">([^<]*)<', text_of(response))
    assert error and "mg/l" in error.group(1)
    assert 'value="0.25"' in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(LabResult)) == 0


def test_chilled_product_result_form_defaults_to_thirty_days(ctx, client):
    _exporter, inspector, application = make_application_for_lab("lab_testing", "beef_chilled")
    sample = Sample(application_id=application.id, code="B-1", product_code="beef_chilled",
                    taken_on=local_today(), matrix="beef", laboratory="Lab")
    db.session.add(sample)
    db.session.commit()
    login(client, inspector.email)
    page = client.get(f"/inspector/applications/{application.id}/samples/{sample.id}/results")
    assert page.status_code == 200
    assert re.search(r'id="valid_days"[^>]*value="30"', text_of(page))
    assert "clenbuterol" in text_of(page) and DON not in text_of(page)


def test_positive_conclusion_refused_while_a_result_is_expired(world):
    sample = take_sample(world)
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    for parameter, (value, unit, detected) in WHEAT_REQUIRED.items():
        extra = {}
        if parameter == DON:
            extra = {"tested_on": (local_today() - timedelta(days=40)).isoformat(),
                     "valid_days": "30"}
        assert enter_result(world, sample, parameter, value, unit, detected,
                            **extra).status_code == 302
    assert post(world.client, world.base + "/lab-results-complete", CONFIRMED).status_code == 302
    detail = text_of(world.client.get(world.base))
    assert "expired, does not count" in detail
    response = post(world.client, world.base + "/conclusion/positive",
                    {"confirm": "y", "conclusion": ""})
    assert response.status_code == 422
    page = text_of(response)
    assert "A positive conclusion is not possible yet." in page
    assert f"The {DON} result of" in page and "has expired (valid until" in page
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"


def test_positive_conclusion_over_http(world):
    all_required_results(world)
    # Concluding cannot be undone: the form names the consequence, and the box must be ticked.
    assert "the conclusion cannot be changed afterwards" in text_of(world.client.get(world.base))
    unconfirmed = post(world.client, world.base + "/conclusion/positive",
                       {"conclusion": "Fit for export."})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in text_of(unconfirmed)
    assert "Fit for export." in text_of(unconfirmed)  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"
    response = post(world.client, world.base + "/conclusion/positive",
                    {"confirm": "y", "conclusion": "Fit for export."}, follow_redirects=True)
    assert response.status_code == 200
    assert "The positive conclusion was recorded." in text_of(response)
    db.session.expire_all()
    application = db.session.get(Application, world.application.id)
    assert (application.state, application.conclusion) == ("conclusion_positive",
                                                           "Fit for export.")
    # its history says the step once: "Positive conclusion → Positive conclusion" repeated it
    history = text_of(response)[text_of(response).index('<ol class="timeline">'):]
    assert "<strong>Positive conclusion</strong>" in history
    assert "→ Positive conclusion" not in history


def test_a_positive_conclusion_written_in_russian_is_refused_as_the_dossier_prints_it(world):
    """The dossier to GACC printed the inspector's own conclusion as written, in Cyrillic."""
    all_required_results(world)
    assert "the recommendation dossier sent to China's customs prints it as written" in \
        html.unescape(text_of(world.client.get(world.base)))
    response = post(world.client, world.base + "/conclusion/positive",
                    {"confirm": "y", "conclusion": "Пригодно для экспорта."})
    assert response.status_code == 422
    page = html.unescape(text_of(response))
    assert ("Write it in Latin or Chinese script: the recommendation dossier sent to China's "
            "customs prints it as written.") in page and "Пригодно для экспорта." in page
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"
    with pytest.raises(ValidationFailed):  # the service itself, whatever calls it
        conclusions.conclude_positive(world.inspector, world.application, "Пригодно.")


def test_negative_conclusion_without_reasons_is_a_field_error(world):
    response = post(world.client, world.base + "/conclusion/negative", {"comment": ""})
    assert response.status_code == 422
    assert 'id="comment-error"' in text_of(response)
    response = post(world.client, world.base + "/conclusion/negative",
                    {"comment": "Hygiene not acceptable.", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "conclusion_negative"


def test_send_to_lab_without_samples_is_refused(world):
    response = post(world.client, world.base + "/send-to-lab", CONFIRMED)
    assert response.status_code == 422
    assert "Record the samples you send to the laboratory first." in text_of(response)


def test_stale_action_is_flashed_and_redirected(world):
    move_to_state(world.application, "conclusion_negative")
    response = post(world.client, world.base + "/send-to-lab", CONFIRMED,
                    follow_redirects=True)
    assert response.status_code == 200
    assert "This action is no longer possible" in text_of(response)


def test_inspector_out_of_scope_gets_404(world, client):
    sample = take_sample(world)
    post(world.client, "/logout")
    stranger = make_user("inspector", regions=["KZ-39"])
    login(client, stranger.email)
    assert client.get(f"{world.base}/samples/{sample.id}/results").status_code == 404
    response = post(client, world.base + "/samples", {
        "code": "S-9", "product_code": "wheat", "taken_on": local_today().isoformat(),
        "matrix": "wheat grain", "laboratory": "Lab"})
    assert response.status_code == 404
    assert post(client, world.base + "/conclusion/negative",
                {"comment": "No"}).status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Sample)) == 1
    assert db.session.get(Application, world.application.id).state == "inspected"


def test_lab_page_shows_when_the_limit_in_force_would_judge_differently(world):
    from decimal import Decimal

    from certtrack.services import limits

    sample = take_sample(world)
    assert post(world.client, world.base + "/send-to-lab", CONFIRMED).status_code == 302
    assert enter_result(world, sample, DON, "1200", "µg/kg").status_code == 302
    row = db.session.get(LabLimit, limit_id(DON))
    limits.update_limit(make_user("admin"), row, LimitInput.from_mapping({
        "value": Decimal("1500"), "unit": row.unit, "matrix": row.matrix,
        "products": row.products, "source": "GB 2761-2017 as corrected", "confidence": "S",
        "required": row.required}))
    page = text_of(world.client.get(world.base))
    assert "Non-compliant" in page and "≤ 1,000 µg/kg" in page  # as judged
    assert ("The limit in force now (≤ 1,500 µg/kg, GB 2761-2017 as corrected) would judge it "
            "differently: Compliant.") in page
    stored = db.session.scalar(select(LabResult))
    assert (stored.verdict, stored.limit_value) == ("non_compliant", Decimal("1000"))


def speak(user, language: str) -> None:
    """The user's interface language, as chosen on the account page (the test's application
    context outlives the requests: its cached locale goes too)."""
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)


@pytest.mark.parametrize(("language", "don", "matrix", "source", "thousand", "unit"), [
    ("kk", "дезоксиниваленол (ДОН)", "дәнді дақылдар және олардың ұны (бидай, арпа, жүгері)",
     "GB 2761-2017, 4.3, 3-кесте: жүгері, жүгері ұны", "1\xa0000", "мкг/кг"),
    ("zh", "脱氧雪腐镰刀菌烯醇（DON）", "谷物及其制粉（小麦、大麦、玉米）",
     "GB 2761-2017，4.3，表3：玉米、玉米面（渣、片）", "1,000", "µg/kg"),
])
def test_the_results_show_the_parameter_matrix_and_source_in_the_users_language(
        world, language, don, matrix, source, thousand, unit):
    sample = take_sample(world)
    assert post(world.client, world.base + "/send-to-lab", CONFIRMED).status_code == 302
    speak(world.inspector, language)
    form = text_of(world.client.get(f"{world.base}/samples/{sample.id}/results"))
    limit = f"（≤ {thousand} {unit}）" if language == "zh" else f" (≤ {thousand} {unit})"
    assert f"{don} — {matrix}{limit}" in form  # the parameter offered
    response = enter_result(world, sample, DON, "1200.5", "µg/kg")
    assert response.status_code == 302
    measured = thousand.replace("000", "200") + ("," if language == "kk" else ".") + f"5 {unit}"
    for page in (text_of(world.client.get(response.location)),
                 text_of(world.client.get(world.base))):
        assert don in page and matrix in page and source in page
        assert measured in page and f"≤ {thousand} {unit}" in page
        assert DON not in page and "cereals and cereal flour" not in page
        assert "Table 3" not in page


def test_the_conclusions_blockers_name_the_parameters_in_the_users_language(world):
    speak(world.inspector, "zh")
    response = post(world.client, world.base + "/conclusion/positive",
                    {"confirm": "y", "conclusion": ""})
    assert response.status_code == 422
    page = text_of(response)
    assert "脱氧雪腐镰刀菌烯醇" in page and "小麦矮腥黑穗病菌 Tilletia controversa" in page
    assert DON not in page and "dwarf bunt" not in page


def test_sending_samples_and_closing_testing_need_the_ticked_box(world):
    sample = take_sample(world)
    page = text_of(world.client.get(world.base))
    assert "this cannot be undone" in page  # the send form names its consequence
    unconfirmed = post(world.client, world.base + "/send-to-lab")
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in text_of(unconfirmed)
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"
    assert post(world.client, world.base + "/send-to-lab", CONFIRMED).status_code == 302
    enter_result(world, sample, DON, "200", "µg/kg")
    enter_result(world, sample, "cadmium", "0.5", "mg/kg")  # above the 0.1 mg/kg limit
    # Closing with required results still missing names them before the box is ticked, and
    # one above the limit too (the block named the missing ones only).
    page = text_of(world.client.get(world.base))
    assert "No result yet for these required parameters:" in page
    assert "lead" in page[page.index("No result yet for these required parameters:"):][:400]
    failing = re.search(r'<p class="overdue" id="failing-results">Above China’s limit: ([^.]+)\.',
                        page)
    assert failing.group(1) == "cadmium"
    assert ">Close laboratory testing</button>" in page
    unconfirmed = post(world.client, world.base + "/lab-results-complete")
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in text_of(unconfirmed)
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "lab_testing"
    assert post(world.client, world.base + "/lab-results-complete",
                CONFIRMED).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"


def _measured(world, value: str) -> None:
    """A moisture measurement of the on-site inspection (GB 1351: at most 12.5 % for wheat)."""
    inspection = db.session.scalar(select(Inspection).where(
        Inspection.application_id == world.application.id))
    if inspection is None:
        inspection = Inspection(application_id=world.application.id, mode="on_site",
                                scheduled_for=local_today(), performed_on=local_today())
        db.session.add(inspection)
        db.session.flush()
    verdict = "compliant" if Decimal(value) <= Decimal("12.5") else "non_compliant"
    db.session.add(QuarantineMeasurement(
        inspection_id=inspection.id, application_id=world.application.id, product_code="wheat",
        measure="moisture", value=Decimal(value), unit="%", verdict=verdict,
        requirement_value=Decimal("12.5"), requirement_kind="max"))
    db.session.commit()


def test_a_measurement_over_its_requirement_blocks_the_positive_conclusion(world):
    """Moisture 13.5 % against "≤ 12.5 %" showed "Not compliant", yet was not among what a
    positive conclusion still needs, and the conclusion went through."""
    all_required_results(world)
    _measured(world, "13.5")
    page = text_of(world.client.get(world.base))
    message = ("Moisture of Wheat does not meet its requirement: 13.5 % measured. Measure again "
               "after the correction, or conclude negatively.")
    assert message in page
    refused = post(world.client, world.base + "/conclusion/positive",
                   {"confirm": "y", "conclusion": "Fit for export."})
    assert refused.status_code == 422 and message in text_of(refused)
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"
    _measured(world, "12.1")  # measured again after drying: the latest counts
    assert "Moisture of Wheat" not in text_of(world.client.get(world.base))
    done = post(world.client, world.base + "/conclusion/positive",
                {"confirm": "y", "conclusion": "Fit for export."})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "conclusion_positive"


def test_the_parameters_are_offered_in_the_readers_alphabet(world):
    """In Russian the list read "Aegilops…, афлатоксин B1, Ambrosia…, кадмий": the order of
    the English names."""
    sample = take_sample(world)
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    post(world.client, "/language", {"locale": "ru"})
    g.pop("_flask_babel", None)
    page = text_of(world.client.get(f"{world.base}/samples/{sample.id}/results"))
    select_html = page.split('id="limit_id"')[1].split("</select>")[0]
    names = [html_text.strip() for html_text in re.findall(r"<option[^>]*>([^<]*)</option>",
                                                           select_html)]
    assert len(names) > 5 and names == sorted(names, key=str.casefold)


def test_a_second_result_of_a_sample_asks_why_and_marks_the_first_replaced(world):
    """A compliant lead result was replaced by a failing one, and back, without a word: the
    earlier row only read "(superseded)" after the limit's matrix."""
    sample = take_sample(world)
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    url = f"{world.base}/samples/{sample.id}/results"
    assert "Why this result is added" not in text_of(world.client.get(url))  # no result yet
    assert enter_result(world, sample, "lead", "0.2", "mg/kg").status_code == 302
    refused = enter_result(world, sample, "lead", "0.05", "mg/kg")
    page = text_of(refused)
    assert refused.status_code == 422
    assert ("Sample S-1 already has a result for this parameter, tested on "
            f"{local_today():%b} {local_today().day}, {local_today().year}; the newer "
            "result counts.") in page
    assert 'name="value" type="text" value="0.05"' in page  # what was typed is kept
    assert db.session.scalar(select(func.count(LabResult.id))) == 1
    short = enter_result(world, sample, "lead", "0.05", "mg/kg", correction="typo")
    assert short.status_code == 422  # "typo" replaced the first result for good
    assert ("Give the reason in a few words: at least 10 characters, or 4 Chinese "
            "characters.") in text_of(short)
    assert db.session.scalar(select(func.count(LabResult.id))) == 1
    corrected = enter_result(world, sample, "lead", "0.05", "mg/kg",
                             correction="Typing error: the lab's report says 0.05")
    assert corrected.status_code == 302
    page = text_of(world.client.get(url))
    assert "replaced by a later result" in page
    assert "Added: Typing error: the lab&#39;s report says 0.05" in page
    newest = db.session.scalars(select(LabResult).order_by(LabResult.id.desc())).first()
    assert newest.correction == "Typing error: the lab's report says 0.05"
    other = enter_result(world, sample, "cadmium", "0.03", "mg/kg")
    assert other.status_code == 302  # another parameter's first result needs no reason


def test_a_second_samples_form_asks_why_when_it_retests_and_names_the_failing_lot(world):
    """The second sample's form had no field for a retest's reason, and its result hid the
    first sample's failing one: the conclusion went through."""
    first, second = take_sample(world), take_sample(world, code="S-2")
    post(world.client, world.base + "/send-to-lab", CONFIRMED)
    url = f"{world.base}/samples/{second.id}/results"
    assert "Why this result is added" not in text_of(world.client.get(url))
    assert enter_result(world, first, "lead", "0.25", "mg/kg").status_code == 302
    assert "Why this result is added" in text_of(world.client.get(url))
    assert enter_result(world, second, "lead", "0.05", "mg/kg").status_code == 302
    application = db.session.get(Application, world.application.id)
    assert "lead (sample S-1) is not compliant." in " ".join(
        conclusions.check_conclusion(application).messages)


def test_the_lab_buttons_are_reachable_before_their_step_and_refused_with_the_reason(world):
    """"Send samples to the laboratory" and "Conclude positively" were `disabled` until
    possible: a keyboard or a screen reader could not reach them, nor learn why."""
    page = text_of(world.client.get(world.base))
    assert re.search(r'<p class="hint" id="send-to-lab-hint">Record the samples you send '
                     r'first\.</p>', page)
    assert re.search(r'<button type="submit" class="btn" aria-disabled="true" '
                     r'aria-describedby="send-to-lab-hint">Send samples to the laboratory', page)
    assert re.search(r'<ul class="missing" id="conclusion-blockers">', page)
    assert re.search(r'<button type="submit" class="btn" aria-disabled="true" '
                     r'aria-describedby="conclusion-blockers">', page)
    assert not re.search(r"<button[^>]* disabled", page)
    # sent as the page's buttons send them, without the box the page shows only once possible
    sent = post(world.client, world.base + "/send-to-lab", {})
    assert sent.status_code == 422
    assert "Record the samples you send to the laboratory first." in text_of(sent)
    assert "Tick the box to confirm." not in text_of(sent)
    concluded = post(world.client, world.base + "/conclusion/positive", {"conclusion": ""})
    assert concluded.status_code == 422
    assert "A positive conclusion is not possible yet." in text_of(concluded)
    assert "Tick the box to confirm." not in text_of(concluded)
    db.session.expire_all()
    assert db.session.get(Application, world.application.id).state == "inspected"


def test_a_sample_is_offered_the_laboratories_whose_scope_covers_its_product(ctx, client):
    """The veterinary inspector's beef sample was offered the grain laboratory alone."""
    grain, _grain_user = make_laboratory("Astana Grain Laboratory", parameters=(DON,))
    meat, _meat_user = make_laboratory("Semey Veterinary Laboratory",
                                       parameters=("clenbuterol", "lead"), categories=("meat",))
    _exporter, inspector, application = make_application_for_lab(
        "inspected", product="beef_chilled")
    login(client, inspector.email)
    base = f"/inspector/applications/{application.id}"
    page = text_of(client.get(base))
    offered = re.search(r'<select[^>]*id="laboratory_id"[^>]*>(.*?)</select>', page, re.S)[1]
    assert "Semey Veterinary Laboratory" in offered and "Astana Grain" not in offered
    refused = post(client, base + "/samples", {
        "code": "S-7", "product_code": "beef_chilled", "taken_on": local_today().isoformat(),
        "matrix": "chilled beef", "laboratory_id": str(grain.id)})
    assert refused.status_code == 422  # not offered: refused beside the field
    assert 'id="laboratory_id-error"' in text_of(refused)
    with pytest.raises(ValidationFailed) as said:  # as the API sends it
        laboratory.record_sample(inspector, application, SampleInput.from_mapping({
            "code": "S-7", "product_code": "beef_chilled", "taken_on": local_today(),
            "matrix": "chilled beef", "laboratory_id": grain.id}))
    assert said.value.errors["laboratory_id"] == [
        "This laboratory's accreditation covers none of the tests of this product: choose "
        "another, or name the laboratory the sample goes to."]
    assert db.session.scalar(select(func.count()).select_from(Sample)) == 0
    assert post(client, base + "/samples", {
        "code": "S-7", "product_code": "beef_chilled", "taken_on": local_today().isoformat(),
        "matrix": "chilled beef", "laboratory_id": str(meat.id)}).status_code == 302


def test_a_scope_names_the_product_groups_its_parameters_are_tested_in(ctx, client):
    """Lead in grain is not lead in meat: the grain laboratory, accredited for lead and
    cadmium in grain, was offered for a beef sample and could post its lead result."""
    grain, grain_user = make_laboratory("Astana Grain Laboratory")  # DON, lead, cadmium
    meat, _meat_user = make_laboratory("Semey Veterinary Laboratory", parameters=("lead",),
                                       categories=("meat",))
    _exporter, inspector, application = make_application_for_lab(
        "inspected", product="beef_chilled")
    login(client, inspector.email)
    base = f"/inspector/applications/{application.id}"
    offered = re.search(r'<select[^>]*id="laboratory_id"[^>]*>(.*?)</select>',
                        text_of(client.get(base)), re.S)[1]
    assert "Semey Veterinary Laboratory" in offered and "Astana Grain" not in offered
    refused = post(client, base + "/samples", {
        "code": "S-8", "product_code": "beef_chilled", "taken_on": local_today().isoformat(),
        "matrix": "chilled beef", "laboratory_id": str(grain.id)})
    assert refused.status_code == 422 and 'id="laboratory_id-error"' in text_of(refused)
    assert db.session.scalar(select(func.count()).select_from(Sample)) == 0
    # a beef sample that reached the grain laboratory all the same: it can post nothing
    sample = Sample(application_id=application.id, code="S-9", product_code="beef_chilled",
                    taken_on=local_today(), matrix="beef", laboratory=grain.name,
                    laboratory_id=grain.id)
    db.session.add(sample)
    application.state = "lab_testing"
    db.session.commit()
    assert laboratories.scope(grain_user, sample) == set()
    assert laboratories.offered_limits(grain_user, [sample]) == {sample.id: []}
    post(client, "/logout")
    login(client, grain_user.email)
    page = client.get(f"/laboratory/samples/{sample.id}")
    assert "covers none of the tests China asks of this product" in text_of(page)
    assert 'id="limit_id"' not in text_of(page)  # no form with nothing to choose
    grain_lead = db.session.scalar(select(LabLimit.id).where(
        LabLimit.parameter == "lead", LabLimit.matrix == "cereals and cereal products"))
    meat_lead = db.session.scalar(select(LabLimit.id).where(
        LabLimit.parameter == "lead", LabLimit.matrix == "meat (not offal)"))
    for limit_id in (grain_lead, meat_lead):
        refused = post(client, f"/laboratory/samples/{sample.id}", {
            "limit_id": str(limit_id), "value": "0.01", "unit": "mg/kg",
            "tested_on": local_today().isoformat()})
        assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(LabResult)) == 0


def test_with_no_laboratory_to_choose_the_form_asks_for_the_laboratory(ctx, client):
    """A beef sample, with the grain laboratory the only one with an account, was offered a
    lone optional "Another laboratory" field: left empty, it said "Choose an accredited
    laboratory", with none to choose."""
    make_laboratory("Astana Grain Laboratory")
    _exporter, inspector, application = make_application_for_lab(
        "inspected", product="beef_chilled")
    login(client, inspector.email)
    base = f"/inspector/applications/{application.id}"
    page = html.unescape(text_of(client.get(base)))
    assert 'id="laboratory_id"' not in page
    assert re.search(r'<label for="laboratory">Laboratory</label> <span class="req"', page)
    assert "No laboratory with an account in certtrack tests these products" in page
    refused = post(client, base + "/samples", {
        "code": "S-7", "product_code": "beef_chilled", "taken_on": local_today().isoformat(),
        "matrix": "chilled beef", "laboratory": ""})
    assert refused.status_code == 422 and 'id="laboratory-error"' in text_of(refused)
    assert post(client, base + "/samples", {
        "code": "S-7", "product_code": "beef_chilled", "taken_on": local_today().isoformat(),
        "matrix": "chilled beef", "laboratory": "Semey veterinary laboratory"}
        ).status_code == 302


def test_a_laboratory_recorded_before_scopes_named_groups_keeps_its_scope(ctx):
    """A laboratory recorded with parameters only (migration 0050 gives it no group) is
    offered for every product group its parameters are tested in, as before."""
    lab, _user = make_laboratory("Old Laboratory", parameters=("lead",))
    lab.categories = []
    db.session.commit()
    assert accreditation.covers(lab, ["beef_chilled"]) and accreditation.covers(lab, ["wheat"])
    assert not accreditation.covers(lab, ["soybeans"])  # no lead limit for soybeans
    assert accreditation.in_scope(lab, ["beef_chilled"]) == {"beef_chilled": {"lead"}}


@pytest.mark.parametrize(("language", "units"), [("kk", "мг/кг, мкг/кг"),
                                                 ("ru", "мг/кг, мкг/кг")])
def test_a_missing_unit_is_asked_for_as_the_hint_names_the_units(world, language, units):
    """The Kazakh and Russian messages asked for the unit "in Latin letters", beside a hint
    naming мг/кг, which is accepted."""
    sample = take_sample(world)
    assert post(world.client, world.base + "/send-to-lab", CONFIRMED).status_code == 302
    speak(world.inspector, language)
    response = enter_result(world, sample, DON, "1200.5", "")
    assert response.status_code == 422
    assert units in text_of(response) and "mg/kg" not in text_of(response)
    assert enter_result(world, sample, DON, "1200,5", "мкг/кг").status_code == 302


def test_the_inspectors_result_form_says_every_missing_entry_at_once(world):
    sample = take_sample(world)
    assert post(world.client, world.base + "/send-to-lab", CONFIRMED).status_code == 302
    response = enter_result(world, sample, DON, tested_on="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="tested_on-error"' in page
    assert 'id="value-error">Enter the measured value, or say that it was not detected.' in page
