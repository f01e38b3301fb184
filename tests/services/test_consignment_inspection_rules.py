"""What an inspector may record on a consignment: days within the goods' life, quantities not
below zero, every error of a laboratory result at once; and a consignee China can read."""

from datetime import timedelta
from decimal import Decimal

import pytest

from certtrack.extensions import db
from certtrack.models import ConsignmentLabResult, ConsignmentTreatment
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts, inspection, issue
from certtrack.services.consignments.inputs import InspectionInput, LabResultInput, TreatmentInput
from certtrack.services.errors import ValidationFailed

from consignment_factories import header, make_consignment


def _started(kind="phyto"):
    _e, inspector, registration, consignment = make_consignment(kind)
    inspection.start_inspection(inspector, consignment)
    return inspector, registration, consignment


def _max_limit(consignment):
    return next(limit for limit in inspection.limits_for(consignment) if limit.kind == "max")


def _refused(call) -> dict:
    with pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value.errors


def test_a_negative_value_is_refused_and_every_error_shows_at_once(ctx):
    inspector, _r, consignment = _started()
    limit = _max_limit(consignment)
    errors = _refused(lambda: inspection.record_lab_result(inspector, consignment, LabResultInput(
        limit_id=limit.id, sample_code=" ", tested_on=local_today() + timedelta(days=30),
        value=Decimal("-5"), unit="", loq=Decimal("-1"))))
    assert errors == {
        "sample_code": ["Give the sample its code."],
        "laboratory": ["Name the laboratory that tested the sample."],
        "tested_on": ["Give the day of the test, not in the future."],
        "value": ["A measured quantity cannot be below zero."],
        "loq": ["A measured quantity cannot be below zero."],
        "unit": ["Enter the unit of the value: mg/kg, µg/kg, ppm or ppb."]}
    assert db.session.query(ConsignmentLabResult).count() == 0
    row = inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limit.id, sample_code="S-1", tested_on=local_today(), value=Decimal("0"),
        unit=limit.unit))
    assert row.verdict == "compliant"


def test_a_value_below_an_loq_above_the_limit_is_refused(ctx):
    inspector, _r, consignment = _started()
    limit = _max_limit(consignment)
    errors = _refused(lambda: inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory", limit_id=limit.id, sample_code="S-1",
        tested_on=local_today(), value=limit.value / 10, unit=limit.unit, loq=limit.value * 2)))
    assert list(errors) == ["loq"]
    assert "cannot show that the limit is met" in errors["loq"][0]
    assert db.session.query(ConsignmentLabResult).count() == 0


def test_not_detected_against_a_maximum_without_an_loq_is_refused(ctx):
    inspector, _r, consignment = _started()
    limit = _max_limit(consignment)
    errors = _refused(lambda: inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory", limit_id=limit.id, sample_code="S-1",
        tested_on=local_today(), detected=False, unit=limit.unit)))
    assert list(errors) == ["loq"]
    assert errors["loq"][0].startswith("“Not detected” needs the method's limit of "
                                       "quantification and its unit")
    assert db.session.query(ConsignmentLabResult).count() == 0
    row = inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory", limit_id=limit.id, sample_code="S-1",
        tested_on=local_today(), detected=False, unit=limit.unit, loq=limit.value / 10))
    assert row.verdict == "below_loq"


def test_days_before_the_request_or_the_goods_are_refused(ctx):
    inspector, _r, consignment = _started()  # wheat: no production days given
    submitted = consignment.submitted_on
    errors = _refused(lambda: inspection.record_inspection(inspector, consignment, InspectionInput(
        inspected_on=submitted - timedelta(days=1), place="Dostyk", result="satisfactory")))
    assert list(errors) == ["inspected_on"] and "not before" in errors["inspected_on"][0]
    year_before = submitted - timedelta(days=365)
    errors = _refused(lambda: inspection.add_treatment(inspector, consignment, TreatmentInput(
        type="fumigation", treated_on=year_before - timedelta(days=1),
        active_substance="aluminium phosphide")))
    assert errors["treated_on"][0].startswith("Not before ")
    inspection.add_treatment(inspector, consignment, TreatmentInput(
        type="fumigation", treated_on=year_before, active_substance="aluminium phosphide"))
    inspection.record_inspection(inspector, consignment, InspectionInput(
        inspected_on=submitted, place="Dostyk", result="satisfactory"))
    assert consignment.inspected_on == submitted


def test_the_first_production_day_bounds_a_tests_day(ctx):
    inspector, _r, consignment = _started("vet")  # beef produced 10 to 8 days ago
    limit = _max_limit(consignment)
    produced = consignment.production_from

    def result(day):
        return LabResultInput(limit_id=limit.id, sample_code="S-1", tested_on=day,
                              laboratory="Central laboratory", value=Decimal("0.01"),
                              unit=limit.unit)

    errors = _refused(lambda: inspection.record_lab_result(
        inspector, consignment, result(produced - timedelta(days=1))))
    assert list(errors) == ["tested_on"] and errors["tested_on"][0].startswith("Not before ")
    assert inspection.record_lab_result(inspector, consignment, result(produced)).id


@pytest.mark.parametrize(("field", "text"), [
    ("consignee_name", "ТОО Рога и копыта"), ("consignee_address", "Москва, Тверская 1"),
    ("place_of_origin", "Қостанай облысы, Қостанай ауданы")])
def test_a_consignee_in_cyrillic_is_refused(ctx, field, text):
    exporter, _i, registration, consignment = make_consignment(submit=False)
    errors = _refused(lambda: drafts.create_consignment(exporter, header(registration,
                                                                          **{field: text})))
    assert list(errors) == [field] and "Latin or Chinese script" in errors[field][0]
    accepted = drafts.create_consignment(exporter, header(
        registration, consignee_name="Société Müller 新疆有限公司",
        consignee_address="Urumqi, Xinjiang 乌鲁木齐"))
    assert accepted.consignee_name == "Société Müller 新疆有限公司"


def test_the_certificate_waits_for_every_statement_the_protocol_requires(ctx):
    inspector, _r, consignment = _started()  # wheat: three statements apply
    inspect_ready_without_wording(inspector, consignment)
    wording = [row.code for row in inspection.available_declarations(consignment)]
    assert len(wording) == 3
    inspection.set_declarations(inspector, consignment, wording[:2])
    errors = _refused(lambda: issue.issue_consignment_certificate(inspector, consignment))
    assert ("The wording the protocol requires for these products: 1 statement is not chosen."
            in errors[""])
    inspection.set_declarations(inspector, consignment, wording)
    # "Grown in areas free from dwarf bunt" rests on a test of the lot for it: a wheat
    # certificate was issued with that wording and no laboratory result at all.
    # It names Karnal bunt too: a test for each (the wording printed freedom from Karnal bunt
    # on a test for dwarf bunt alone).
    errors = _refused(lambda: issue.issue_consignment_certificate(inspector, consignment))
    assert errors[""] == ["A laboratory result for each pest or substance the chosen wording "
                          "attests; none yet for Tilletia controversa (dwarf bunt) and "
                          "Tilletia indica (Karnal bunt)."]
    for code in ("tilletia_controversa", "tilletia_indica"):
        bunt = next(limit for limit in inspection.limits_for(consignment)
                    if limit.parameter_code == code)
        inspection.record_lab_result(inspector, consignment, LabResultInput(
            laboratory="Central laboratory",
            limit_id=bunt.id, sample_code="S-2", tested_on=local_today(), detected=False))
    assert issue.issue_consignment_certificate(inspector, consignment).number.startswith("KZ-PC")


def inspect_ready_without_wording(inspector, consignment):
    today = local_today()
    inspection.record_inspection(inspector, consignment, InspectionInput(
        inspected_on=today, place="Dostyk", result="satisfactory"))
    limit = _max_limit(consignment)
    inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limit.id, sample_code="S-1", tested_on=today, value=Decimal("0.01"),
        unit=limit.unit))


def test_a_treatment_in_cyrillic_is_refused_as_its_certificate_would_print_it(ctx):
    """Section III of a phytosanitary certificate printed "Фосфин", "2 г/м³" and "120 сағ"."""
    inspector, _r, consignment = _started()
    today = local_today()
    errors = _refused(lambda: inspection.add_treatment(inspector, consignment, TreatmentInput(
        type="fumigation", treated_on=today, active_substance="Фосфин",
        concentration="2 г/м³", duration="120 сағ")))
    assert set(errors) == {"active_substance", "concentration", "duration"}
    assert all("Latin or Chinese script" in messages[0] for messages in errors.values())
    assert consignment.treatments == []
    row = inspection.add_treatment(inspector, consignment, TreatmentInput(
        type="fumigation", treated_on=today, active_substance="phosphine 磷化氢",
        concentration="2 g/m³", duration="120 h"))
    assert (row.active_substance, row.concentration, row.duration) == (
        "phosphine 磷化氢", "2 g/m³", "120 h")


def test_slaughter_days_after_today_are_refused(ctx):
    """Slaughter days of next March were accepted; the inspector then found no day to test on
    ("not before 1 March 2027")."""
    exporter, _i, registration, _c = make_consignment("vet", submit=False)
    today = local_today()
    vet = {"conveyance": "container", "crossing_code": "nur_zholy_khorgos"}
    errors = _refused(lambda: drafts.create_consignment(exporter, header(
        registration, **vet, production_from=today + timedelta(days=85),
        production_to=today + timedelta(days=89))))
    assert errors == dict.fromkeys(("production_from", "production_to"), [
        "A slaughter or production day cannot be after today: the goods are produced before "
        "their certificate is requested."])
    accepted = drafts.create_consignment(exporter, header(
        registration, **vet, production_from=today - timedelta(days=1), production_to=today))
    assert accepted.production_to == today
    errors = _refused(lambda: drafts.update_consignment(exporter, accepted, header(
        registration, **vet, production_from=today, production_to=today + timedelta(days=1))))
    assert list(errors) == ["production_to"]


@pytest.mark.parametrize(("conveyance", "crossing", "message"), [
    ("rail_wagon", "bakhty_tacheng", "A rail wagon cannot enter China at Bakhty – Tacheng "
                                     "(Baketu): it is a road crossing."),
    ("truck", "dostyk_alashankou", "A truck cannot enter China at Dostyk – Alashankou: it is a "
                                   "rail crossing.")])
def test_a_conveyance_the_point_of_entry_cannot_take_is_refused(ctx, conveyance, crossing,
                                                                 message):
    exporter, _i, registration, _c = make_consignment(submit=False)
    errors = _refused(lambda: drafts.create_consignment(exporter, header(
        registration, conveyance=conveyance, crossing_code=crossing)))
    assert list(errors) == ["conveyance"] and errors["conveyance"][0].startswith(message)
    for fits in ("container", "rail_wagon" if conveyance == "truck" else "truck"):
        assert drafts.create_consignment(exporter, header(
            registration, conveyance=fits, crossing_code=crossing)).crossing_code == crossing


def test_a_presence_test_takes_detected_or_not_detected_only(ctx):
    """Tilletia controversa with value 3 was told to "Enter the measured value": one was."""
    inspector, _r, consignment = _started()
    tilletia = next(limit for limit in inspection.limits_for(consignment)
                    if limit.parameter_code == "tilletia_controversa")
    only = ("This test only takes detected or not detected: choose one under “Detected”, "
            "without a value.")

    def result(**entries):
        return LabResultInput(limit_id=tilletia.id, sample_code="S-2", tested_on=local_today(),
                              laboratory="Central laboratory", **entries)

    assert _refused(lambda: inspection.record_lab_result(
        inspector, consignment, result(value=Decimal("3")))) == {"value": [only]}
    assert _refused(lambda: inspection.record_lab_result(
        inspector, consignment, result())) == {"detected": [only]}
    row = inspection.record_lab_result(inspector, consignment, result(detected=False))
    assert (row.verdict, row.value) == ("compliant", None)


def test_a_second_result_of_one_sample_and_test_asks_the_first_to_go(ctx):
    """DON at 1,500 µg/kg then 800 for the same sample: both stood, the failing one still
    blocking the certificate, with no word that it had to be removed first."""
    inspector, _r, consignment = _started()
    limit = _max_limit(consignment)
    first = inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limit.id, sample_code="S-9-1", tested_on=local_today(), value=Decimal("0"),
        unit=limit.unit))
    retest = LabResultInput(limit_id=limit.id, sample_code="s-9-1 ", tested_on=local_today(),
                            laboratory="Central laboratory", value=Decimal("0"),
                            unit=limit.unit)
    errors = _refused(lambda: inspection.record_lab_result(inspector, consignment, retest))
    assert errors == {"sample_code": [
        f"Sample S-9-1 already has a result for this test, tested on "
        f"{local_today():%b} {local_today().day}, {local_today().year}: remove it first, saying "
        "why (a retest, a wrong entry), then record this one."]}
    assert db.session.query(ConsignmentLabResult).count() == 1
    other = inspection.record_lab_result(inspector, consignment, LabResultInput(
        laboratory="Central laboratory",
        limit_id=limit.id, sample_code="S-9-2", tested_on=local_today(), value=Decimal("0"),
        unit=limit.unit))  # another sample of the consignment
    assert other.id != first.id


def test_a_treatment_sent_twice_is_recorded_once(ctx):
    """The certificate printed a treatment twice: the form sent again recorded it again."""
    inspector, _r, consignment = _started()
    entries = TreatmentInput(type="fumigation", treated_on=local_today(),
                             active_substance="aluminium phosphide", concentration="3 g/m3",
                             duration="72 h")
    inspection.add_treatment(inspector, consignment, entries)
    errors = _refused(lambda: inspection.add_treatment(inspector, consignment, entries))
    assert list(errors) == [""] and errors[""][0].startswith("You recorded this treatment at ")
    assert db.session.query(ConsignmentTreatment).count() == 1
    inspection.add_treatment(inspector, consignment, TreatmentInput(
        type="fumigation", treated_on=local_today(), active_substance="aluminium phosphide",
        concentration="3 g/m3", duration="96 h"))
    assert db.session.query(ConsignmentTreatment).count() == 2
