"""A finding, a quarantine measurement or a consignment's treatment whose form was sent twice (a
double click, a form sent again from the browser's history): nothing stops the same entries
twice, so the second sending recorded a second row, a corrective action more for the exporter
or a treatment printed twice. The same person's same entries on the same application or
consignment within sent_twice.REPEAT_WINDOW are that sending again: refused, saying when the
first was recorded."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    Consignment,
    ConsignmentTreatment,
    Finding,
    QuarantineMeasurement,
    User,
)
from certtrack.services.consignments.inputs import TreatmentInput
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import FindingInput, MeasurementInput
from certtrack.services.local_dates import format_moment
from certtrack.services.sent_twice import Recorded, recent

FINDING_FIELDS = ("severity", "requirement", "observation", "requirement_en",
                  "observation_en", "clause")
MESSAGES = {
    "finding": _l("You recorded this finding at %(time)s: the form was sent twice, and "
                  "nothing was recorded again."),
    "measurement": _l("You recorded this measurement at %(time)s: the form was sent twice, and "
                      "nothing was recorded again."),
    "treatment": _l("You recorded this treatment at %(time)s: the form was sent twice, and "
                    "nothing was recorded again."),
}


def _own_recent(actor: User, action: str, *conditions) -> AuditEvent | None:
    """The latest event of `action` under `conditions`, when `actor` made it just now."""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == action, *conditions)
                              .order_by(AuditEvent.seq.desc()).limit(1))
    return event if event is not None and event.actor_id == actor.id and recent(event.at) \
        else None


def _same(row, event: AuditEvent | None, entered: dict) -> Recorded | None:
    if row is None or any(getattr(row, name) != value for name, value in entered.items()):
        return None
    return Recorded(row, event.actor, event.at)


def finding(actor: User, application: Application, data: FindingInput) -> Recorded | None:
    """The finding `actor` just recorded on the application with the same entries, or None."""
    event = _own_recent(actor, "finding_recorded", AuditEvent.application_id == application.id)
    row = db.session.get(Finding, event.object_id) if event else None
    return _same(row, event, {name: (getattr(data, name) or "").strip()
                              for name in FINDING_FIELDS})


def measurement(actor: User, application: Application,
                data: MeasurementInput) -> Recorded | None:
    """The measurement `actor` just recorded on the application with the same entries."""
    event = _own_recent(actor, "quarantine_measured",
                        AuditEvent.application_id == application.id)
    row = db.session.get(QuarantineMeasurement, event.object_id) if event else None
    return _same(row, event, {"product_code": data.measured_product, "measure": data.measure,
                              "value": data.measured_value,
                              "species": (data.species or "").strip()})


def treatment(actor: User, consignment: Consignment, data: TreatmentInput) -> Recorded | None:
    """The treatment `actor` just recorded on the consignment with the same entries."""
    event = _own_recent(actor, "consignment_treatment",
                        AuditEvent.object_type == "consignment",
                        AuditEvent.object_id == consignment.id)
    row = db.session.scalar(select(ConsignmentTreatment).where(
        ConsignmentTreatment.consignment_id == consignment.id,
        ConsignmentTreatment.recorded_by_id == actor.id)
        .order_by(ConsignmentTreatment.id.desc()).limit(1)) if event else None
    return _same(row, event, {name: value.strip() if isinstance(value, str) else value
                              for name, value in data.__dict__.items()})


def message(kind: str, earlier: Recorded) -> str:
    """What the second sending of a `kind` form is told."""
    return str(MESSAGES[kind]) % {"time": format_moment(earlier.at)}


def refuse_repeat(kind: str, earlier: Recorded | None) -> None:
    """:raise ValidationFailed: `earlier` is the first sending of the same form."""
    if earlier is not None:
        raise ValidationFailed({"": [message(kind, earlier)]})
