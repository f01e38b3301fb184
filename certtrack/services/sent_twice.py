"""A GACC batch, a registration, a draft's product line, a sample, a webhook or an account whose
form was sent twice (a double click, a form sent again from the browser's history): what the
first sending recorded, so that the second one is told so and led there, rather than refused
for the reference, the number, the product, the code, the address or the e-mail the first one
took."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash

from certtrack.domain.identifiers import IdentifierError, validate_china_registration_number
from certtrack.domain.workflow import Action, Role, State
from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, GaccBatch, Sample, User, Webhook
from certtrack.models.base import utcnow
from certtrack.services.inputs import (
    AccountInput,
    BatchInput,
    ProductInput,
    RegistrationInput,
    SampleInput,
)
from certtrack.services.local_dates import format_moment
from certtrack.services.registrations import registration_of

# A product line is the same form sent again only this soon after it was added (a double click,
# Back and the form sent again); later, the same product is a mistake the form says.
PRODUCT_REPEAT_WINDOW = timedelta(minutes=1)
# So too a sample, a webhook and an account: the same person's same entries this soon after.
REPEAT_WINDOW = PRODUCT_REPEAT_WINDOW


@dataclass(frozen=True)
class Recorded:
    """What an earlier sending of the same form recorded (a GaccBatch or a Registration), who
    sent it and when."""

    record: Any
    actor: User | None
    at: datetime


def batch(data: BatchInput) -> Recorded | None:
    """Take the entries of a batch form; return the batch already recorded with them - the
    same reference (in any case), date and applications - or None.

    Read afresh: the caller's failed transaction has been rolled back.
    """
    reference = (data.reference or "").strip()
    if not reference or data.submitted_on is None or not data.application_ids:
        return None
    found = db.session.scalar(select(GaccBatch).where(
        func.upper(GaccBatch.reference) == reference.upper()))
    if found is None or found.submitted_on != data.submitted_on:
        return None
    carried = set(db.session.scalars(select(Application.id).where(
        Application.gacc_batch_id == found.id)))
    if carried != {int(i) for i in data.application_ids}:
        return None
    event = _event("gacc_batch", found.id, "gacc_batch_created")
    return Recorded(found, event.actor if event else None,
                    event.at if event else found.created_at)


def already_sent(actor, applications: list[Application]) -> list[str]:
    """Take a registrar and the applications chosen for a new batch; return, for each batch
    already carrying some of them (sent from another window or tab), a sentence naming them,
    the batch's reference, when it was sent and by whom; [] when none went to GACC."""
    carried: dict[int, list[Application]] = {}
    for application in applications:
        if application.gacc_batch_id is not None:
            carried.setdefault(application.gacc_batch_id, []).append(application)
    sentences = []
    for batch_id, chosen in sorted(carried.items()):
        found = db.session.get(GaccBatch, batch_id)
        event = _event("gacc_batch", batch_id, "gacc_batch_created")
        names = {"refs": ", ".join(a.reference for a in chosen), "ref": found.reference,
                 "time": format_moment(event.at if event else found.created_at)}
        if event is not None and event.actor is not None and event.actor.id != actor.id:
            sentences.append(_("Already sent to GACC: %(refs)s, in batch %(ref)s, by %(name)s "
                               "at %(time)s.", name=event.actor.full_name, **names))
        else:
            sentences.append(_("Already sent to GACC: %(refs)s, in batch %(ref)s, by you at "
                               "%(time)s (in another window or tab).", **names))
    return sentences


def registration(application: Application, data: RegistrationInput) -> Recorded | None:
    """Take an application and the entries of its registration form; return the registration
    the application already got under that number (for a renewal, the one it extended), or
    None."""
    try:
        number = validate_china_registration_number(data.china_number or "")
    except IdentifierError:
        return None
    db.session.refresh(application)
    if application.state != State.registered.value:
        return None
    found = registration_of(application)
    if found is None or found.china_number != number:
        return None
    event = _event("application", application.id, Action.record_registration.value)
    return Recorded(found, event.actor if event else None,
                    event.at if event else found.created_at)


def product_line(actor: User, application: Application, data: ProductInput) -> Recorded | None:
    """Take a person, a draft and the entries of its product form; return the line that person
    added with the same product, annual volume and unit less than PRODUCT_REPEAT_WINDOW ago
    (the form sent twice), or None: a line added earlier, by someone else, or with another
    volume is "already in the application", as the form says.

    Read afresh: the caller's failed transaction has been rolled back.
    """
    try:
        volume = Decimal(data.annual_volume) if data.annual_volume is not None else None
    except (InvalidOperation, TypeError, ValueError):
        return None
    db.session.refresh(application)
    line = next((line for line in application.products
                 if line.product_code == data.product_code), None)
    if line is None or volume is None or line.annual_volume != volume \
            or line.volume_unit != data.volume_unit:
        return None
    event = next((event for event in db.session.scalars(
        select(AuditEvent).options(selectinload(AuditEvent.actor))
        .where(AuditEvent.application_id == application.id,
               AuditEvent.action == "product_added")
        .order_by(AuditEvent.seq.desc()))
        if (event.data or {}).get("product") == line.product_code), None)
    if event is None or event.actor_id != actor.id \
            or utcnow() - event.at > PRODUCT_REPEAT_WINDOW:
        return None
    return Recorded(line, event.actor, event.at)


def recent(moment: datetime | None) -> bool:
    """True for a moment under REPEAT_WINDOW ago."""
    return moment is not None and utcnow() - moment <= REPEAT_WINDOW


def sample(actor: User, application: Application, data: SampleInput) -> Recorded | None:
    """Take a person, an application and the entries of its sample form; return the sample
    that person recorded with the same code, product, date, matrix and laboratory less than
    REPEAT_WINDOW ago (the form sent twice), or None: a code taken otherwise is "already" the
    application's, as the form says."""
    found = db.session.scalar(select(Sample).where(
        Sample.application_id == application.id, Sample.code == (data.code or "").strip()))
    if found is None or found.created_by_id != actor.id or not recent(found.created_at):
        return None
    laboratory = (found.laboratory_id == data.laboratory_id if data.laboratory_id
                  else found.laboratory_id is None
                  and found.laboratory == (data.laboratory or "").strip())
    if not laboratory or (found.product_code, found.taken_on, found.matrix) != (
            data.product_code, data.taken_on, (data.matrix or "").strip()):
        return None
    return Recorded(found, actor, found.created_at)


def webhook(actor: User, url: str) -> Recorded | None:
    """Take a person and the address of their webhook form; return their active webhook of
    that address registered less than REPEAT_WINDOW ago (the form sent twice), or None."""
    found = db.session.scalar(select(Webhook).where(
        Webhook.user_id == actor.id, Webhook.url == (url or "").strip(),
        Webhook.disabled_at.is_(None)).order_by(Webhook.id.desc()).limit(1))
    if found is None or not recent(found.created_at):
        return None
    return Recorded(found, actor, found.created_at)


def account(actor: User, data: AccountInput) -> Recorded | None:
    """Take an administrator and the entries of the new-account form; return the account that
    administrator created with the same e-mail, name, role, committee, regions, laboratory
    (and password, when one is given) less than REPEAT_WINDOW ago, or None: another account
    of that e-mail is a conflict the form says."""
    found = db.session.scalar(select(User).where(
        User.email == (data.email or "").strip().lower()))
    event = _event("user", found.id, "user_created") if found is not None else None
    if event is None or event.actor_id != actor.id or not recent(event.at):
        return None
    inspector = data.is_inspector
    entered = ((data.full_name or "").strip(), str(data.role),
               data.committee if inspector else None,
               sorted(data.regions or []) if inspector else [],
               (data.laboratory_id or None) if data.role == Role.laboratory else None)
    if (found.full_name, str(found.role), found.committee, sorted(found.region_codes),
            found.laboratory_id) != entered:
        return None
    if data.password and not check_password_hash(found.password_hash, data.password):
        return None
    return Recorded(found, actor, event.at)


def _event(object_type: str, object_id: int, action: str) -> AuditEvent | None:
    return db.session.scalar(
        select(AuditEvent).options(selectinload(AuditEvent.actor))
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id,
               AuditEvent.action == action)
        .order_by(AuditEvent.seq.desc()).limit(1))
