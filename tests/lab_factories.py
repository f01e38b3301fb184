"""Laboratory rounds for tests: a sample taken, sent, its results recorded and testing closed,
through the services."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, LabLimit
from certtrack.services import laboratory
from certtrack.services.applications import local_today
from certtrack.services.inputs import LabResultInput, SampleInput

DON = "deoxynivalenol (DON)"
# Compliant values for every parameter wheat requires (limits.csv, required=1).
WHEAT_REQUIRED = {
    DON: {"value": Decimal("200"), "unit": "µg/kg"},
    "aflatoxin B1": {"value": Decimal("1"), "unit": "µg/kg"},
    "lead": {"value": Decimal("0.05"), "unit": "mg/kg"},
    "cadmium": {"value": Decimal("0.03"), "unit": "mg/kg"},
    "Tilletia controversa (dwarf bunt)": {"detected": "no"},
}


def limit_id(parameter: str, product: str = "wheat") -> int:
    rows = db.session.scalars(select(LabLimit).where(LabLimit.parameter == parameter))
    return next(row.id for row in rows if product in row.products.split())


def record(inspector, application, sample, parameter, **extra):
    data = {"limit_id": limit_id(parameter), "value": None, "unit": "", "loq": None,
            "detected": None, "method": "GB 5009", "tested_on": local_today(),
            "valid_days": None, **extra}
    return laboratory.record_result(
        inspector, application, sample, LabResultInput.from_mapping(data))


def lab_round(inspector, application, results: dict[str, dict], code: str = "S-1"):
    """Take a sample, send it, record `results` and close laboratory testing."""
    sample = laboratory.record_sample(inspector, application, SampleInput.from_mapping({
        "code": code, "product_code": "wheat", "taken_on": local_today() - timedelta(days=45),
        "matrix": "wheat grain", "laboratory": "Central laboratory"}))
    laboratory.send_to_lab(inspector, application)
    for parameter, values in results.items():
        record(inspector, application, sample, parameter, **values)
    laboratory.record_lab_results(inspector, application)
    return db.session.get(Application, application.id)
