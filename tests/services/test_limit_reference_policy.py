"""Reloading the reference files keeps what administrators corrected in the limits."""

from decimal import Decimal

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import LabLimit
from certtrack.services import limits
from certtrack.services.inputs import LimitInput
from certtrack.services.reference import load_reference

from factories import make_user


def _don():
    return db.session.scalar(select(LabLimit).where(LabLimit.parameter.like("deoxynivalenol%")))


def _edit_form(row, **changes):
    data = {"value": row.value, "unit": row.unit, "matrix": row.matrix, "products": row.products,
            "source": row.source, "confidence": row.confidence, "required": row.required}
    return {**data, **changes}


def test_reload_keeps_an_administrators_edit(ctx):
    admin = make_user("admin")
    row = _don()
    limits.update_limit(admin, row, LimitInput.from_mapping(_edit_form(row, value=Decimal("750"),
                                               source="GB 2761-2025 draft")))
    assert load_reference()["laboratory limits"] == 0
    db.session.expire_all()
    row = _don()
    assert row.value == Decimal("750") and row.source == "GB 2761-2025 draft"


def test_reload_restores_an_unedited_row_changed_behind_the_loaders_back(ctx):
    row = _don()
    row.value = Decimal("1")
    db.session.commit()
    assert load_reference()["laboratory limits"] == 1
    assert _don().value == Decimal("1000")


def test_reload_does_not_duplicate_a_limit_whose_matrix_was_edited(ctx):
    admin = make_user("admin")
    row = _don()
    limits.update_limit(
        admin, row, LimitInput.from_mapping(_edit_form(row, matrix="cereals, as edited")))
    load_reference()
    count = len(list(db.session.scalars(
        select(LabLimit).where(LabLimit.parameter.like("deoxynivalenol%")))))
    assert count == 1
