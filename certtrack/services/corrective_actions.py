"""Corrective actions on inspection findings: requested, evidenced by the exporter, verified."""

from collections.abc import Mapping
from datetime import date
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from certtrack.domain.workflow import IllegalTransition, State, check_transition
from certtrack.extensions import db
from certtrack.models import Application, Document, Finding, User
from certtrack.models.base import utcnow
from certtrack.services.applications import apply_transition, local_today
from certtrack.services.audit import record_event
from certtrack.services.deadlines import day_off_error
from certtrack.services.documents import EVIDENCE_TYPE, with_next_version
from certtrack.services.errors import Conflict, NotFound, ValidationFailed
from certtrack.services.inputs import CorrectiveActionInput
from certtrack.services.inspections import findings_of
from certtrack.services.inspectors_told import inspectors_to_tell
from certtrack.services.local_dates import LocalDate
from certtrack.services.notifications import enterprise_users, exporter_link, inspector_link, notify
from certtrack.services.permissions import require_inspector, require_owner
from certtrack.services.printed_names import dossier_version_errors
from certtrack.services.transaction import stale_message, transaction
from certtrack.services.uploads import (
    AlreadyUploaded,
    StoredFile,
    already_there,
    display_name,
    store_upload,
)


def open_findings(application: Application) -> list[Finding]:
    """Take an application; return its findings still open (no evidence yet or re-opened)."""
    return [f for f in findings_of(application) if f.status == "open"]


def _action_errors(findings, actions: Mapping[int, CorrectiveActionInput]
                   ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for finding in findings:
        item = actions.get(finding.id) or CorrectiveActionInput()
        if not (item.action or "").strip():
            errors[f"action_{finding.id}"] = [_("Describe the corrective action.")]
        errors |= dossier_version_errors(
            **{f"dossier_action_{finding.id}": (item.action, item.action_en)})
        due = item.due_date
        if due is None or due <= local_today():
            errors[f"due_{finding.id}"] = [_("Choose a due date after today.")]
        elif refusal := day_off_error(due):
            errors[f"due_{finding.id}"] = [refusal]
    if not findings:
        errors[""] = [_("There is no open finding to correct.")]
    return errors


def require_corrective_actions(actor: User, application: Application,
                               actions: Mapping[int, CorrectiveActionInput]) -> date:
    """Give every open finding a corrective action and due date (inspected → corrective_actions).

    `actions` maps finding ids to their CorrectiveActionInput (action, due date, the action's
    version for the dossier). The stage deadline becomes the latest due date, which is
    returned; the exporter is notified.
    :raise ValidationFailed: no open finding, or one without action or with a due date not
        after today or on a day off, or
        its action's version for the dossier missing or in Cyrillic (on dossier_action_<id>).
    :raise IllegalTransition: not inspected (stale page). :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    check_transition(State(application.state), "require_corrective_actions", actor.role)
    findings = open_findings(application)
    if errors := _action_errors(findings, actions):
        raise ValidationFailed(errors)
    latest = max(actions[f.id].due_date for f in findings)
    with transaction():
        for finding in findings:
            finding.corrective_action = actions[finding.id].action.strip()
            finding.corrective_action_en = (actions[finding.id].action_en or "").strip()
            finding.due_date = actions[finding.id].due_date
        apply_transition(actor, application, "require_corrective_actions",
                         values={"stage_deadline": latest},
                         data={"findings": {str(f.id): f.due_date.isoformat() for f in findings}})
        notify(enterprise_users(application.enterprise_id), "corrective_actions",
               _l("Corrective actions are required for application %(ref)s by %(date)s.",
                 ref=application.reference, date=LocalDate(latest)),
               exporter_link(application))
    return latest


def _finding(application: Application, finding_id: int) -> Finding:
    finding = next((f for f in findings_of(application) if f.id == finding_id), None)
    if finding is None:
        raise NotFound(_("No such finding."))
    return finding


def _move_finding(finding: Finding, expected: tuple[str, ...], **values) -> None:
    """Guarded update: of two racing decisions on one finding, exactly one applies."""
    result = db.session.execute(
        update(Finding).where(Finding.id == finding.id, Finding.status.in_(expected))
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(stale_message())
    db.session.expire(finding)


def _touch_application(application: Application) -> None:
    """Guarded update keeping the state: the corrective-actions stage must still be running."""
    result = db.session.execute(
        update(Application).where(Application.id == application.id,
                                  Application.state == State.corrective_actions)
        .values(version=Application.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(stale_message())


def _check_repeat(actor: User, finding: Finding, sha256: str, note: str) -> None:
    """:raise AlreadyUploaded: the finding's evidence awaiting verification is this file
    (`sha256`) with this note already (the form sent twice)."""
    earlier = finding.evidence_document
    if (finding.status == "evidence_submitted" and earlier is not None
            and earlier.sha256 == sha256 and finding.evidence_note == note):
        raise AlreadyUploaded(earlier, already_there(actor, earlier))


def _evidence_document(actor, application, stored: StoredFile, filename: str) -> Document:
    """The next evidence version of the application (counted first: see _add_evidence)."""
    version = 1 + (db.session.scalar(select(func.max(Document.version)).where(
        Document.application_id == application.id,
        Document.document_type_code == EVIDENCE_TYPE)) or 0)
    return Document(application_id=application.id, document_type_code=EVIDENCE_TYPE,
                    version=version, original_name=display_name(filename, stored.content_type),
                    content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
                    uploaded_by_id=actor.id, review_status="pending")


def findings_to_correct(application: Application) -> list[Finding]:
    """Take an application; return the findings with a corrective action not yet closed."""
    return [f for f in findings_of(application) if f.corrective_action and f.status != "closed"]


def submit_corrective_evidence(actor: User, application: Application, finding_id: int,
                               stream: BinaryIO, filename: str, note: str = "") -> Finding:
    """The exporter uploads evidence for one finding; the application keeps its state.

    The file becomes a new 'corrective_evidence' document linked to the finding, whose status
    becomes evidence_submitted; audited as the workflow action submit_corrective_evidence.
    :raise NotFound: not the actor's application, or no such finding awaiting evidence.
    :raise IllegalTransition: corrective actions are not (or no longer) requested.
    :raise ValidationFailed: the file is not PDF, JPEG or PNG. :raise Conflict: lost a race.
    :raise AlreadyUploaded: the finding's evidence awaiting verification is this file with this
        note already (the form sent twice, at the same instant too); nothing is added.
    """
    require_owner(actor, application)
    check_transition(State(application.state), "submit_corrective_evidence", actor.role)
    finding = _finding(application, finding_id)
    if not finding.corrective_action or finding.status == "closed":
        raise NotFound(_("This finding does not wait for evidence."))
    note = (note or "").strip()
    stored = store_upload(actor, stream,
                          lambda sha256: _check_repeat(actor, finding, sha256, note))
    return with_next_version(lambda: _add_evidence(actor, application, finding, stored,
                                                   filename, note))


def _add_evidence(actor: User, application: Application, finding: Finding, stored: StoredFile,
                  filename: str, note: str) -> Finding:
    """In one transaction, the evidence's version, then the finding as it is now: the same
    file and note sent at the same instant either finds the first's evidence there
    (AlreadyUploaded) or takes its version, which the constraint refuses."""
    with transaction():
        document = _evidence_document(actor, application, stored, filename)
        db.session.refresh(finding)
        _check_repeat(actor, finding, stored.sha256, note)
        db.session.add(document)
        db.session.flush()
        _move_finding(finding, ("open", "evidence_submitted"), status="evidence_submitted",
                      evidence_document_id=document.id, evidence_note=note)
        _touch_application(application)
        record_event(actor, "submit_corrective_evidence", object_type="finding",
                     object_id=finding.id, application_id=application.id,
                     from_state=State.corrective_actions.value,
                     to_state=State.corrective_actions.value, comment=note,
                     data={"document": document.id, "sha256": document.sha256,
                           "version": document.version})
        notify(inspectors_to_tell(application), "corrective_actions",
               _l("Evidence was uploaded for a finding of application %(ref)s.",
                 ref=application.reference),
               inspector_link(application))
    return finding


def verify_finding(actor: User, application: Application, finding_id: int, close: bool,
                   comment: str = "") -> Finding:
    """The inspector closes a finding whose evidence is convincing, or re-opens it (a reason).

    :raise NotFound: no such finding of this application.
    :raise IllegalTransition: corrective actions are not running, or the finding has no
        evidence to close (stale page).
    :raise ValidationFailed: re-opened without a reason. :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    if application.state != State.corrective_actions:
        raise IllegalTransition(application.state, "verify_finding", actor.role, defined=False)
    finding = _finding(application, finding_id)
    comment = (comment or "").strip()
    expected = ("evidence_submitted",) if close else ("evidence_submitted", "closed")
    if finding.status not in expected:
        raise IllegalTransition(finding.status, "verify_finding", actor.role, defined=False)
    if not close and not comment:
        raise ValidationFailed({"comment": [_("Say why the evidence is not sufficient.")]})
    with transaction():
        _move_finding(finding, expected, status="closed" if close else "open",
                      verified_by_id=actor.id, verified_at=utcnow())
        record_event(actor, "finding_closed" if close else "finding_reopened",
                     object_type="finding", object_id=finding_id,
                     application_id=application.id, comment=comment)
        if not close:
            notify(enterprise_users(application.enterprise_id), "corrective_actions",
                   _l("A finding of application %(ref)s was re-opened: %(why)s",
                     ref=application.reference, why=comment), exporter_link(application))
    return finding


def verification_blockers(application: Application) -> list[Finding]:
    """Take an application; return the findings that keep corrective actions from being verified."""
    return findings_to_correct(application)


def verify_corrective_actions(actor: User, application: Application) -> None:
    """Close the corrective-actions stage (→ inspected) once every corrected finding is closed.

    :raise ValidationFailed: some finding is not closed yet (each is named).
    :raise IllegalTransition: not in corrective actions (stale page). :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    check_transition(State(application.state), "verify_corrective_actions", actor.role)
    if blockers := verification_blockers(application):
        raise ValidationFailed({"": [
            _("Finding %(n)d (%(requirement)s) is not closed yet.", n=f.number,
              requirement=f.requirement) for f in blockers]})
    with transaction():
        apply_transition(actor, application, "verify_corrective_actions",
                         values={"stage_deadline": None})
