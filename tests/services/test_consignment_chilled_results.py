"""A laboratory result on chilled goods counts for one month (docs/domain.md §5), on a
consignment's certificate as on an application's conclusion: a chilled beef certificate was
issued on results tested sixty days before."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import format_date
from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import ConsignmentCertificate, ConsignmentLabResult
from certtrack.services.applications import local_today
from certtrack.services.consignments import correction, drafts, inspection, issue
from certtrack.services.consignments.inputs import LabResultInput
from certtrack.services.errors import ValidationFailed

from consignment_factories import CHILLED_BEEF_LOT, inspect_ready, make_consignment

STALE = "A laboratory result on chilled goods counts for one month; test a new sample for"


def _tested_days_ago(consignment, days: int) -> None:
    db.session.execute(update(ConsignmentLabResult).where(
        ConsignmentLabResult.consignment_id == consignment.id).values(
        tested_on=local_today() - timedelta(days=days)))
    db.session.commit()
    db.session.expire_all()


def _blockers(consignment) -> list[str]:
    return [text for text in issue.issue_refusals(consignment) if text.startswith(STALE)]


def test_a_chilled_consignment_waits_for_results_under_a_month_old(ctx):
    _exporter, inspector, _registration, consignment = make_consignment(
        "vet", product="beef_chilled")
    inspect_ready(inspector, consignment)
    _tested_days_ago(consignment, 29)  # its thirtieth day: it still counts
    assert _blockers(consignment) == []

    _tested_days_ago(consignment, 30)
    [blocker] = _blockers(consignment)
    assert "cadmium" in blocker and "clenbuterol" in blocker
    with pytest.raises(ValidationFailed) as refused:
        issue.issue_consignment_certificate(inspector, consignment)
    assert any(text.startswith(STALE) for text in refused.value.errors[""])
    assert db.session.query(ConsignmentCertificate).count() == 0

    for result in list(consignment.lab_results):  # a new sample, tested today
        inspection.record_lab_result(inspector, consignment, LabResultInput(
            limit_id=result.limit_id, sample_code="S-2", tested_on=local_today(),
            unit=result.unit, laboratory="Akmola veterinary laboratory",
            **({"value": Decimal("0.01")} if result.value is not None else {"detected": False})))
    assert _blockers(consignment) == []
    assert issue.issue_consignment_certificate(inspector, consignment).number.startswith("KZ-VC")


def test_frozen_goods_results_do_not_expire(ctx):
    _exporter, inspector, _registration, consignment = make_consignment("vet")  # frozen beef
    inspect_ready(inspector, consignment)
    _tested_days_ago(consignment, 60)
    assert _blockers(consignment) == []


def _corrected_five_weeks_on(reason: str):
    """A chilled beef certificate issued 38 days ago on results tested 40 days ago, its
    correction asked for now: (exporter, the certificate, the consignment)."""
    exporter, inspector, _registration, consignment = make_consignment(
        "vet", product="beef_chilled")
    inspect_ready(inspector, consignment)
    first = issue.issue_consignment_certificate(inspector, consignment)
    _tested_days_ago(consignment, 40)
    first.issued_on = local_today() - timedelta(days=38)
    db.session.commit()
    correction.request_correction(exporter, consignment, reason)
    return exporter, first, consignment


def test_a_correction_is_judged_on_the_day_its_certificate_was_issued(ctx):
    """The corrected certificate is of the goods tested for the first: a consignee changed
    five weeks on is not sent back to the laboratory."""
    exporter, first, consignment = _corrected_five_weeks_on(
        "The consignee's address was wrong.")
    assert _blockers(consignment) == []
    first.issued_on = local_today() - timedelta(days=10)  # issued on results 30 days old
    db.session.commit()
    assert len(_blockers(consignment)) == 1


def test_a_correction_that_adds_goods_is_judged_today(ctx):
    """A second container of chilled beef, added five weeks on, was certified on the first
    container's results: judged on the replaced certificate's day, they still counted."""
    exporter, _first, consignment = _corrected_five_weeks_on("A second container was loaded.")
    drafts.add_lot(exporter, consignment, replace(CHILLED_BEEF_LOT,
                                                  marks="Container TGHU 8812348, seal 004513"))
    [blocker] = _blockers(consignment)
    assert "cadmium" in blocker


def test_a_result_older_than_the_goods_does_not_count(ctx):
    """The exporter moved the production dates past the test day in a correction: the
    results were checked against the first production day only when they were recorded."""
    exporter, inspector, _registration, consignment = make_consignment("vet")  # frozen beef
    inspect_ready(inspector, consignment)
    _tested_days_ago(consignment, 9)  # the day after the goods' first production day
    assert [text for text in issue.issue_refusals(consignment) if "Tested before" in text] == []
    consignment.production_from = local_today() - timedelta(days=8)
    consignment.production_to = local_today() - timedelta(days=8)
    db.session.commit()
    [blocker] = [text for text in issue.issue_refusals(consignment) if "Tested before" in text]
    first_day = format_date(local_today() - timedelta(days=8))
    assert blocker.startswith(
        f"Tested before the goods' first production day ({first_day}), the results for ")
    assert "clenbuterol" in blocker
    assert blocker.endswith("are not of these goods; test a new sample.")
    with pytest.raises(ValidationFailed):
        issue.issue_consignment_certificate(inspector, consignment)


def test_the_month_is_the_products_reference_data_with_its_source(ctx):
    """The 30 days were written in the code for any product whose code said "chilled": an
    administrator could neither see where the figure came from nor correct it."""
    from certtrack.models import Product

    chilled = db.session.get(Product, "beef_chilled")
    assert chilled.result_valid_days == 30 and "domain.md §5" in chilled.result_validity_source
    assert db.session.get(Product, "beef_frozen").result_valid_days is None
    _exporter, inspector, _registration, consignment = make_consignment(
        "vet", product="beef_chilled")
    inspect_ready(inspector, consignment)
    _tested_days_ago(consignment, 12)
    assert _blockers(consignment) == []
    chilled.result_valid_days = 10  # corrected in the reference data
    db.session.commit()
    assert len(_blockers(consignment)) == 1
