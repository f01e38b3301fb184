"""The rules of what the inspector enters on a consignment: days within the goods' life,
quantities not below zero, and texts the certificate prints in a script China's border reads."""

import datetime as dt

from flask_babel import format_date
from flask_babel import gettext as _

from certtrack.domain import bounds
from certtrack.domain.scripts import latin_or_chinese
from certtrack.models import Consignment
from certtrack.models.consignment import TREATMENT_TYPES
from certtrack.services.applications import local_today
from certtrack.services.consignments.drafts import PRINTED_SCRIPT
from certtrack.services.consignments.inputs import LabResultInput, TreatmentInput
from certtrack.services.numerals import shown


def earliest_day(consignment: Consignment) -> dt.date:
    """The first day a treatment or a test of the goods may bear: their first production day
    when the exporter gave it, else a year before the certificate was requested."""
    if consignment.production_from is not None:
        return consignment.production_from
    return (consignment.submitted_on or local_today()) - dt.timedelta(days=365)


def day_error(day: dt.date | None, consignment: Consignment, missing: str) -> list[str]:
    """The error of a treatment's or a test's day: `missing` for none or a future one."""
    if day is None or day > local_today():
        return [missing]
    earliest = earliest_day(consignment)
    if day < earliest:
        return [_("Not before %(date)s: the goods' first production day, or a year before the "
                  "certificate was requested.", date=format_date(earliest))]
    return []


def lab_errors(consignment: Consignment, data: LabResultInput) -> dict[str, list[str]]:
    """Every error of a result's own entries at once (the limit's are inspection._judge's)."""
    errors = {}
    code = (data.sample_code or "").strip()
    if not code:
        errors["sample_code"] = [_("Give the sample its code.")]
    elif earlier := next((row for row in consignment.lab_results if row.limit_id == data.limit_id
                          and row.sample_code.strip().upper() == code.upper()), None):
        # Two results of one test stood side by side, the failing one still blocking the
        # certificate, with no word that it had to go.
        errors["sample_code"] = [_(
            "Sample %(code)s already has a result for this test, tested on %(date)s: remove it "
            "first, saying why (a retest, a wrong entry), then record this one.",
            code=earlier.sample_code, date=format_date(earlier.tested_on))]
    if not (data.laboratory or "").strip():  # the certificate's results name who tested them
        errors["laboratory"] = [_("Name the laboratory that tested the sample.")]
    if day := day_error(data.tested_on, consignment,
                        _("Give the day of the test, not in the future.")):
        errors["tested_on"] = day
    for name in ("value", "loq"):
        if (getattr(data, name) or 0) < 0:
            errors[name] = [_("A measured quantity cannot be below zero.")]
    return errors


# The treatment's texts the inspector types, printed as typed in Section III of the
# phytosanitary certificate: "Фосфин" and "120 сағ" are not read at China's border.
TREATMENT_TEXTS = ("active_substance", "concentration", "duration")


def treatment_errors(consignment: Consignment, data: TreatmentInput) -> dict[str, list[str]]:
    """Every error of a treatment at once: its kind, its day, its chemical, its temperature
    (within what the column keeps, as a cold store's), its texts."""
    errors = {}
    if data.type not in TREATMENT_TYPES:
        errors["type"] = [_("Choose the kind of treatment.")]
    if day := day_error(data.treated_on, consignment,
                        _("Give the day of the treatment, not in the future.")):
        errors["treated_on"] = day
    if data.type in ("fumigation", "chemical") and not (data.active_substance or "").strip():
        errors["active_substance"] = [_("Name the active substance.")]
    temperature = data.temperature
    if temperature is not None and not (
            bounds.MIN_TEMPERATURE <= temperature <= bounds.MAX_TEMPERATURE):
        errors["temperature"] = [_("Enter a number between %(min)s and %(max)s.",
                                   min=shown(bounds.MIN_TEMPERATURE),
                                   max=shown(bounds.MAX_TEMPERATURE))]
    for name in TREATMENT_TEXTS:
        if name not in errors and not latin_or_chinese(getattr(data, name) or ""):
            errors[name] = [str(PRINTED_SCRIPT)]
    return errors
