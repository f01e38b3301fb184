"""Samples and laboratory results: recorded by the inspector, judged against the limits."""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from certtrack.domain import compliance
from certtrack.domain.reasons import reason_is_enough
from certtrack.domain.workflow import Action, IllegalTransition, Role, State, check_transition
from certtrack.extensions import db
from certtrack.models import Application, LabLimit, LabResult, Sample, User
from certtrack.services import accreditation, lab_notices
from certtrack.services.applications import apply_transition, local_today
from certtrack.services.audit import record_event
from certtrack.services.errors import NotFound, ValidationFailed
from certtrack.services.inputs import LabResultInput, SampleInput
from certtrack.services.lab_results import loq_message, loq_missing_message
from certtrack.services.limits import (
    limits_for_products,
    product_codes,
    result_validity_days,
    to_domain_limit,
)
from certtrack.services.local_dates import format_day
from certtrack.services.notifications import enterprise_users, exporter_link, notify
from certtrack.services.numerals import listed
from certtrack.services.permissions import (
    RESULT_STATES,
    SAMPLE_STATES,
    require_inspector,
    require_visible,
)
from certtrack.services.printed_names import dossier_script_errors
from certtrack.services.reasons import reason_message
from certtrack.services.transaction import transaction

# "Not detected" beside a quantified amount: the verdict judged it detected, unasked.
NOT_DETECTED_BESIDE_A_VALUE = _l("“Not detected” was chosen beside a measured value: keep "
                                 "one of them.")


def _require_state(actor: User, application: Application, states, verb: str) -> None:
    if application.state not in states:
        raise IllegalTransition(application.state, verb, actor.role, defined=False)



def samples_of(application: Application) -> list[Sample]:
    """The application's samples in the order they were taken, with their results."""
    query = (select(Sample).where(Sample.application_id == application.id)
             .order_by(Sample.taken_on, Sample.id))
    return list(db.session.scalars(query))


def get_sample(actor: User, application: Application, sample_id: int) -> Sample:
    """One sample of the application.

    :raise NotFound: not a sample of this application, or the application is out of scope.
    """
    require_visible(actor, application)
    sample = db.session.get(Sample, sample_id)
    if sample is None or sample.application_id != application.id:
        raise NotFound(_("No such sample."))
    return sample


def limits_for_sample(sample: Sample) -> list[LabLimit]:
    """The limits that apply to the sample's product: the parameters a result can be for."""
    return limits_for_products([sample.product_code])


def _held_by_laboratory(laboratory_id: int, code: str) -> str | None:
    """The reference of the application whose sample at the accredited laboratory has the
    code (in any case), if one has: the laboratory finds a sample by the code on its label."""
    application_id = db.session.scalar(select(Sample.application_id).where(
        Sample.laboratory_id == laboratory_id,
        func.upper(Sample.code) == code.upper()).limit(1))
    return None if application_id is None else \
        db.session.get(Application, application_id).reference


def _sample_errors(application: Application, data: SampleInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    code = (data.code or "").strip()
    if not code:
        errors["code"] = [_("Give the sample its code.")]
    elif db.session.scalar(select(Sample.id).where(Sample.application_id == application.id,
                                                   Sample.code == code)):
        errors["code"] = [_("This application already has a sample %(code)s.", code=code)]
    elif data.laboratory_id and (other := _held_by_laboratory(data.laboratory_id, code)):
        errors["code"] = [_("The laboratory already holds a sample %(code)s, of application "
                            "%(ref)s: give this one a code of its own, as its label will read.",
                            code=code, ref=other)]
    if data.product_code not in {line.product_code for line in application.products}:
        errors["product_code"] = [_("Choose a product of the application.")]
    taken_on = data.taken_on
    if taken_on is None:
        errors["taken_on"] = [_("Enter the date the sample was taken.")]
    elif taken_on > local_today():
        errors["taken_on"] = [_("The date cannot be in the future.")]
    if not (data.matrix or "").strip():
        errors["matrix"] = [_("This field is required.")]
    return errors | _laboratory_errors(data)


def _laboratory_errors(data: SampleInput) -> dict[str, list[str]]:
    """The errors of the laboratory a sample goes to: an accredited one, or one named (in the
    script the dossier to GACC prints it in, as written)."""
    chosen = accreditation.accredited(data.laboratory_id) if data.laboratory_id else None
    if data.laboratory_id and chosen is None:
        return {"laboratory_id": [_("Choose a laboratory whose accreditation is valid.")]}
    if chosen and data.product_code and not accreditation.covers(chosen, [data.product_code]):
        return {"laboratory_id": [_("This laboratory's accreditation covers none of the tests "
                                    "of this product: choose another, or name the laboratory "
                                    "the sample goes to.")]}
    if chosen and (data.laboratory or "").strip() not in ("", chosen.name):  # else dropped
        return {"laboratory": [_("Either choose an accredited laboratory or name another "
                                 "one, not both.")]}
    if not data.laboratory_id and not (data.laboratory or "").strip():
        return {"laboratory": [_("Choose an accredited laboratory, or name the laboratory "
                                 "the sample goes to.")]}
    return {} if data.laboratory_id else dossier_script_errors(laboratory=data.laboratory)


def record_sample(actor: User, application: Application, data: SampleInput) -> Sample:
    """Record a sample taken for the laboratory (code, product, taken_on, matrix, laboratory).

    Writes the sample and an audit row.
    :raise NotFound / PermissionDenied: see require_inspector().
    :raise IllegalTransition: the application is not inspected or in laboratory testing.
    :raise ValidationFailed: a missing field, a code already used, a product not applied for.
    """
    require_inspector(actor, application)
    _require_state(actor, application, SAMPLE_STATES, "record_sample")
    if errors := _sample_errors(application, data):
        raise ValidationFailed(errors)
    try:
        sample = _insert_sample(actor, application, data)
    except IntegrityError as error:  # the same code saved by a racing request
        raise ValidationFailed({"code": [_("This application already has a sample %(code)s.",
                                           code=data.code.strip())]}) from error
    return sample


def _insert_sample(actor: User, application: Application, data: SampleInput) -> Sample:
    with transaction():
        lab = accreditation.accredited(data.laboratory_id) if data.laboratory_id else None
        sample = Sample(application_id=application.id, code=data.code.strip(),
                        product_code=data.product_code, taken_on=data.taken_on,
                        matrix=data.matrix.strip(),
                        laboratory=lab.name if lab else (data.laboratory or "").strip(),
                        laboratory_id=lab.id if lab else None, created_by_id=actor.id)
        db.session.add(sample)
        db.session.flush()
        record_event(actor, "sample_recorded", object_type="sample", object_id=sample.id,
                     application_id=application.id,
                     data={"code": sample.code, "product": sample.product_code,
                           "taken_on": sample.taken_on.isoformat(),
                           "laboratory": sample.laboratory,
                           "laboratory_id": sample.laboratory_id})
    return sample


def _detected(data: LabResultInput) -> bool | None:
    return {"yes": True, "no": False, True: True, False: False}.get(data.detected)


def _unit_message(unit: str | None) -> str:
    if not unit:
        return _("Enter the unit of the value: mg/kg, µg/kg, ppm or ppb.")
    return _("“%(unit)s” is not a unit we can convert; use mg/kg, µg/kg, ppm or ppb.", unit=unit)


def _result_input(sample: Sample, limit: LabLimit, data: LabResultInput,
                  errors: dict) -> compliance.Result:
    detected, value, loq = _detected(data), data.value, data.loq
    unit = (data.unit or "").strip() or None
    if limit.kind == compliance.LimitKind.absent:
        value = loq = unit = None
        if detected is None:
            errors["detected"] = [_("Say whether it was found.")]
    elif value is None and detected is None:
        errors["value"] = [_("Enter the measured value, or say that it was not detected.")]
    elif compliance.contradicts_itself(detected, value, loq):
        errors["detected"] = [str(NOT_DETECTED_BESIDE_A_VALUE)]
    if unit is not None or value is not None or loq is not None:
        try:
            unit = compliance.normalize_unit(unit)
        except compliance.UnitError:
            errors["unit"] = [_unit_message(unit)]
    tested_on = data.tested_on
    if tested_on is None:
        errors["tested_on"] = [_("Enter the date of the test.")]
    elif tested_on > local_today() or tested_on < sample.taken_on:
        errors["tested_on"] = [_("The test date must be between the sampling date and today.")]
    return compliance.Result(parameter=limit.parameter, value=value, unit=unit, loq=loq,
                             detected=detected, tested_on=tested_on or date.min,
                             valid_days=_valid_days(sample, data.valid_days, errors))


def result_validity(sample: Sample) -> int | None:
    """The most days a result of the sample counts (its product's reference data); None: no
    end. The result form offers it."""
    return result_validity_days(sample.product_code)


def _valid_days(sample: Sample, given: int | None, errors: dict) -> int | None:
    """A chilled product's result counts one month at most, and that month when none is given
    (a form left empty, a laboratory's system that sends none)."""
    most = result_validity_days(sample.product_code)
    if most is not None and given is not None and given > most:
        errors["valid_days"] = [_("A result for chilled goods counts for one month at most: "
                                  "%(days)d days.", days=most)]
    return most if most is not None and given is None else given


def _evaluate(sample: Sample, data: LabResultInput) -> tuple[LabLimit, compliance.Result,
                                                   compliance.Evaluation]:
    errors: dict[str, list[str]] = {}
    limit = db.session.get(LabLimit, data.limit_id or 0)
    if limit is None or sample.product_code not in product_codes(limit):
        raise ValidationFailed({"limit_id": [_("Choose a parameter that applies to %(product)s.",
                                               product=sample.product_code)]})
    result = _result_input(sample, limit, data, errors)
    if errors:
        raise ValidationFailed(errors)
    try:
        evaluation = compliance.evaluate(result, to_domain_limit(limit))
    except compliance.UnitError as error:
        raise ValidationFailed({"unit": [_unit_message(error.unit)]}) from error
    except compliance.LoqAboveLimit as error:
        raise ValidationFailed({"loq": [loq_message(error)]}) from error
    except compliance.LoqMissing as error:
        raise ValidationFailed({"loq": [loq_missing_message(error)]}) from error
    except ValueError as error:
        raise ValidationFailed({"value": [_("Enter the measured value, or say whether it was "
                                            "detected.")]}) from error
    return limit, result, evaluation


def result_errors(sample: Sample, data: LabResultInput) -> dict[str, list[str]]:
    """Every error record_result would refuse the entries with, at once (a form says them
    beside its own: a missing date no longer hides a missing value)."""
    try:
        _evaluate(sample, data)
    except ValidationFailed as error:
        return error.errors
    return {}


def record_result(actor: User, application: Application, sample: Sample,
                  data: LabResultInput) -> LabResult:
    """Record a laboratory result for a sample and judge it against the parameter's limit.

    `data`: limit_id, value, unit, loq, detected ('yes'/'no'/None), method, tested_on,
    valid_days (None: no expiry). Stores the verdict, its technical reason, the limit's source
    and confidence, and an audit row.
    :raise NotFound / PermissionDenied: see require_inspector(); the sample is another's.
    :raise IllegalTransition: the application is not in laboratory testing.
    :raise ValidationFailed: a parameter not applying to the sample's product, a missing value,
        a unit that cannot be converted, a test date outside sampling date..today.
    """
    require_inspector(actor, application)
    if sample.application_id != application.id:
        raise NotFound(_("No such sample."))
    return store_result(actor, application, sample, data)


def store_result(actor: User, application: Application, sample: Sample, data: LabResultInput,
                 allowed_parameters=None) -> LabResult:
    """Judge and store a result for a sample whose recorder the caller has checked.

    The one path of a result, whether an inspector types it or a laboratory posts it.
    `allowed_parameters`, when given, are the only parameters the result may be for.
    :raise IllegalTransition: the application is not in laboratory testing.
    :raise ValidationFailed: see record_result(); a parameter outside `allowed_parameters`.
    """
    _require_state(actor, application, RESULT_STATES, "record_result")
    limit, result, evaluation = _evaluate(sample, data)
    if allowed_parameters is not None and limit.parameter not in allowed_parameters:
        raise ValidationFailed({"limit_id": [_(
            "This parameter is outside the laboratory's scope of accreditation.")]})
    correction = (data.correction or "").strip()
    if correction and not reason_is_enough(correction):  # it replaces a result for good
        raise ValidationFailed({"correction": [reason_message()]})
    if not correction and (earlier := earlier_result(sample, limit)) is not None:
        raise ValidationFailed({"correction": [_(
            "Sample %(code)s already has a result for this parameter, tested on %(date)s; the "
            "newer result counts. Say why this one is added (a retest, a corrected entry).",
            code=sample.code, date=format_day(earlier.tested_on))]})
    with transaction():
        row = LabResult(
            sample_id=sample.id, application_id=application.id, limit_id=limit.id,
            parameter=limit.parameter, value=result.value, unit=result.unit, loq=result.loq,
            detected=result.detected, method=(data.method or "").strip(),
            tested_on=result.tested_on, valid_days=result.valid_days,
            verdict=evaluation.verdict.value, reason=evaluation.message,
            limit_value=limit.value, limit_unit=limit.unit or None,
            limit_source=limit.source, limit_confidence=limit.confidence, recorded_by_id=actor.id,
            correction=correction)
        db.session.add(row)
        db.session.flush()
        record_event(actor, "lab_result_recorded", object_type="lab_result", object_id=row.id,
                     application_id=application.id, comment=correction,
                     data=_result_audit(sample, row, limit))
        if actor.role == Role.laboratory:
            lab_notices.result_posted(application, sample, row)
    db.session.expire(sample, ["results"])
    return row


def other_samples_tested(sample: Sample) -> bool:
    """True when another sample of the application's same product has a result: a result of
    `sample` may then be a retest that replaces theirs, given its reason."""
    return db.session.scalar(
        select(LabResult.id).join(Sample, Sample.id == LabResult.sample_id)
        .where(Sample.application_id == sample.application_id, Sample.id != sample.id,
               Sample.product_code == sample.product_code).limit(1)) is not None


def earlier_result(sample: Sample, limit: LabLimit) -> LabResult | None:
    """The sample's latest result for `limit`'s row, which a new one replaces (another sample's
    result stands beside it: each sample's latest counts for the conclusion)."""
    return db.session.scalar(
        select(LabResult).where(LabResult.sample_id == sample.id,
                                LabResult.limit_id == limit.id)
        .order_by(LabResult.tested_on.desc(), LabResult.id.desc()).limit(1))


def plain(value: Decimal | None) -> str | None:
    """A Decimal without exponent or trailing zeros ('1000', '0.2'), or None."""
    return None if value is None else format(value.normalize(), "f")


def _result_audit(sample: Sample, row: LabResult, limit: LabLimit) -> dict:
    return {"sample": sample.code, "parameter": row.parameter, "matrix": limit.matrix,
            "value": plain(row.value), "unit": row.unit, "loq": plain(row.loq),
            "detected": row.detected, "verdict": row.verdict, "limit_id": limit.id,
            "limit_value": plain(limit.value), "limit_unit": limit.unit or None,
            "source": limit.source, "confidence": limit.confidence}


def send_errors(application: Application) -> dict[str, list[str]]:
    """What stops the application's samples from going to the laboratory now: {} or
    {"": [why]} (none is waiting for results). Changes nothing."""
    if any(not sample.results for sample in samples_of(application)):
        return {}
    return {"": [_("Record the samples you send to the laboratory first.")]}


def send_to_lab(actor: User, application: Application, comment: str = "") -> list[Sample]:
    """Send the samples that have no result yet to the laboratory (inspected → lab_testing).

    Returns the samples sent; their ids go into the transition's audit row.
    :raise NotFound / PermissionDenied: see require_inspector().
    :raise IllegalTransition: not allowed in the application's state.
    :raise ValidationFailed: no sample waiting for results.
    :raise Conflict: someone else changed the state first.
    """
    require_inspector(actor, application)
    check_transition(State(application.state), Action.send_to_lab, actor.role)
    if errors := send_errors(application):
        raise ValidationFailed(errors)
    pending = [sample for sample in samples_of(application) if not sample.results]
    with transaction():
        apply_transition(actor, application, Action.send_to_lab, comment=comment,
                         data={"samples": [sample.id for sample in pending],
                               "codes": [sample.code for sample in pending]})
        lab_notices.samples_sent(application, pending)
    return pending


def record_lab_results(actor: User, application: Application, comment: str = "") -> None:
    """Close laboratory testing once every sample has a result (lab_testing → inspected).

    Notifies the exporter's users that the results are in.
    :raise NotFound / PermissionDenied: see require_inspector().
    :raise IllegalTransition: not allowed in the application's state.
    :raise ValidationFailed: a sample has no result yet (the codes are named).
    :raise Conflict: someone else changed the state first.
    """
    require_inspector(actor, application)
    check_transition(State(application.state), Action.record_lab_results, actor.role)
    samples = samples_of(application)
    waiting = [sample.code for sample in samples if not sample.results]
    if waiting:
        raise ValidationFailed({"": [_("No result yet for the samples %(codes)s.",
                                       codes=listed(waiting))]})
    reference = application.reference
    with transaction():
        apply_transition(actor, application, Action.record_lab_results, comment=comment,
                         data={"samples": [sample.id for sample in samples]})
        notify(enterprise_users(application.enterprise_id), "results",
               _l("The laboratory results of application %(ref)s are in.", ref=reference),
               exporter_link(application))
