"""A limit of several of the application's products needs a result of each product's sample
(docs/domain.md §3: "all required lab results compliant"; §5: limits per product). A wheat
sample's DON, lead, cadmium and aflatoxin results stood for the barley never sampled."""

from decimal import Decimal

import pytest
from lab_factories import WHEAT_REQUIRED, lab_round, record
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import ApplicationProduct, LabResult
from certtrack.services import conclusions, laboratory
from certtrack.services.applications import local_today
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import SampleInput

from factories import make_application_for_lab


def test_barley_never_sampled_blocks_the_positive_conclusion_by_name(ctx):
    _exporter, inspector, application = make_application_for_lab("inspected")
    db.session.add(ApplicationProduct(application_id=application.id, product_code="barley",
                                      annual_volume=2000, volume_unit="t"))
    db.session.commit()
    application = lab_round(inspector, application, WHEAT_REQUIRED)
    messages = conclusions.check_conclusion(application).messages
    assert "No valid, compliant result for deoxynivalenol (DON) (Barley)." in messages
    assert not any("(Wheat)" in message for message in messages)
    assert not conclusions.check_conclusion(application).allows_positive

    barley = laboratory.record_sample(inspector, application, SampleInput.from_mapping({
        "code": "S-2", "product_code": "barley", "taken_on": local_today(),
        "matrix": "barley grain", "laboratory": "Central laboratory"}))
    laboratory.send_to_lab(inspector, application)
    for parameter in ("deoxynivalenol (DON)", "aflatoxin B1", "lead", "cadmium"):
        record(inspector, application, barley, parameter, **WHEAT_REQUIRED[parameter])
    laboratory.record_lab_results(inspector, application)
    assert conclusions.check_conclusion(application).messages == []
    # barley's DON result is the latest of barley's, not in wheat's stead: both count
    latest = {row.id for row in conclusions.latest_results(application)}
    don = db.session.scalars(select(LabResult).where(
        LabResult.parameter == "deoxynivalenol (DON)")).all()
    assert len(don) == 2 and {row.id for row in don} <= latest


def test_a_failing_lot_is_not_hidden_by_another_lots_later_result(ctx):
    """Two lots of wheat sampled: LOT-B's DON at 1,500 µg/kg (over China's 1,000) was dropped
    because LOT-A's results were recorded after it, and the conclusion went through."""
    _exporter, inspector, application = make_application_for_lab("inspected")
    lots = [laboratory.record_sample(inspector, application, SampleInput.from_mapping({
        "code": code, "product_code": "wheat", "taken_on": local_today(),
        "matrix": "wheat grain", "laboratory": "Central laboratory"}))
        for code in ("LOT-A", "LOT-B")]
    laboratory.send_to_lab(inspector, application)
    failing = {**WHEAT_REQUIRED, "deoxynivalenol (DON)": {"value": Decimal("1500"),
                                                          "unit": "µg/kg"}}
    for sample, results in ((lots[1], failing), (lots[0], WHEAT_REQUIRED)):
        for parameter, values in results.items():
            record(inspector, application, sample, parameter, **values)
    laboratory.record_lab_results(inspector, application)
    check = conclusions.check_conclusion(application)
    assert not check.allows_positive
    assert check.messages == [
        "deoxynivalenol (DON) (sample LOT-B) is not compliant. "
        "1,500 µg/kg exceeds the limit of 1,000 µg/kg."]
    with pytest.raises(ValidationFailed):
        conclusions.conclude_positive(inspector, application)
    assert application.state == "inspected"
