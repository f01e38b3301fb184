"""limits.csv cites the current Chinese standards; results keep the limit they were judged by."""

import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import LabLimit, LabResult, Sample
from certtrack.services import lab_results, laboratory, limits
from certtrack.services.applications import local_today
from certtrack.services.inputs import LabResultInput
from certtrack.services.reference import load_reference

from factories import make_application_for_lab

REFERENCE = Path(__file__).resolve().parents[2] / "certtrack" / "reference"
STANDARDS = ("GB 2761-2017", "GB 2762-2022", "GB 31650-2019", "GB 2763-2021",
             "MARA Announcement No. 250 (2019)", "List of Quarantine Pests for Import Plants")
TETRACYCLINES = "tetracyclines (oxytetracycline, chlortetracycline, tetracycline; single or " \
                "combined)"


def _csv(name: str) -> list[dict]:
    with (REFERENCE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _rows() -> list[dict]:
    """The rows of limits.csv, each with its parameter's English name."""
    names = {row["code"]: row["name_en"] for row in _csv("lab_parameters.csv")}
    return [{**row, "parameter": names[row["parameter_code"]]} for row in _csv("limits.csv")]


def test_every_row_names_its_standard_and_clause_and_never_the_brief():
    for row in _rows():
        where = f"{row['parameter']} | {row['matrix']}"
        assert row["standard"].startswith(STANDARDS), where
        assert row["clause"].strip(), where
        text = " ".join(row.values()).casefold()
        assert "brief" not in text and "§" not in text, where
        assert row["confidence"] in {"S", "U"}, where  # no standard's text was read: never V


def test_the_older_tetracycline_list_is_gone():
    parameters = {row["parameter"] for row in _rows()}
    assert "oxytetracycline" not in parameters
    assert not any("Announcement 235" in row["standard"] for row in _rows())


@pytest.mark.parametrize(
    ("tissue", "value", "products"),
    [("muscle", "200", "beef_chilled beef_frozen mutton pork"),
     ("liver", "600", "offal"), ("kidney", "1200", "offal")],
)
def test_tetracycline_limits_follow_gb_31650(tissue, value, products):
    row = next(r for r in _rows() if r["parameter"] == TETRACYCLINES
               and r["matrix"].startswith(tissue))
    assert (row["value"], row["unit"], row["products"]) == (value, "µg/kg", products)
    assert row["standard"] == "GB 31650-2019"
    for species in ("cattle", "sheep", "goats", "pigs", "poultry"):
        assert species in row["matrix"]


@pytest.mark.parametrize(("tissue", "value"), [("liver", "0.5"), ("kidney", "1.0")])
def test_cadmium_in_offal_follows_gb_2762(tissue, value):
    row = next(r for r in _rows() if r["parameter"] == "cadmium" and tissue in r["matrix"])
    assert (row["value"], row["unit"], row["products"]) == (value, "mg/kg", "offal")
    assert row["standard"] == "GB 2762-2022" and "Table 2" in row["clause"]


def test_meat_limits_cover_every_meat_product():
    meat = {"beef_chilled", "beef_frozen", "mutton", "pork", "horse_meat"}
    for parameter in ("lead", "cadmium"):
        row = next(r for r in _rows() if r["parameter"] == parameter
                   and r["matrix"] == "meat (not offal)")
        assert set(row["products"].split()) == meat


def test_loaded_source_names_standard_and_clause(ctx):
    row = db.session.scalar(select(LabLimit).where(LabLimit.parameter == TETRACYCLINES,
                                                   LabLimit.matrix.like("liver%")))
    assert row.source.startswith("GB 31650-2019, 4.2 maximum residue limits")
    assert row.confidence == "S"


def _old_tetracycline_result(ctx):
    """A beef result judged by the older list's 100 µg/kg, as it was before GB 31650."""
    _exporter, inspector, application = make_application_for_lab("lab_testing", "beef_frozen")
    old = LabLimit(parameter="oxytetracycline", matrix="cattle/sheep muscle",
                   products="beef_chilled beef_frozen mutton", kind="max", value=Decimal("100"),
                   unit="µg/kg", source="MoA Announcement 235", confidence="V",
                   reference_key="oxytetracycline|cattle/sheep muscle")
    sample = Sample(application_id=application.id, code="B-1", product_code="beef_frozen",
                    taken_on=local_today() - timedelta(days=3), matrix="beef muscle",
                    laboratory="Central laboratory")
    db.session.add_all([old, sample])
    db.session.commit()
    result = laboratory.record_result(inspector, application, sample, LabResultInput.from_mapping({
        "limit_id": old.id, "value": Decimal("150"), "unit": "µg/kg",
        "tested_on": local_today()}))
    return old, result


def test_a_result_keeps_its_limit_when_a_newer_standard_replaces_it(ctx):
    old, result = _old_tetracycline_result(ctx)
    assert result.verdict == "non_compliant"
    load_reference()
    db.session.expire_all()
    old, result = db.session.get(LabLimit, old.id), db.session.get(LabResult, result.id)
    # The older row stays for its result, is superseded, and is never offered again.
    assert old.superseded_by.parameter == TETRACYCLINES
    assert old not in limits.limits_for_products(["beef_frozen"])
    assert (result.verdict, result.limit_value) == ("non_compliant", Decimal("100"))
    now = lab_results.judge_now(result)
    assert now.verdict == "compliant" and now.limit.value == Decimal("200")


def test_a_result_judged_by_the_limit_in_force_has_nothing_to_add(ctx):
    _old, result = _old_tetracycline_result(ctx)
    assert lab_results.judge_now(result) is None
