"""Samples and laboratory results through the service: verdicts, units, scope, transitions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, LabLimit, LabResult, Notification, Sample
from certtrack.services import conclusions, daily, lab_results, laboratory
from certtrack.services.applications import local_today
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.inputs import LabResultInput, SampleInput

from factories import make_application_for_lab, make_user


def limit_id(parameter: str, product: str) -> int:
    """The id of the limit row of `parameter` that applies to `product`."""
    rows = db.session.scalars(select(LabLimit).where(LabLimit.parameter == parameter))
    return next(row.id for row in rows if product in row.products.split())


def sample_data(**extra) -> dict:
    data = {"code": "S-1", "product_code": "wheat", "taken_on": local_today() - timedelta(days=2),
            "matrix": "wheat grain", "laboratory": "Kokshetau veterinary laboratory"}
    return {**data, **extra}


def result_data(parameter: str, product: str = "wheat", **extra) -> dict:
    data = {"limit_id": limit_id(parameter, product), "value": None, "unit": "", "loq": None,
            "detected": None, "method": "GB 5009.111", "tested_on": local_today(),
            "valid_days": None}
    return {**data, **extra}


@pytest.fixture
def wheat(ctx):
    """An inspected wheat application, its inspector, and one sample taken."""
    exporter, inspector, application = make_application_for_lab("inspected")
    sample = laboratory.record_sample(
        inspector, application, SampleInput.from_mapping(sample_data()))
    return exporter, inspector, application, sample


@pytest.fixture
def in_lab(wheat):
    exporter, inspector, application, sample = wheat
    laboratory.send_to_lab(inspector, application)
    return exporter, inspector, db.session.get(Application, application.id), sample


def record(inspector, application, sample, parameter, product="wheat", **extra):
    return laboratory.record_result(inspector, application, sample,
                                    LabResultInput.from_mapping(
                                        result_data(parameter, product, **extra)))


def test_don_1200_micrograms_in_wheat_is_non_compliant(in_lab):
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "deoxynivalenol (DON)",
                 value=Decimal("1200"), unit="µg/kg")
    stored = db.session.get(LabResult, row.id)
    assert stored.verdict == "non_compliant"
    assert "GB 2761" in stored.limit_source and stored.limit_confidence == "S"
    assert "1000" in stored.reason
    assert conclusions.describe_result(stored) == "1,200 µg/kg exceeds the limit of 1,000 µg/kg."
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "lab_result_recorded")).one()
    assert event.application_id == application.id
    assert event.data["verdict"] == "non_compliant" and event.data["limit_value"] == "1000"


def test_don_0_8_milligrams_is_converted_and_compliant(in_lab):
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "deoxynivalenol (DON)",
                 value=Decimal("0.8"), unit="mg/kg")
    assert row.verdict == "compliant"
    assert conclusions.describe_result(row) == (
        "0.8 mg/kg (= 800 µg/kg) is within the limit of 1,000 µg/kg.")


def test_the_numbers_of_a_verdict_are_written_as_the_reader_writes_them(in_lab):
    """A Kazakh or Russian reader sees a decimal comma, grouped thousands, every digit kept, and
    the units as their laboratories write them."""
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "deoxynivalenol (DON)",
                 value=Decimal("0.00085"), unit="mg/kg")
    with force_locale("kk"):
        sentence = conclusions.describe_result(row)
    assert sentence.startswith("0,00085 мг/кг (= 0,85 мкг/кг)")
    assert "1\xa0000 мкг/кг" in sentence and "0.8" not in sentence


def test_ppm_is_accepted_and_stored_as_mg_per_kg(in_lab):
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "deoxynivalenol (DON)",
                 value=Decimal("0.8"), unit="ppm")
    assert (row.unit, row.verdict) == ("mg/kg", "compliant")


def test_lead_0_25_in_wheat_is_non_compliant(in_lab):
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "lead", value=Decimal("0.25"), unit="mg/kg")
    assert row.verdict == "non_compliant"
    assert "0.2 mg/kg" in conclusions.describe_result(row)


def test_value_below_loq_counts_as_below_loq(in_lab):
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "lead", value=Decimal("0.01"), unit="mg/kg",
                 loq=Decimal("0.02"))
    assert row.verdict == "below_loq"


def test_a_value_below_an_loq_above_the_limit_is_refused_and_nothing_is_stored(in_lab):
    """Lead below an LOQ of 0.3 mg/kg says nothing about China's 0.2: it counted as compliant."""
    _exporter, inspector, application, sample = in_lab
    for entries in ({"value": Decimal("0.1")}, {"detected": "no"}):
        with pytest.raises(ValidationFailed) as error:
            record(inspector, application, sample, "lead", unit="mg/kg", loq=Decimal("0.3"),
                   **entries)
        assert error.value.errors == {"loq": [
            "The limit of quantification, 0.3 mg/kg, is above China's limit of 0.2 mg/kg: a "
            "result below it cannot show that the limit is met. Enter the result of a method "
            "that quantifies down to the limit."]}
    assert db.session.scalar(select(LabResult.id)) is None
    above = record(inspector, application, sample, "lead", value=Decimal("0.4"), unit="mg/kg",
                   loq=Decimal("0.3"))
    assert above.verdict == "non_compliant"


def test_clenbuterol_detected_in_beef_is_non_compliant(ctx):
    _exporter, inspector, application = make_application_for_lab("inspected", "beef_chilled")
    sample = laboratory.record_sample(inspector, application, SampleInput.from_mapping(sample_data(
        product_code="beef_chilled", matrix="beef muscle")))
    laboratory.send_to_lab(inspector, application)
    row = record(inspector, application, sample, "clenbuterol", "beef_chilled", detected="yes")
    assert row.verdict == "non_compliant"
    assert row.limit_source.startswith("MARA Announcement No. 250 (2019)")
    assert "banned" in conclusions.describe_result(row)


def test_a_chilled_products_result_counts_for_one_month_at_most(ctx):
    """The month was only the form's first value: a result sent with none (the laboratory's
    API, a form left empty) or with 3,650 days counted for ever (docs/domain.md §5)."""
    _exporter, inspector, application = make_application_for_lab("inspected", "beef_chilled")
    sample = laboratory.record_sample(inspector, application, SampleInput.from_mapping(sample_data(
        product_code="beef_chilled", matrix="beef muscle")))
    laboratory.send_to_lab(inspector, application)
    with pytest.raises(ValidationFailed) as raised:
        record(inspector, application, sample, "clenbuterol", "beef_chilled", detected="no",
               valid_days=3650)
    assert raised.value.errors["valid_days"] == [
        "A result for chilled goods counts for one month at most: 30 days."]
    row = record(inspector, application, sample, "clenbuterol", "beef_chilled", detected="no")
    assert row.valid_days == 30
    shorter = record(inspector, application, sample, "chloramphenicol", "beef_chilled",
                     detected="no", valid_days=10)
    assert shorter.valid_days == 10


def test_not_detected_against_a_maximum_needs_the_methods_loq(in_lab):
    """Lead "not detected" with no LOQ passed China's 0.2 mg/kg: the way round the rule on an
    LOQ above the limit was to leave the LOQ empty."""
    _exporter, inspector, application, sample = in_lab
    for entries in ({"unit": ""}, {"unit": "mg/kg"}):
        with pytest.raises(ValidationFailed) as error:
            record(inspector, application, sample, "lead", detected="no", **entries)
        assert error.value.errors == {"loq": [
            "“Not detected” needs the method's limit of quantification and its unit: only an "
            "LOQ at or below China's limit of 0.2 mg/kg shows that the limit is met."]}
    assert db.session.scalar(select(LabResult.id)) is None
    row = record(inspector, application, sample, "lead", detected="no", unit="mg/kg",
                 loq=Decimal("0.02"))
    assert (row.verdict, row.loq) == ("below_loq", Decimal("0.02"))


def test_a_wheat_result_does_not_expire_unless_told(in_lab):
    _exporter, inspector, application, sample = in_lab
    assert record(inspector, application, sample, "lead", value=Decimal("0.05"),
                  unit="mg/kg").valid_days is None


def test_quarantine_pest_absence_is_recorded_without_a_unit(in_lab):
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "Tilletia controversa (dwarf bunt)",
                 detected="no", unit="mg/kg")
    assert (row.verdict, row.unit, row.value) == ("compliant", None, None)


def test_unknown_unit_is_a_field_error_and_nothing_is_stored(in_lab):
    _exporter, inspector, application, sample = in_lab
    with pytest.raises(ValidationFailed) as error:
        record(inspector, application, sample, "lead", value=Decimal("0.1"), unit="mg/l")
    assert "mg/l" in error.value.errors["unit"][0]
    assert db.session.scalar(select(LabResult.id)) is None


def test_parameter_of_another_product_is_refused(in_lab):
    _exporter, inspector, application, sample = in_lab
    data = result_data("clenbuterol", "beef_chilled", detected="yes")
    with pytest.raises(ValidationFailed) as error:
        laboratory.record_result(inspector, application, sample, LabResultInput.from_mapping(data))
    assert "limit_id" in error.value.errors


def test_results_wait_for_laboratory_testing(wheat):
    _exporter, inspector, application, sample = wheat
    with pytest.raises(IllegalTransition):
        record(inspector, application, sample, "lead", value=Decimal("0.1"), unit="mg/kg")


def test_sample_code_is_unique_per_application_and_product_must_be_applied_for(wheat):
    _exporter, inspector, application, _sample = wheat
    with pytest.raises(ValidationFailed) as error:
        laboratory.record_sample(
            inspector, application, SampleInput.from_mapping(sample_data(product_code="barley")))
    assert set(error.value.errors) == {"code", "product_code"}
    assert db.session.scalar(select(db.func.count()).select_from(Sample)) == 1


def test_samples_only_once_inspected(ctx):
    _exporter, inspector, application = make_application_for_lab("under_review")
    with pytest.raises(IllegalTransition):
        laboratory.record_sample(inspector, application, SampleInput.from_mapping(sample_data()))


def test_inspector_of_another_region_cannot_record_a_sample(wheat):
    _exporter, _inspector, application, _sample = wheat
    stranger = make_user("inspector", regions=["KZ-39"])
    with pytest.raises(NotFound):
        laboratory.record_sample(
            stranger, application, SampleInput.from_mapping(sample_data(code="S-2")))
    assert db.session.scalar(select(db.func.count()).select_from(Sample)) == 1


def test_send_to_lab_records_the_sample_ids(wheat):
    _exporter, inspector, application, sample = wheat
    sent = laboratory.send_to_lab(inspector, application)
    assert [s.id for s in sent] == [sample.id]
    assert db.session.get(Application, application.id).state == "lab_testing"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "send_to_lab")).one()
    assert event.data["samples"] == [sample.id]
    assert (event.from_state, event.to_state) == ("inspected", "lab_testing")


def test_send_to_lab_needs_a_sample(ctx):
    _exporter, inspector, application = make_application_for_lab("inspected")
    with pytest.raises(ValidationFailed):
        laboratory.send_to_lab(inspector, application)
    assert db.session.get(Application, application.id).state == "inspected"


def test_results_complete_needs_every_sample_and_notifies_the_exporter(in_lab):
    exporter, inspector, application, sample = in_lab
    with pytest.raises(ValidationFailed) as error:
        laboratory.record_lab_results(inspector, application)
    assert "S-1" in error.value.message
    record(inspector, application, sample, "lead", value=Decimal("0.1"), unit="mg/kg")
    laboratory.record_lab_results(inspector, application)
    assert db.session.get(Application, application.id).state == "inspected"
    note = db.session.scalars(select(Notification).where(
        Notification.user_id == exporter.id)).one()
    assert note.kind == "results" and application.reference in note.message


def test_expired_result_is_reported_expired(in_lab):
    _exporter, inspector, application, sample = in_lab
    old = local_today() - timedelta(days=2)
    row = record(inspector, application, sample, "lead", value=Decimal("0.1"), unit="mg/kg",
                 tested_on=old, valid_days=1)
    assert lab_results.valid_until(row) == old  # valid for its test day only
    assert lab_results.is_expired(row)


def test_the_daily_run_tells_the_inspector_once_of_a_result_expired_before_the_conclusion(
        in_lab):
    """A result that expired while the application awaited its conclusion was told to nobody:
    the conclusion page said so to whoever opened it."""
    _exporter, inspector, application, sample = in_lab
    row = record(inspector, application, sample, "lead", value=Decimal("0.05"), unit="mg/kg",
                 valid_days=10)
    laboratory.record_lab_results(inspector, application)  # back to "inspected"
    today = local_today()

    def told():
        return db.session.scalars(select(Notification.message).where(
            Notification.user_id == inspector.id,
            Notification.dedupe_key.startswith("lab_expired:"))).all()
    assert daily.run_daily(today + timedelta(days=9)).expired_results == 0  # its last day
    assert told() == []
    assert daily.run_daily(today + timedelta(days=10)).expired_results == 1
    until = today + timedelta(days=9)
    assert told() == [
        f"The lead result of sample {sample.code} of application {application.reference} "
        f"expired after {until:%b} {until.day}, {until.year}: it no longer counts for the "
        "conclusion. Take a new sample."]
    assert daily.run_daily(today + timedelta(days=11)).expired_results == 0  # told once
    assert row.verdict == "compliant"
