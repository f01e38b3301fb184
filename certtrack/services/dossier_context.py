"""The plain context of a recommendation dossier, read from the database (pdf DossierContext).

The dossier goes to GACC, so its wording is English (with Chinese headings in the template),
whatever the registrar's language; names keep every language they were given in.
"""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, LabResult
from certtrack.services.applications import latest_documents, timeline
from certtrack.services.inspections import current_inspection, findings_of
from certtrack.services.laboratory import plain
from certtrack.services.print_context import authority, local_time, names
from certtrack.services.quarantine import measurements_of

ADDRESSEE = {"name": "General Administration of Customs of the People’s Republic of China",
             "department": "Import and Export Food Safety Bureau",
             "address": "No. 6 Jianguomennei Avenue, Dongcheng District, Beijing"}
LETTER = (
    "In accordance with the bilateral protocols between the Ministry of Agriculture of the "
    "Republic of Kazakhstan and the General Administration of Customs of the People’s Republic "
    "of China and with GACC Decree No. 248, the {committee} recommends the {count} listed "
    "below for registration.",
    "Each establishment has been inspected by state inspectors of the competent authority; "
    "the findings, the corrective actions and the laboratory results against the limits of "
    "the national food safety standards of the People’s Republic of China follow.",
    "The competent authority guarantees that these establishments are under its official "
    "supervision. The list of attached documents with their SHA-256 checksums is given for "
    "each establishment.",
    "We kindly request the General Administration of Customs to consider the registration "
    "of these establishments.",
)
QUESTIONS = (
    ("haccp_status", "HACCP"), ("haccp_details", "HACCP plan or certificate"),
    ("traceability", "Traceability procedure"),
    ("production_capacity", "Production capacity, tonnes per day"),
    ("storage_capacity", "Storage capacity, tonnes"), ("water_source", "Water source"),
    ("staff_count", "Staff"), ("last_inspection_date", "Last official inspection"),
    ("last_inspection_authority", "Inspecting authority"),
)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("_", " ")


def _date(moment: dt.datetime | None) -> dt.date | None:
    local = local_time(moment)
    return local.date() if local is not None else None


def _establishment(application) -> dict:
    establishment = application.establishment
    capacity = "; ".join(part for part in (
        f"{plain(application.production_capacity)} t/day"
        if application.production_capacity is not None else "",
        f"storage {plain(application.storage_capacity)} t"
        if application.storage_capacity is not None else "") if part)
    return {"name": {"en": establishment.name}, "type": _text(establishment.type).capitalize(),
            "address": establishment.address, "region": names(establishment.region),
            "approval_number": establishment.kz_registration_number, "capacity": capacity}


def _concluded_on(application) -> dt.date | None:
    moment = db.session.scalar(select(AuditEvent.at).where(
        AuditEvent.application_id == application.id, AuditEvent.action == "conclude_positive")
        .order_by(AuditEvent.seq.desc()).limit(1))
    return _date(moment)


def _findings(application) -> tuple[list[dict], list[dict]]:
    findings, actions = [], []
    for index, finding in enumerate(findings_of(application), start=1):
        ref = f"F{index}"
        findings.append({"ref": ref, "grade": finding.severity,
                         "requirement": finding.requirement, "description": finding.observation,
                         "status": _text(finding.status)})
        if finding.corrective_action:
            action = finding.corrective_action
            if finding.evidence_note:
                action += f" Evidence: {finding.evidence_note}"
            actions.append({"finding": ref, "action": action, "due_on": finding.due_date,
                            "closed_on": _date(finding.verified_at)
                            if finding.status == "closed" else None,
                            "status": _text(finding.status)})
    return findings, actions


# Measures of quarantine_requirements.csv, named in English and Chinese for GACC.
MEASURE_NAMES = {"moisture": "Moisture · 水分", "foreign_matter": "Foreign matter · 杂质",
                 "weed_seeds": "Quarantine weed seeds · 检疫性杂草籽",
                 "live_pests": "Live pests · 活虫"}


def _requirement(row) -> str:
    if row.requirement_kind == "max":
        return f"≤ {plain(row.requirement_value)} {row.unit}"
    return "none may be found" if row.requirement_kind == "none" else "no requirement"


def _measurements(application) -> list[dict]:
    return [{"product": row.product_code, "measure": MEASURE_NAMES.get(row.measure, row.measure),
             "value": f"{plain(row.value)} {row.unit}", "species": row.species,
             "requirement": _requirement(row),
             "verdict": "no requirement" if row.verdict == "no_requirement" else row.verdict,
             "source": row.requirement_source} for row in measurements_of(application)]


def _inspection(application) -> dict:
    inspection = current_inspection(application)
    findings, actions = _findings(application)
    measurements = _measurements(application)
    if inspection is None:
        return {"mode": "—", "date": None, "inspectors": [], "summary": "",
                "findings": findings, "corrective_actions": actions,
                "measurements": measurements}
    return {"mode": _text(inspection.mode), "date": inspection.performed_on or
            inspection.scheduled_for, "inspectors": [user.full_name for user in
                                                     inspection.inspectors],
            "summary": inspection.summary, "findings": findings, "corrective_actions": actions,
            "measurements": measurements}


def _limit(row: LabResult) -> str:
    limit = row.limit
    if limit is None:
        return ""
    if limit.kind == "max":
        return f"≤ {plain(limit.value)} {limit.unit}".strip()
    return "not detected" if limit.kind == "not_detected" else "absent"


def _value(row: LabResult) -> str:
    if row.value is not None:
        return plain(row.value)
    return {False: "not detected", True: "detected"}.get(row.detected, "")


def _lab_results(application) -> list[dict]:
    rows = db.session.scalars(select(LabResult).where(LabResult.application_id ==
                                                      application.id)
                              .order_by(LabResult.sample_id, LabResult.id))
    return [{"sample": row.sample.code, "laboratory": row.sample.laboratory,
             "tested_on": row.tested_on, "parameter": row.parameter, "value": _value(row),
             "unit": row.unit or "", "limit": _limit(row),
             "verdict": "compliant" if row.verdict == "below_loq" else row.verdict,
             "reason": ("below LOQ. " if row.verdict == "below_loq" else "") + row.reason,
             "source": row.limit_source} for row in rows]


def _documents(application) -> list[dict]:
    return [{"title": document.document_type.name_en, "filename": document.original_name,
             "size": document.size, "sha256": document.sha256,
             "uploaded_on": _date(document.uploaded_at)}
            for document in latest_documents(application).values()]


def _timeline(application) -> list[dict]:
    return [{"at": local_time(event.at), "actor": event.actor.full_name if event.actor
             else "certtrack", "action": _text(event.action).capitalize(),
             "from_state": event.from_state or "", "to_state": event.to_state or "",
             "comment": event.comment} for event in timeline(application)]


def enterprise_context(application) -> dict:
    """Take an application; return its DossierEnterprise: identity to audit timeline."""
    enterprise = application.enterprise
    return {
        "name": names(enterprise), "bin": enterprise.bin, "legal_address": enterprise.address,
        "representative": enterprise.legal_representative,
        "contact": " · ".join(part for part in (enterprise.phone, enterprise.email) if part),
        "establishment": _establishment(application),
        "application": {"number": application.reference, "kind": application.kind,
                        "category": names(application.gacc_category),
                        "submitted_on": _date(application.submitted_at),
                        "concluded_on": _concluded_on(application)},
        "products": [{"hs_code": line.product.hs_code, "name": names(line.product),
                      "volume": f"{plain(line.annual_volume)} {line.volume_unit}/year"}
                     for line in application.products],
        "questionnaire": [{"question": question, "answer": _text(getattr(application, name))}
                          for name, question in QUESTIONS],
        "inspection": _inspection(application), "lab_results": _lab_results(application),
        "documents": _documents(application), "timeline": _timeline(application),
        "conclusion": application.conclusion or "",
    }


def dossier_context(applications: list, *, reference: str, date: dt.date, signatory: str,
                    batch: str | None = None) -> dict:
    """Take the recommended applications and the letter's particulars; return a DossierContext.

    The authority is the committee of the first application's category. Changes nothing.
    """
    committee = applications[0].gacc_category.committee
    issuer = authority(committee)
    count = len(applications)
    what = "establishment" if count == 1 else f"{count} establishments"
    context = {
        "reference": reference, "date": date, "authority": issuer, "addressee": dict(ADDRESSEE),
        "subject": f"Recommendation of {'one Kazakh' if count == 1 else count} "
                   f"{'establishment' if count == 1 else 'Kazakh establishments'} for "
                   f"registration",
        "letter": [paragraph.format(committee=issuer["name"]["en"].split(",")[0], count=what)
                   for paragraph in LETTER],
        "signatory": {"name": signatory, "position": "Registrar"},
        "enterprises": [enterprise_context(application) for application in applications],
    }
    if batch:
        context["batch"] = batch
    return context
