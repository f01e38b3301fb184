"""The inspector's work on a consignment: queue, inspection, laboratory, treatments, wording."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from certtrack.domain import compliance
from certtrack.domain.consignment import OPEN_CONSIGNMENT_STATES, CancellationGround
from certtrack.domain.scripts import latin_or_chinese
from certtrack.extensions import db
from certtrack.models import (
    AuditEvent,
    Consignment,
    ConsignmentDeclaration,
    ConsignmentLabResult,
    ConsignmentTreatment,
    LabLimit,
    Registration,
    User,
)
from certtrack.models.base import JudgedParameter
from certtrack.models.consignment import INSPECTION_RESULTS
from certtrack.services import market_access, repeated_entries
from certtrack.services.applications import local_today
from certtrack.services.audit import record_event
from certtrack.services.consignments.access import (
    consignment_scope,
    in_territory,
    search_consignments,
)
from certtrack.services.consignments.attested import attestation_blockers, expiry_blockers
from certtrack.services.consignments.corrected_goods import correction_blockers
from certtrack.services.consignments.drafts import PRINTED_SCRIPT
from certtrack.services.consignments.entries import lab_errors, treatment_errors
from certtrack.services.consignments.in_force import cancel_certificate_in_force
from certtrack.services.consignments.inputs import (
    InspectionInput,
    LabResultInput,
    TreatmentInput,
)
from certtrack.services.consignments.workflow import apply_consignment_transition, check_version
from certtrack.services.errors import NotFound, PermissionDenied, ValidationFailed
from certtrack.services.lab_results import loq_message, loq_missing_message
from certtrack.services.laboratory import NOT_DETECTED_BESIDE_A_VALUE
from certtrack.services.limits import limits_for_products, product_codes, to_domain_limit
from certtrack.services.notifications import enterprise_users, link, notify
from certtrack.services.numerals import listed
from certtrack.services.transaction import transaction


def require_inspector(actor: User, consignment: Consignment) -> None:
    """:raise PermissionDenied: not an inspector of the consignment's committee and region."""
    if not in_territory(actor, consignment):
        raise PermissionDenied(_("Only inspectors of the consignment's committee and region "
                                 "may do this."))


def _require_under_inspection(consignment: Consignment) -> None:
    if consignment.state != "under_inspection":
        raise PermissionDenied(_("Start the inspection first."))


# The inspector's queue: the open requests, or the closed ones (issued, refused, withdrawn),
# where a certificate to replace is found again.
QUEUE_SCOPES = ("open", "closed")


def consignment_queue(actor: User, *, page: int = 1, overdue_only: bool = False,
                      scope: str = "open", search: str = ""):
    """One page of the consignments the actor may see: the open ones, the most urgent deadline
    first; or the closed ones, the latest first."""
    open_states = [s.value for s in OPEN_CONSIGNMENT_STATES]
    query = consignment_scope(actor).options(
        selectinload(Consignment.lots), selectinload(Consignment.enterprise),
        selectinload(Consignment.registration).selectinload(Registration.establishment))
    if scope == "closed":
        query = query.where(Consignment.state.not_in(open_states)).order_by(
            Consignment.updated_at.desc(), Consignment.id.desc())
    else:
        query = query.where(Consignment.state.in_(open_states)).order_by(
            Consignment.deadline.asc().nulls_last(), Consignment.id)
        if overdue_only:
            query = query.where(Consignment.deadline < local_today())
    return db.paginate(search_consignments(query, search), page=page,
                       per_page=current_app.config["PER_PAGE"], error_out=False,
                       max_per_page=100)


def start_inspection(actor: User, consignment: Consignment, version=None) -> None:
    """Take a submitted consignment into inspection; the actor becomes its inspector."""
    require_inspector(actor, consignment)
    check_version(consignment, version)
    with transaction():
        apply_consignment_transition(actor, consignment, "start_inspection",
                                     values={"inspector_id": actor.id})


def record_inspection(actor: User, consignment: Consignment, data: InspectionInput) -> None:
    """Record the inspection of the lot: date (not in the future), place and result."""
    require_inspector(actor, consignment)
    _require_under_inspection(consignment)
    errors = {}
    submitted = consignment.submitted_on
    if data.inspected_on is None or data.inspected_on > local_today():
        errors["inspected_on"] = [_("Give the day of the inspection, not in the future.")]
    elif submitted is not None and data.inspected_on < submitted:
        errors["inspected_on"] = [_("The lot is inspected once the certificate is requested: "
                                    "not before %(date)s.", date=format_date(submitted))]
    if not (data.place or "").strip():
        errors["place"] = [_("Give the place of the inspection.")]
    elif not latin_or_chinese(data.place):  # the certificate's data to China carries it
        errors["place"] = [str(PRINTED_SCRIPT)]
    if data.result not in INSPECTION_RESULTS:
        errors["result"] = [_("Choose the result of the inspection.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction():
        consignment.inspected_on, consignment.inspection_place = data.inspected_on, data.place
        consignment.inspection_result = data.result
        consignment.inspection_notes = (data.notes or "").strip()
        record_event(actor, "consignment_inspected", object_type="consignment",
                     object_id=consignment.id, data={"result": data.result,
                                                     "on": data.inspected_on.isoformat()})


def limits_for(consignment: Consignment) -> list[LabLimit]:
    """The limits that apply to the consignment's products."""
    return limits_for_products(lot.product_code for lot in consignment.lots)


def _judge(consignment: Consignment, data: LabResultInput):
    limit = db.session.get(LabLimit, data.limit_id or 0)
    codes = {lot.product_code for lot in consignment.lots}
    if limit is None or not codes & set(product_codes(limit)):
        raise ValidationFailed({"limit_id": [_("Choose a parameter that applies to the "
                                               "consignment's products.")]})
    absent = limit.kind == compliance.LimitKind.absent
    if absent and (data.value is not None or data.detected is None):
        # not "Enter the measured value, or say whether it was detected" to a value typed
        raise ValidationFailed({"value" if data.value is not None else "detected": [_(
            "This test only takes detected or not detected: choose one under “Detected”, "
            "without a value.")]})
    if not absent and compliance.contradicts_itself(data.detected, data.value, data.loq):
        raise ValidationFailed({"detected": [str(NOT_DETECTED_BESIDE_A_VALUE)]})
    result = compliance.Result(
        parameter=limit.parameter, value=None if absent else data.value,
        unit=None if absent else compliance.normalize_unit(data.unit) if data.unit else None,
        loq=None if absent else data.loq, detected=data.detected,
        tested_on=data.tested_on or local_today())
    try:
        return limit, result, compliance.evaluate(result, to_domain_limit(limit))
    except compliance.LoqAboveLimit as error:
        raise ValidationFailed({"loq": [loq_message(error)]}) from error
    except compliance.LoqMissing as error:
        raise ValidationFailed({"loq": [loq_missing_message(error)]}) from error


def record_lab_result(actor: User, consignment: Consignment,
                      data: LabResultInput) -> ConsignmentLabResult:
    """Record a laboratory result and judge it against China's limit (domain.compliance).

    :raise ValidationFailed: a parameter not applying, no value, an unknown unit, a test date
        in the future.
    """
    require_inspector(actor, consignment)
    _require_under_inspection(consignment)
    errors = lab_errors(consignment, data)
    try:
        limit, result, evaluation = _judge(consignment, data)
    except ValidationFailed as error:
        errors = {**error.errors, **errors}
    except compliance.UnitError:
        errors.setdefault("unit", [_("Enter the unit of the value: mg/kg, µg/kg, ppm or ppb.")])
    except ValueError:
        errors.setdefault("value", [_("Enter the measured value, or say whether it was "
                                      "detected.")])
    if errors:
        raise ValidationFailed(errors)
    with transaction():
        row = ConsignmentLabResult(
            consignment_id=consignment.id, limit_id=limit.id, sample_code=data.sample_code,
            laboratory=(data.laboratory or "").strip(), parameter=limit.parameter,
            value=result.value, unit=result.unit, loq=result.loq, detected=result.detected,
            method=(data.method or "").strip(), tested_on=result.tested_on,
            verdict=evaluation.verdict.value, reason=evaluation.message,
            limit_text=_limit_text(limit), limit_source=limit.source, recorded_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
        record_event(actor, "consignment_lab_result", object_type="consignment",
                     object_id=consignment.id, data={"parameter": limit.parameter,
                                                     "verdict": row.verdict})
    return row


def _limit_text(limit: LabLimit) -> str:
    if limit.kind == compliance.LimitKind.max:
        return f"≤ {limit.value.normalize():f} {limit.unit}"
    return "not detected" if limit.kind == compliance.LimitKind.not_detected else "absent"


def add_treatment(actor: User, consignment: Consignment,
                  data: TreatmentInput) -> ConsignmentTreatment:
    """Record a disinfestation or disinfection treatment of the consignment.

    :raise ValidationFailed: every wrong entry at once (an unknown kind, a day in the future
        or before the goods, no chemical for a fumigation, a text not in Latin or Chinese).
    """
    require_inspector(actor, consignment)
    _require_under_inspection(consignment)
    if errors := treatment_errors(consignment, data):
        raise ValidationFailed(errors)
    repeated_entries.refuse_repeat("treatment",
                                   repeated_entries.treatment(actor, consignment, data))
    with transaction():
        row = ConsignmentTreatment(consignment_id=consignment.id, recorded_by_id=actor.id,
                                   **{k: v.strip() if isinstance(v, str) else v
                                      for k, v in data.__dict__.items()})
        db.session.add(row)
        db.session.flush()
        record_event(actor, "consignment_treatment", object_type="consignment",
                     object_id=consignment.id, data={"type": row.type})
    return row


def remove_treatment(actor: User, consignment: Consignment, treatment_id: int,
                     reason: str) -> None:
    """Remove a treatment recorded in error, before the certificate that would print it is
    issued; the audit trail keeps what it said, with the inspector's reason.

    :raise NotFound: not a treatment of this consignment.
    """
    require_inspector(actor, consignment)
    _require_under_inspection(consignment)
    row = next((t for t in consignment.treatments if t.id == treatment_id), None)
    if row is None:
        raise NotFound(_("No such treatment."))
    with transaction():
        consignment.treatments.remove(row)
        record_event(actor, "consignment_treatment_removed", object_type="consignment",
                     object_id=consignment.id, comment=reason.strip(), data={
                         "type": row.type, "active_substance": row.active_substance,
                         "treated_on": row.treated_on.isoformat()})


def remove_lab_result(actor: User, consignment: Consignment, result_id: int,
                      reason: str) -> None:
    """Remove a laboratory result recorded in error (a mistyped value judged non-compliant
    would stop the certificate for good), before issue; the audit trail keeps it, with the
    inspector's reason.

    :raise NotFound: not a result of this consignment.
    """
    require_inspector(actor, consignment)
    _require_under_inspection(consignment)
    row = get_lab_result(consignment, result_id)
    with transaction():
        consignment.lab_results.remove(row)
        record_event(actor, "consignment_lab_result_removed", object_type="consignment",
                     object_id=consignment.id, comment=reason.strip(), data={
                         "parameter": row.parameter, "limit_id": row.limit_id,
                         "sample_code": row.sample_code,
                         "value": None if row.value is None else str(row.value),
                         "unit": row.unit, "verdict": row.verdict})


@dataclass(frozen=True)
class RemovedLabResult(JudgedParameter):
    """A result removed from a consignment, as its audit row keeps it: `event` (its data, who
    removed it, when, why), with its parameter named in any language as a live result's."""

    event: AuditEvent
    parameter: str
    limit: LabLimit | None


def removed_lab_results(consignment: Consignment) -> list[RemovedLabResult]:
    """The results removed from the consignment, oldest first, as the audit trail keeps them:
    what was removed (its data), who removed it, when and why (the comment). The staff see
    them beside the results, so that a non-compliant result does not vanish unseen."""
    events = list(db.session.scalars(
        select(AuditEvent).options(selectinload(AuditEvent.actor)).where(
            AuditEvent.object_type == "consignment", AuditEvent.object_id == consignment.id,
            AuditEvent.action == "consignment_lab_result_removed").order_by(AuditEvent.id)))
    # The limit it was judged by (kept since results record it; before, the parameter's).
    names = {event.data.get("parameter") for event in events}
    limits = db.session.scalars(select(LabLimit).where(
        or_(LabLimit.id.in_({e.data.get("limit_id") or 0 for e in events}),
            LabLimit.parameter.in_(names)))).all() if events else []
    by_id = {limit.id: limit for limit in limits}
    by_name = {limit.parameter: limit for limit in limits}
    return [RemovedLabResult(event, event.data.get("parameter", ""),
                             by_id.get(event.data.get("limit_id")) or
                             by_name.get(event.data.get("parameter"))) for event in events]


def available_declarations(consignment: Consignment):
    """The protocol wording that applies to the consignment's kind and products."""
    return market_access.declarations_for(consignment.kind,
                                          [lot.product_code for lot in consignment.lots])


def set_declarations(actor: User, consignment: Consignment, codes: list[str]) -> None:
    """Choose the protocol wording printed on the certificate (replaces the earlier choice)."""
    require_inspector(actor, consignment)
    _require_under_inspection(consignment)
    allowed = {row.code for row in available_declarations(consignment)}
    if not set(codes) <= allowed:
        raise ValidationFailed({"codes": [_("Choose wording from the protocol's list.")]})
    with transaction():
        consignment.declarations = [ConsignmentDeclaration(declaration_code=code)
                                    for code in sorted(set(codes))]
        record_event(actor, "consignment_declarations", object_type="consignment",
                     object_id=consignment.id, data={"codes": sorted(set(codes))})


def refuse_consignment(actor: User, consignment: Consignment, reason: str,
                       version=None) -> None:
    """Refuse the certificate, with a reason the exporter reads (terminal). A reopened
    one's certificate in force is cancelled with the reason: its goods do not leave, and no
    correction will replace it."""
    require_inspector(actor, consignment)
    check_version(consignment, version)
    with transaction():
        apply_consignment_transition(actor, consignment, "refuse", comment=reason or "",
                                     values={"refusal_reason": (reason or "").strip(),
                                             "deadline": None, "correction_reason": ""})
        cancel_certificate_in_force(consignment, (reason or "").strip(),
                                    CancellationGround.refused)
        notify(enterprise_users(consignment.enterprise_id), "consignment_refused",
               _l("The certificate of consignment %(ref)s is refused: %(reason)s",
                  ref=consignment.reference, reason=(reason or "").strip()),
               link("consignments.detail", consignment_id=consignment.id))


def issue_blockers(consignment: Consignment) -> list[str]:
    """What the inspection still lacks before a certificate may be issued."""
    blockers = []
    if consignment.inspection_result != "satisfactory":
        blockers.append(_("A satisfactory inspection of the lot."))
    if consignment.kind == "vet" and not consignment.lab_results:  # its attestations rest on one
        blockers.append(_("A laboratory result on a sample of the consignment."))
    locale = str(get_locale() or "en")
    failing = list(dict.fromkeys(r.parameter_in(locale) for r in consignment.lab_results
                                 if r.verdict == "non_compliant"))  # each parameter once
    if failing:
        blockers.append(_("Non-compliant laboratory results: %(names)s.",
                          names=listed(failing)))
    chosen = {row.declaration_code for row in consignment.declarations}
    available = available_declarations(consignment)
    if consignment.kind == "vet" and not available:  # its Part II would certify nothing
        blockers.append(_("The attestations of a veterinary certificate for these products: "
                          "the reference data has none yet."))
    missing = [row for row in available if row.code not in chosen]
    if missing:  # China's border refuses a certificate without the protocol's wording
        blockers.append(ngettext(
            "The wording the protocol requires for these products: %(num)d statement is not "
            "chosen.", "The wording the protocol requires for these products: %(num)d "
            "statements are not chosen.", len(missing)))
    return (blockers + attestation_blockers(consignment) + expiry_blockers(consignment)
            + correction_blockers(consignment, {row.code for row in available}))


def get_lab_result(consignment: Consignment, result_id: int) -> ConsignmentLabResult:
    """:raise NotFound: not a result of this consignment."""
    row = db.session.scalar(select(ConsignmentLabResult).where(
        ConsignmentLabResult.id == result_id,
        ConsignmentLabResult.consignment_id == consignment.id))
    if row is None:
        raise NotFound(_("No such result."))
    return row
