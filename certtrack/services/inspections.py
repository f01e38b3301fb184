"""Inspections: scheduling, the committee's checklist, findings and their corrective actions."""

from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from certtrack.domain.workflow import IllegalTransition, Role, State, check_transition
from certtrack.extensions import db
from certtrack.models import Application, Finding, Inspection, User, user_regions
from certtrack.models.inspection import INSPECTION_MODES, SEVERITIES
from certtrack.services import repeated_entries
from certtrack.services.applications import apply_transition, latest_documents, local_today
from certtrack.services.audit import record_event
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import FindingInput
from certtrack.services.local_dates import LocalDate, format_day
from certtrack.services.notifications import enterprise_users, exporter_link, inspector_link, notify
from certtrack.services.permissions import require_inspector
from certtrack.services.printed_names import dossier_version_errors
from certtrack.services.reference import working_calendar
from certtrack.services.review import NOT_REVIEWED_TYPES
from certtrack.services.transaction import transaction

ANSWERS = ("yes", "no", "na")
FINDING_STATES = (State.inspection_scheduled, State.inspected)
MODE_NAMES = {"document": _l("document review"), "video": _l("video inspection"),
              "on_site": _l("on-site inspection")}


class ChecklistItem(NamedTuple):
    """One question of an inspection checklist."""

    key: str
    label: str


_COMMON_FIRST = (
    ChecklistItem("haccp", _l("HACCP system implemented and its records kept")),
    ChecklistItem("traceability", _l("Traceability demonstrated from a lot back to its supplier")),
)
_COMMON_LAST = (
    ChecklistItem("water_quality", _l("Water quality tested and fit for use")),
    ChecklistItem("staff_hygiene", _l("Staff hygiene, training and health checks")),
)
# Each committee's checklist (the inspection report of GACC Decree 248, Art. 8): data, not code.
CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    "phytosanitary": (
        *_COMMON_FIRST,
        ChecklistItem("pest_control", _l("Pest control programme in place and monitored")),
        ChecklistItem("storage_conditions",
                      _l("Storage conditions: clean, dry, moisture and temperature recorded")),
        ChecklistItem("quarantine_pests",
                      _l("No live insects, quarantine pests, weed seeds or soil in the produce")),
        *_COMMON_LAST,
    ),
    "veterinary": (
        *_COMMON_FIRST,
        ChecklistItem("animal_identification",
                      _l("Animal identification and movement records")),
        ChecklistItem("ante_post_mortem",
                      _l("Ante- and post-mortem inspection by an official veterinarian")),
        ChecklistItem("cold_chain", _l("Cold chain maintained and temperatures recorded")),
        ChecklistItem("banned_drugs",
                      _l("Controls on banned drugs (clenbuterol, ractopamine, chloramphenicol)")),
        *_COMMON_LAST,
    ),
}


# A veterinary category whose plants the meat questions do not fit: a dairy farm slaughters
# nothing, an apiary has neither animals to identify nor a cold chain.
CATEGORY_CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    "dairy": (
        *_COMMON_FIRST,
        ChecklistItem("animal_identification",
                      _l("Animal identification and movement records")),
        ChecklistItem("herd_health", _l("Herd health: tuberculosis and brucellosis tests by an "
                                        "official veterinarian")),
        ChecklistItem("milking_hygiene",
                      _l("Milking hygiene; milk cooled and its temperatures recorded")),
        ChecklistItem("drug_residues", _l("Veterinary drugs recorded and their withdrawal "
                                          "periods kept: no residues in the milk")),
        *_COMMON_LAST,
    ),
    "bee_products": (
        *_COMMON_FIRST,
        ChecklistItem("apiaries", _l("Apiaries registered, their places and hives recorded")),
        ChecklistItem("bee_drugs", _l("Treatments of the bees recorded; no banned antibiotics "
                                      "(chloramphenicol, nitrofurans)")),
        ChecklistItem("extraction_hygiene",
                      _l("Extraction, storage and packing hygienic; moisture recorded")),
        *_COMMON_LAST,
    ),
}
# Every question by its key, to show an inspection recorded with an earlier checklist.
CHECKLIST_LABELS = {item.key: item.label
                    for items in (*CHECKLISTS.values(), *CATEGORY_CHECKLISTS.values())
                    for item in items}


def checklist_for(application: Application) -> tuple[ChecklistItem, ...]:
    """Take an application; return the checklist of its category, else of the committee
    responsible for it."""
    category = application.gacc_category
    return CATEGORY_CHECKLISTS.get(category.code) or CHECKLISTS.get(
        category.committee, _COMMON_FIRST + _COMMON_LAST)


def list_inspections(application: Application) -> list[Inspection]:
    """Take an application; return its inspections, newest first, with findings and team."""
    query = (select(Inspection).where(Inspection.application_id == application.id)
             .order_by(Inspection.id.desc()))
    return list(db.session.scalars(query))


def current_inspection(application: Application) -> Inspection | None:
    """Take an application; return its latest inspection, or None."""
    return next(iter(list_inspections(application)), None)


def findings_of(application: Application) -> list[Finding]:
    """Take an application; return the findings of all its inspections, oldest first."""
    query = select(Finding).where(Finding.application_id == application.id).order_by(Finding.id)
    return list(db.session.scalars(query))



def team_candidates(application: Application) -> list[User]:
    """Take an application; return who may inspect it: active inspectors of its committee who
    cover its region, and its assignee."""
    covers = select(user_regions.c.user_id).where(
        user_regions.c.region_code == application.region_code)
    query = (select(User).where(User.role == Role.inspector, User.is_active.is_(True),
                                User.committee == application.gacc_category.committee,
                                User.id.in_(covers) | (User.id == application.assignee_id))
             .order_by(User.full_name, User.id))
    return list(db.session.scalars(query))


def _working_day_errors(scheduled_for: date, outside_hours: bool,
                        reason: str) -> dict[str, list[str]]:
    """A weekend day or public holiday needs "outside working hours" and its reason."""
    if outside_hours and not reason.strip():
        return {"outside_hours_reason": [_("Say why the inspection is held outside working "
                                           "hours.")]}
    if outside_hours or working_calendar().is_working_day(scheduled_for):
        return {}
    return {"scheduled_for": [_(
        "%(date)s is a weekend day or a public holiday. Choose a working day, or tick "
        "“Outside working hours” and say why.", date=LocalDate(scheduled_for))]}


def _schedule_errors(mode, scheduled_for, team, inspector_ids, outside_hours: bool = False,
                     reason: str = "") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if mode not in INSPECTION_MODES:
        errors["mode"] = [_("Choose document, video or on-site.")]
    if scheduled_for is None or scheduled_for < local_today():
        errors["scheduled_for"] = [_("Choose a date from today on.")]
    else:
        errors.update(_working_day_errors(scheduled_for, outside_hours, reason))
    if not team or len(team) != len(set(inspector_ids or ())):
        errors["inspector_ids"] = [_("Choose at least one inspector of the committee who "
                                     "covers the establishment's region.")]
    return errors


def _documents_not_accepted(application: Application) -> int:
    """How many of the documents the completeness check covers are pending or rejected."""
    return sum(1 for document in latest_documents(application).values()
               if document.document_type_code not in NOT_REVIEWED_TYPES
               and document.review_status != "accepted")


def schedule_errors(application: Application, mode: str | None, scheduled_for: date | None,
                    inspector_ids, outside_working_hours: bool = False,
                    outside_hours_reason: str | None = "") -> dict[str, list[str]]:
    """Take an application and the inspection's entries (an entry the form could not read
    given as None); return every error at once (field -> messages, '' for the application:
    documents still undecided; empty when none). Changes nothing."""
    team = [u for u in team_candidates(application) if u.id in set(inspector_ids or ())]
    reason = (outside_hours_reason or "").strip() if outside_working_hours else ""
    errors = _schedule_errors(mode, scheduled_for, team, inspector_ids,
                              outside_working_hours, reason)
    if application.state == State.under_review and (
            undecided := _documents_not_accepted(application)):  # a stale page: the transition
        errors[""] = [ngettext(
            "The completeness check comes first: %(num)d document is not accepted yet (accept "
            "it, or return the application for corrections).",
            "The completeness check comes first: %(num)d documents are not accepted yet "
            "(accept them, or return the application for corrections).", undecided)]
    return errors


def schedule_inspection(actor: User, application: Application, mode: str,
                        scheduled_for: date | None, inspector_ids: list[int], *,
                        outside_working_hours: bool = False,
                        outside_hours_reason: str = "") -> Inspection:
    """Schedule the inspection (under_review → inspection_scheduled) and notify the exporter.

    The stage deadline becomes the inspection date. A weekend day or a public holiday
    (the working calendar) is refused unless `outside_working_hours` with a reason.
    :raise ValidationFailed: unknown mode, a past date, a day off without "outside working
        hours" and its reason, or no valid inspector.
    :raise IllegalTransition: not under review (stale page). :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    team = [u for u in team_candidates(application) if u.id in set(inspector_ids or ())]
    if errors := schedule_errors(application, mode, scheduled_for, inspector_ids,
                                 outside_working_hours, outside_hours_reason):
        raise ValidationFailed(errors)
    reason = (outside_hours_reason or "").strip() if outside_working_hours else ""
    with transaction():
        inspection = Inspection(application_id=application.id, mode=mode,
                                scheduled_for=scheduled_for, created_by_id=actor.id,
                                inspectors=team, outside_working_hours=bool(outside_working_hours),
                                outside_hours_reason=reason)
        db.session.add(inspection)
        apply_transition(actor, application, "schedule_inspection",
                         values={"stage_deadline": scheduled_for},
                         data={"mode": mode, "date": scheduled_for.isoformat(),
                               "inspectors": [u.id for u in team],
                               "outside_working_hours": reason or None})
        message = _l("An inspection (%(mode)s) of application %(ref)s is scheduled for %(date)s.",
                    mode=MODE_NAMES[mode], ref=application.reference,
                    date=LocalDate(scheduled_for))
        notify(enterprise_users(application.enterprise_id), "inspection_scheduled", message,
               exporter_link(application))
        notify([u for u in team if u.id != actor.id], "inspection_scheduled", message,
               inspector_link(application))
    return inspection


def _finding_errors(data: FindingInput) -> dict[str, list[str]]:
    """A finding's errors: the requirement and the observation are required, each with its
    version for the dossier to GACC when written in Cyrillic."""
    errors = dossier_version_errors(
        requirement_en=(data.requirement, data.requirement_en),
        observation_en=(data.observation, data.observation_en))
    for field in ("requirement", "observation"):
        if not (getattr(data, field) or "").strip():
            errors[field] = [_("This field is required.")]
    if data.severity not in SEVERITIES:
        errors["severity"] = [_("Choose critical, major or minor.")]
    return errors


def add_finding(actor: User, application: Application, data: FindingInput) -> Finding:
    """Record a finding (requirement, observation, clause, severity) of the latest inspection.

    :raise ValidationFailed: a required field is empty, the severity unknown, or a version
        for the dossier missing or in Cyrillic (printed_names.dossier_version_errors).
    :raise IllegalTransition: no inspection scheduled or performed now (stale page).
    """
    require_inspector(actor, application)
    inspection = current_inspection(application)
    if application.state not in FINDING_STATES or inspection is None:
        raise IllegalTransition(application.state, "add_finding", actor.role, defined=False)
    if errors := _finding_errors(data):
        raise ValidationFailed(errors)
    repeated_entries.refuse_repeat("finding", repeated_entries.finding(actor, application, data))
    with transaction():
        finding = Finding(inspection=inspection, application_id=application.id,
                          severity=data.severity,
                          requirement=data.requirement.strip(),
                          observation=data.observation.strip(),
                          requirement_en=(data.requirement_en or "").strip(),
                          observation_en=(data.observation_en or "").strip(),
                          clause=(data.clause or "").strip())
        db.session.add(finding)
        db.session.flush()
        record_event(actor, "finding_recorded", object_type="finding", object_id=finding.id,
                     application_id=application.id, comment=finding.observation,
                     data={"severity": finding.severity, "requirement": finding.requirement,
                           "clause": finding.clause})
    return finding


def _checklist_errors(items, answers: dict, performed_on,
                      scheduled_on: date | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in items:
        answer = answers.get(item.key) or {}
        if answer.get("answer") not in ANSWERS:
            errors[f"answer_{item.key}"] = [_("Answer yes, no or not applicable.")]
        elif answer["answer"] == "no" and not (answer.get("note") or "").strip():
            errors[f"note_{item.key}"] = [_("Explain what is missing.")]
    if performed_on is None or performed_on > local_today():
        errors["performed_on"] = [_("Give the day of the inspection, not in the future.")]
    elif scheduled_on is not None and performed_on < scheduled_on:
        errors["performed_on"] = [_("The inspection took place once it was scheduled: not "
                                    "before %(date)s.", date=format_day(scheduled_on))]
    return errors


def _scheduled_on(inspection: Inspection) -> date | None:
    """The day, in Kazakhstan, on which the inspection was scheduled."""
    if inspection is None or inspection.created_at is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return inspection.created_at.astimezone(zone).date()


def record_inspection(actor: User, application: Application, performed_on: date | None,
                      answers: dict, summary: str = "", summary_en: str = "") -> Inspection:
    """Record the checklist answers of the scheduled inspection (→ inspected).

    `answers` maps each checklist key to {"answer": yes/no/na, "note": text}.
    `summary` is the inspector's, in Kazakh or Russian; `summary_en` its version for the
    dossier to GACC. :raise ValidationFailed: an unanswered question, a "no" without a note, a
    future date, or `summary_en` in Cyrillic or missing beside a Cyrillic `summary`
    (printed_names.dossier_version_errors).
    :raise IllegalTransition: no inspection scheduled (stale page). :raise Conflict: lost a race.
    """
    require_inspector(actor, application)
    inspection = current_inspection(application)
    check_transition(State(application.state), "record_inspection", actor.role)
    items = checklist_for(application)
    if errors := {**_checklist_errors(items, answers, performed_on, _scheduled_on(inspection)),
                  **dossier_version_errors(summary_en=(summary, summary_en))}:
        raise ValidationFailed(errors)
    with transaction():
        inspection.performed_on, inspection.summary = performed_on, (summary or "").strip()
        inspection.summary_en = (summary_en or "").strip()
        inspection.checklist = {item.key: {"answer": answers[item.key]["answer"],
                                           "note": (answers[item.key].get("note") or "").strip()}
                                for item in items}
        apply_transition(actor, application, "record_inspection", comment=inspection.summary,
                         values={"stage_deadline": None},
                         data={"inspection": inspection.id, "performed_on": performed_on
                               .isoformat(), "findings": len(inspection.findings)})
    return inspection
