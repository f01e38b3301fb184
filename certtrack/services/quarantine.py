"""Plant-quarantine measurements of an inspection: moisture, foreign matter, weed seeds, pests."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.domain.quarantine import MEASURES, NON_COMPLIANT, UNITS, judge_measurement
from certtrack.domain.reasons import reason_is_enough
from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import Application, QuarantineMeasurement, QuarantineRequirement, User
from certtrack.services import repeated_entries
from certtrack.services.audit import record_event
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import MeasurementInput
from certtrack.services.inspections import FINDING_STATES, current_inspection
from certtrack.services.local_dates import format_day, local_day
from certtrack.services.numerals import shown
from certtrack.services.reasons import reason_message
from certtrack.services.review import require_inspector
from certtrack.services.transaction import transaction

# What each measure is called (the pages' labels take them from here).
MEASURE_NAMES = {"moisture": _l("Moisture"), "foreign_matter": _l("Foreign matter"),
                 "weed_seeds": _l("Quarantine weed seeds"), "live_pests": _l("Live pests")}


def measured_of(application: Application) -> bool:
    """True when the application's products are plants (grain, oilseeds, feed): a meat or a
    honey application has no moisture, weed seeds or live pests to measure."""
    return application.gacc_category.committee == "phytosanitary"


def requirement_for(product_code: str, measure: str) -> QuarantineRequirement | None:
    """The requirement a measure of this product must meet, or None when there is none."""
    rows = db.session.scalars(select(QuarantineRequirement).where(
        QuarantineRequirement.measure == measure))
    return next((row for row in rows if product_code in row.products.split()), None)


def measurements_of(application: Application) -> list[QuarantineMeasurement]:
    """The application's quarantine measurements, in the order they were recorded."""
    return list(db.session.scalars(select(QuarantineMeasurement).where(
        QuarantineMeasurement.application_id == application.id)
        .order_by(QuarantineMeasurement.id)))


def failing_measurements(application: Application) -> list[QuarantineMeasurement]:
    """The measurements that do not meet their requirement, of the latest of each product and
    measure: measuring again (after drying or cleaning the lot, or to correct a value typed
    wrong) replaces the one before, which the audit trail keeps."""
    latest = {(row.product_code, row.measure): row for row in measurements_of(application)}
    return [row for row in latest.values() if row.verdict == NON_COMPLIANT]


def failing_before(application: Application, product: str | None,
                   measure: str | None) -> QuarantineMeasurement | None:
    """The latest measurement of `product` and `measure` when it did not meet its requirement,
    which a new one replaces: measuring again says what was corrected."""
    latest = {(row.product_code, row.measure): row for row in measurements_of(application)}
    row = latest.get((product, measure))
    return row if row is not None and row.verdict == NON_COMPLIANT else None


def _correction_errors(application: Application, data: MeasurementInput) -> dict:
    """A failing measurement is replaced only with what was corrected (a live-pest count of 3
    was replaced by a count of 0 without a word)."""
    earlier = failing_before(application, data.measured_product, data.measure)
    if earlier is None or reason_is_enough(data.correction):
        return {}
    if (data.correction or "").strip():
        return {"correction": [reason_message()]}
    return {"correction": [_(
        "%(measure)s of this product measured %(value)s on %(date)s, which does not meet its "
        "requirement. Say what was corrected before this measurement (the lot cleaned or "
        "dried, a value typed wrong).", measure=MEASURE_NAMES[earlier.measure],
        value=shown(earlier.value) + (" %" if earlier.unit == "%" else ""),
        date=format_day(local_day(earlier.recorded_at)))]}


def _errors(application: Application, data: MeasurementInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not measured_of(application):
        return {"": [_("Plant-quarantine measurements are taken of grain, oilseeds and feed "
                       "only.")]}
    if data.measured_product not in {line.product_code for line in application.products}:
        errors["measured_product"] = [_("Choose a product of the application.")]
    if data.measure not in MEASURES:
        errors["measure"] = [_("Choose what was measured.")]
    value = data.measured_value
    if value is None or value < 0:
        errors["measured_value"] = [_("Enter the measured value (0 or more).")]
    elif UNITS.get(data.measure) == "%" and value > 100:  # "150 %" was judged non-compliant
        errors["measured_value"] = [_("Enter a percentage of 100 or less.")]
    elif data.measure == "live_pests" and value != value.to_integral_value():
        errors["measured_value"] = [_("Enter the number of live pests found: a whole "
                                      "number.")]
    elif (data.measure == "live_pests" and value > 0
          and not (data.species or "").strip()):
        errors["species"] = [_("Name the species of the live pests found.")]
    return errors | _correction_errors(application, data)


def record_measurement(actor: User, application: Application,
                       data: MeasurementInput) -> QuarantineMeasurement:
    """Record a measurement (measured_product, measure, measured_value, species) of the latest
    inspection, judged against the product's requirement (quarantine_requirements.csv), which
    is stored with it. Writes an audit row.
    :raise NotFound / PermissionDenied: see review.require_inspector().
    :raise IllegalTransition: no inspection scheduled or performed now (stale page).
    :raise ValidationFailed: an unknown product or measure, a negative value, a percentage
        over 100, live pests not counted in whole numbers or without their species, a failing
        measurement measured again without what was corrected (kept in the audit trail).
    """
    require_inspector(actor, application)
    inspection = current_inspection(application)
    if application.state not in FINDING_STATES or inspection is None:
        raise IllegalTransition(application.state, "record_measurement", actor.role,
                                defined=False)
    if errors := _errors(application, data):
        raise ValidationFailed(errors)
    repeated_entries.refuse_repeat("measurement",
                                   repeated_entries.measurement(actor, application, data))
    product, measure = data.measured_product, data.measure
    value = Decimal(data.measured_value)
    requirement = requirement_for(product, measure)
    verdict = judge_measurement(value, requirement.kind if requirement else None,
                                requirement.value if requirement else None)
    with transaction():
        row = QuarantineMeasurement(
            inspection_id=inspection.id, application_id=application.id,
            product_code=product, measure=measure, value=value,
            unit=UNITS[measure], species=(data.species or "").strip(), verdict=verdict,
            requirement_value=requirement.value if requirement else None,
            requirement_kind=requirement.kind if requirement else "",
            requirement_source=f"{requirement.standard}, {requirement.clause}"
            if requirement else "", requirement_confidence=requirement.confidence
            if requirement else "", recorded_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
        record_event(actor, "quarantine_measured", object_type="quarantine_measurement",
                     object_id=row.id, application_id=application.id,
                     comment=(data.correction or "").strip(),
                     data={"product": row.product_code, "measure": measure,
                           "value": format(value.normalize(), "f"), "unit": row.unit,
                           "species": row.species, "verdict": verdict})
    db.session.expire(inspection, ["measurements"])
    return row
