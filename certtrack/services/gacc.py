"""The registrar's side of an application: recommendation, GACC batches and decisions."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from certtrack.domain.workflow import Action, IllegalTransition, Role, State, check_transition
from certtrack.extensions import db
from certtrack.models import Application, CorrectionRequest, GaccBatch, Registration
from certtrack.models.base import utcnow
from certtrack.services import (
    dossiers,
    gacc_answers,
    registration_entries,
    renewals,
    sent_twice,
)
from certtrack.services.applications import apply_transition, local_today
from certtrack.services.audit import record_event
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.inputs import (
    BatchInput,
    GaccRefusalInput,
    GaccReturnInput,
    RegistrationInput,
)
from certtrack.services.local_dates import LocalDate, format_day, local_day
from certtrack.services.notifications import (
    enterprise_users,
    exporter_link,
    inspector_link,
    link,
    notify,
)
from certtrack.services.numerals import listed
from certtrack.services.permissions import has_role, require_registrar
from certtrack.services.reasons import require_reason
from certtrack.services.transaction import stale_message, transaction


def _check_version(application: Application, version) -> None:
    if version not in (None, "") and str(application.version) != str(version):
        raise Conflict(stale_message())


def _found(application_ids) -> tuple[list[Application], list[int]]:
    """The applications of the ids chosen, and the ids of none."""
    ids = sorted({int(i) for i in application_ids or ()})
    found = list(db.session.scalars(select(Application).where(Application.id.in_(ids))
                                    .order_by(Application.id)))
    return found, sorted(set(ids) - {application.id for application in found})


def _chosen(application_ids) -> list[Application]:
    if not application_ids:
        raise ValidationFailed({"application_id": [_("Choose at least one application.")]})
    found, unknown = _found(application_ids)
    if unknown:
        raise NotFound(_("No such application."))
    return found


def _not_awaiting_a_batch(found: list[Application], unknown: list[int]) -> list[str]:
    """The sentence naming the applications chosen for a batch that no longer await one (moved
    on since the page was loaded, not in a batch, or an id of none), or []."""
    names = [a.reference for a in found
             if a.state != State.recommended.value and a.gacc_batch_id is None]
    names += [_("no. %(id)d", id=id_) for id_ in unknown]
    if not names:
        return []
    return [ngettext("Application %(names)s is no longer awaiting a batch: reload the page to "
                     "see the applications that are.",
                     "Applications %(names)s are no longer awaiting a batch: reload the page "
                     "to see the applications that are.", len(names), names=listed(names))]


def recommend(actor, application_ids, comment: str = "") -> list[Application]:
    """Take a registrar and application ids; recommend them all to GACC, or none of them.

    Each moves conclusion_positive -> recommended with its own audit row, in one transaction.
    :raise PermissionDenied: not a registrar. :raise NotFound: an unknown id.
    :raise ValidationFailed: no id given.
    :raise IllegalTransition: one of them is no longer a positive conclusion (nothing changes).
    :raise Conflict: another request moved one of them first (nothing changes).
    """
    require_registrar(actor)
    chosen = _chosen(application_ids)
    with transaction():
        for application in chosen:
            apply_transition(actor, application, Action.recommend, comment=comment)
    dossiers.after_recommendation(actor, chosen)
    return chosen


def _batch_errors(reference: str, submitted_on) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not reference:
        errors["reference"] = [_("Give the reference of the request sent to GACC.")]
    elif db.session.scalar(select(GaccBatch.id).where(
            func.upper(GaccBatch.reference) == reference.upper())):
        errors["reference"] = [_("A batch with this reference already exists.")]
    if submitted_on is None:
        errors["submitted_on"] = [_("Give the date the request was sent to GACC.")]
    elif submitted_on > local_today():
        errors["submitted_on"] = [_("The date cannot be in the future.")]
    return errors


def _sent_after_recommendation(chosen: list[Application],
                               submitted_on: date) -> dict[str, list[str]]:
    """A request to GACC goes after the recommendation of each application it carries."""
    recommended = [(local_day(a.state_changed_at), a) for a in chosen
                   if a.state == State.recommended.value]
    day, latest = max(recommended, key=lambda pair: pair[0], default=(None, None))
    if day is not None and submitted_on < day:
        return {"submitted_on": [_(
            "The request cannot have gone to GACC before %(reference)s was recommended, on "
            "%(date)s.", reference=latest.reference, date=format_day(day))]}
    return {}


def batch_errors(actor, data: BatchInput) -> dict[str, list[str]]:
    """Take a registrar and a batch's entries (an entry the form could not read given as
    None); return every error at once (field -> messages, empty when none): the reference,
    the date, applications another batch already carries or that no longer await a batch
    (an id of none among them). Changes nothing.
    """
    errors = _batch_errors((data.reference or "").strip(), data.submitted_on)
    if not data.application_ids:
        errors["application_id"] = [_("Choose at least one application.")]
        return errors
    chosen, unknown = _found(data.application_ids)
    if problems := (sent_twice.already_sent(actor, chosen)
                    + _not_awaiting_a_batch(chosen, unknown)):
        errors["application_id"] = problems
    if "submitted_on" not in errors and data.submitted_on is not None:
        errors.update(_sent_after_recommendation(chosen, data.submitted_on))
    return errors


def submit_batch(actor, data: BatchInput) -> GaccBatch:
    """Take a registrar and {reference, submitted_on, application_ids}; send them to GACC.

    Creates the GaccBatch and moves every application recommended -> submitted_to_gacc, linked
    to the batch, all in one transaction.
    :raise ValidationFailed: missing or duplicate reference, bad date, no application chosen,
        an application already sent in another batch (which, when and by whom).
    :raise IllegalTransition / Conflict: as for recommend(); nothing changes.
    """
    require_registrar(actor)
    if errors := batch_errors(actor, data):
        raise ValidationFailed(errors)
    reference, chosen = data.reference.strip(), _chosen(data.application_ids)
    try:
        batch = _record_batch(actor, reference, data.submitted_on, chosen)
    except IntegrityError as error:
        raise ValidationFailed({"reference": [_("A batch with this reference already exists.")]}
                               ) from error
    except (IllegalTransition, Conflict) as error:  # another tab's batch took them first
        if sent := sent_twice.already_sent(actor, _chosen(data.application_ids)):
            raise ValidationFailed({"application_id": sent}) from error
        raise
    dossiers.after_batch(actor, batch)
    return batch


def _record_batch(actor, reference: str, submitted_on: date,
                  chosen: list[Application]) -> GaccBatch:
    with transaction():
        batch = GaccBatch(reference=reference, submitted_on=submitted_on,
                          created_by_id=actor.id)
        db.session.add(batch)
        db.session.flush()
        record_event(actor, "gacc_batch_created", object_type="gacc_batch",
                     object_id=batch.id, data={"reference": reference,
                                               "submitted_on": submitted_on.isoformat(),
                                               "applications": [a.id for a in chosen]})
        for application in chosen:
            apply_transition(actor, application, Action.submit_to_gacc,
                             values={"gacc_batch_id": batch.id, "stage_deadline": None},
                             data={"batch": reference})
    return batch


def get_batch(actor, batch_id: int) -> GaccBatch:
    """Take a registrar and a batch id; return the batch with its applications loaded.

    :raise PermissionDenied: not a registrar. :raise NotFound: no such batch.
    """
    require_registrar(actor)
    batch = db.session.scalar(select(GaccBatch).where(GaccBatch.id == batch_id).options(
        selectinload(GaccBatch.applications).joinedload(Application.enterprise),
        selectinload(GaccBatch.applications).joinedload(Application.establishment)))
    if batch is None:
        raise NotFound(_("No such batch."))
    return batch


def _notify_staff_and_exporter(application: Application, kind: str, message: str) -> None:
    notify(enterprise_users(application.enterprise_id), kind, message,
           exporter_link(application))
    if has_role(application.assignee, Role.inspector):
        notify([application.assignee], kind, message,
               inspector_link(application))


def gacc_return_errors(data: GaccReturnInput) -> dict[str, list[str]]:
    """Take GACC's requests as the registrar enters them (an entry the form could not read
    given as None); return every error at once (empty when none). Changes nothing."""
    errors: dict[str, list[str]] = {}
    if not (data.requests or "").strip():
        errors["requests"] = [_("List what GACC asks for, one request per line.")]
    if data.response_deadline is not None and data.response_deadline < local_today():
        errors["response_deadline"] = [_("The deadline cannot be in the past.")]
    return errors


def record_gacc_return(actor, application: Application, data: GaccReturnInput) -> CorrectionRequest:
    """Take a registrar, an application and {requests, response_deadline, version}.

    Records GACC's request for corrections (a CorrectionRequest with source 'gacc', one request
    per line), moves submitted_to_gacc -> gacc_returned and notifies the exporter's users and
    the assigned inspector.
    :raise ValidationFailed: no request listed, or a deadline in the past.
    :raise IllegalTransition / Conflict: the application is no longer awaiting GACC.
    """
    require_registrar(actor)
    _check_version(application, data.version)
    if errors := gacc_return_errors(data):
        raise ValidationFailed(errors)
    requests, deadline = data.requests.strip(), data.response_deadline
    with transaction():
        apply_transition(actor, application, Action.record_gacc_return, comment=requests,
                         values={"stage_deadline": deadline},
                         data={"response_deadline": deadline.isoformat() if deadline else None})
        correction = CorrectionRequest(application_id=application.id, source="gacc",
                                       deficiencies=requests, response_deadline=deadline,
                                       created_by_id=actor.id)
        db.session.add(correction)
        _notify_staff_and_exporter(application, "gacc_returned", _l(
            "GACC asks for corrections to application %(ref)s: %(requests)s",
            ref=application.reference,  # one sentence: "год.; Перевести" read twice stopped
            requests="; ".join(item.rstrip(".;") for item in correction.items)))
    return correction


def resubmit_to_gacc(actor, application: Application, comment: str = "", version=None) -> None:
    """Take a registrar and an application returned by GACC; send it back to GACC.

    Moves gacc_returned -> submitted_to_gacc and marks GACC's open requests resolved, once
    the exporter has answered them (gacc_answers).
    :raise ValidationFailed: the exporter has not answered GACC's requests yet.
    :raise IllegalTransition / Conflict: the application is no longer returned by GACC.
    """
    require_registrar(actor)
    _check_version(application, version)
    refusal = gacc_answers.resubmission_refusal(application)
    if refusal:
        raise ValidationFailed({"": [refusal]})
    with transaction():
        apply_transition(actor, application, Action.resubmit_to_gacc, comment=comment,
                         values={"stage_deadline": None})
        _close_gacc_requests(application)


def _close_gacc_requests(application: Application) -> None:
    """Mark GACC's open requests on the application closed: answered and sent back, or ended
    by GACC's refusal (no commit)."""
    db.session.execute(update(CorrectionRequest).where(
        CorrectionRequest.application_id == application.id,
        CorrectionRequest.source == "gacc", CorrectionRequest.resolved_at.is_(None),
    ).values(resolved_at=utcnow()))


def record_gacc_refusal(actor, application: Application, data: GaccRefusalInput) -> None:
    """Take a registrar, an application and {reasons, version}; record GACC's refusal (terminal).

    :raise ValidationFailed: no reason given.
    :raise IllegalTransition / Conflict: the application is no longer awaiting GACC.
    """
    require_registrar(actor)
    _check_version(application, data.version)
    reasons = require_reason(data.reasons, "reasons")
    with transaction():
        apply_transition(actor, application, Action.record_gacc_refusal, comment=reasons,
                         values={"stage_deadline": None})
        _close_gacc_requests(application)  # a refusal of a file GACC had returned
        _notify_staff_and_exporter(application, "gacc_refused", _l(
            "GACC refused application %(ref)s: %(reasons)s", ref=application.reference,
            reasons=reasons))


def gacc_requests(application: Application) -> list[CorrectionRequest]:
    """Take an application; return GACC's requests for corrections, newest first."""
    return list(db.session.scalars(select(CorrectionRequest).where(
        CorrectionRequest.application_id == application.id, CorrectionRequest.source == "gacc")
        .order_by(CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc())))


def record_registration(actor, application: Application, data: RegistrationInput) -> Registration:
    """Take a registrar, an application awaiting GACC and the listing entered by the registrar.

    `data`: china_number, listing_date, valid_from (default: the listing date), route, version.
    Creates the Registration (valid 5 years, regime by listing date) - or, for a renewal,
    extends the registration renewed - moves the application to registered and notifies the
    exporter's users.
    :raise ValidationFailed: every problem with the entries at once (422), a number already
        recorded, or an establishment already registered for the category.
    :raise IllegalTransition / Conflict: the application is no longer awaiting GACC.
    """
    require_registrar(actor)
    _check_version(application, data.version)
    check_transition(State(application.state), Action.record_registration, actor.role)
    errors, renewed = registration_entries.checked(application, data)
    if errors:
        raise ValidationFailed(errors)
    change = application.kind == "change"
    values = registration_entries.values(data, renewed, change)
    try:
        with transaction():
            if change:
                return _save_change(actor, application, renewed, values)
            registration = _save_registration(actor, application, renewed, values)
    except IntegrityError as error:
        raise ValidationFailed({"china_number": [_(
            "This number is already recorded for another registration.")]}) from error
    return registration


def _save_change(actor, application, changed: Registration, values) -> Registration:
    """GACC accepted the change: the registration covers the application's products from now
    on (print_context.current_application), with its number and validity."""
    application.change_of_id = changed.id
    summary = {key: str(value) for key, value in values.items()}
    record_event(actor, "registration_changed", object_type="registration",
                 object_id=changed.id, application_id=application.id, data=summary)
    apply_transition(actor, application, Action.record_registration,
                     values={"stage_deadline": None, "change_of_id": changed.id},
                     data={**summary, "registration_id": changed.id})
    notify(enterprise_users(application.enterprise_id), "registered", _l(
        "GACC accepted the change of application %(ref)s: registration %(number)s covers its "
        "products, valid until %(to)s.", ref=application.reference,
        number=changed.china_number, to=LocalDate(changed.valid_to)),
        link("exporter.registrations"))
    renewals.offer_replacement(changed, "registered", _l(
        "China registration %(number)s covers the products of change %(ref)s now; its "
        "certificate of export eligibility still lists the earlier ones: issue a replacement.",
        number=changed.china_number, ref=application.reference),
        f"changed:{changed.id}:{application.id}")
    return changed


def _save_registration(actor, application, renewed, values) -> Registration:
    if renewed is None:
        registration = Registration(application_id=application.id, status="active",
                                    enterprise_id=application.enterprise_id,
                                    establishment_id=application.establishment_id,
                                    gacc_category_code=application.gacc_category_code, **values)
        db.session.add(registration)
    else:
        registration = renewed
        values = renewals.extend(actor, registration, application, values)
    db.session.flush()
    summary = {key: str(value) for key, value in values.items()}
    apply_transition(actor, application, Action.record_registration,
                     values={"stage_deadline": None},
                     data={**summary, "registration_id": registration.id})
    notify(enterprise_users(application.enterprise_id), "registered", _l(
        "Application %(ref)s is registered in China under %(number)s, valid until %(to)s.",
        ref=application.reference, number=values["china_number"],
        to=LocalDate(values["valid_to"])), link("exporter.registrations"))
    return registration
