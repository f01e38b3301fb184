"""The inspectors' work: correction requests, inspections and findings, samples and lab results."""

from datetime import timedelta
from decimal import Decimal

from bench.dataset.bulk import insert_rows
from bench.dataset.plans import Plan
from bench.dataset.world import World
from certtrack.models import CorrectionRequest, Finding, Inspection, LabResult, Sample
from certtrack.models.inspection import inspection_inspectors

SEVERITIES = ("minor", "minor", "major", "critical")
CHECKLIST = {"premises": "yes", "water": "yes", "pest_control": "yes", "traceability": "yes"}


def insert_work(world: World) -> None:
    """Write correction requests, inspections (with inspectors and findings), samples, results."""
    conn = world.conn
    corrections = list(_corrections(world))
    world.counts["correction_request"] = insert_rows(conn, CorrectionRequest.__table__,
                                                     corrections, len(corrections))
    inspected = [plan for plan in world.plans if plan.took("schedule_inspection")]
    world.counts["inspection"] = insert_rows(conn, Inspection.__table__,
                                             map(_inspection, inspected), len(inspected))
    crew = [{"inspection_id": plan.id, "user_id": plan.assignee_id} for plan in inspected
            if plan.assignee_id]
    insert_rows(conn, inspection_inspectors, crew, len(crew), "inspection_inspector")
    findings = list(_findings(world, inspected))
    world.counts["finding"] = insert_rows(conn, Finding.__table__, findings, len(findings))
    samples = list(_samples(world))
    world.counts["sample"] = insert_rows(conn, Sample.__table__, samples, len(samples))
    world.counts["lab_result"] = insert_rows(conn, LabResult.__table__,
                                             _results(world, samples), world.sizes.lab_results)


def _corrections(world: World):
    next_id = 1
    for plan in world.plans:
        for index, step in enumerate(plan.steps):
            if step.action != "return_for_corrections":
                continue
            resolved = plan.steps[index + 1].at if index + 1 < len(plan.steps) else None
            yield {"id": next_id, "application_id": plan.id, "source": "inspection",
                   "deficiencies": "Water test report older than 12 months\nSite plan unsigned",
                   "response_deadline": (step.at + timedelta(days=14)).date(),
                   "created_by_id": step.actor_id, "created_at": step.at,
                   "resolved_at": resolved}
            next_id += 1


def _inspection(plan: Plan) -> dict:
    """One inspection per inspected application; its id is the application's id."""
    scheduled = next(step for step in plan.steps if step.action == "schedule_inspection")
    performed = next((step for step in plan.steps if step.action == "record_inspection"), None)
    return {"id": plan.id, "application_id": plan.id,
            "mode": "on_site" if plan.committee == "veterinary" else "document",
            "scheduled_for": (scheduled.at + timedelta(days=7)).date(),
            "performed_on": performed.at.date() if performed else None,
            "checklist": CHECKLIST if performed else {},
            "summary": "No critical non-conformity." if performed else "",
            "created_by_id": scheduled.actor_id, "created_at": scheduled.at}


def _findings(world: World, inspected: list[Plan]):
    next_id = 1
    for plan in inspected:
        performed = next((s for s in plan.steps if s.action == "record_inspection"), None)
        if performed is None:
            continue
        for _ in range(world.rng.choice((0, 0, 1, 2))):
            closed = plan.took("verify_corrective_actions") or plan.took("send_to_lab")
            yield {"id": next_id, "inspection_id": plan.id, "application_id": plan.id,
                   "requirement": "Cleaning and disinfection records kept",
                   "observation": "Records missing for two shifts", "clause": "GB 14881 §8.2",
                   "severity": world.rng.choice(SEVERITIES),
                   "status": "closed" if closed else "open",
                   "corrective_action": "Keep the log at every shift",
                   "due_date": (performed.at + timedelta(days=30)).date(),
                   "evidence_document_id": None, "evidence_note": "",
                   "verified_by_id": plan.assignee_id if closed else None,
                   "verified_at": performed.at + timedelta(days=10) if closed else None,
                   "created_at": performed.at}
            next_id += 1


def _samples(world: World):
    next_id = 1
    for plan in world.plans:
        sent = next((step for step in plan.steps if step.action == "send_to_lab"), None)
        if sent is None:
            continue
        for number, product in enumerate(plan.products[:2], start=1):
            yield {"id": next_id, "application_id": plan.id, "code": f"S-{plan.id}-{number}",
                   "product_code": product, "taken_on": sent.at.date(), "matrix": product,
                   "laboratory": f"{plan.region} regional laboratory",
                   "created_by_id": sent.actor_id, "created_at": sent.at}
            next_id += 1


def _results(world: World, samples: list[dict]):
    """Spread the requested number of results over the samples, parameter by parameter."""
    if not samples:
        return
    share, extra = divmod(world.sizes.lab_results, len(samples))
    next_id = 1
    for index, sample in enumerate(samples):
        limits = world.ref.limits_of.get(sample["product_code"]) or [(None, "moisture", "%")]
        for number in range(share + (index < extra)):
            limit_id, parameter, unit = limits[number % len(limits)]
            yield _result(world, next_id, sample, limit_id, parameter, unit)
            next_id += 1


def _result(world: World, result_id: int, sample: dict, limit_id, parameter: str,
            unit: str) -> dict:
    compliant = world.rng.random() < 0.95
    tested = sample["taken_on"] + timedelta(days=5)
    return {"id": result_id, "sample_id": sample["id"],
            "application_id": sample["application_id"], "limit_id": limit_id,
            "parameter": parameter, "value": Decimal(world.rng.randint(1, 900)),
            "unit": unit, "loq": Decimal(1), "detected": None, "method": "GB 5009",
            "tested_on": tested, "valid_days": 365,
            "verdict": "compliant" if compliant else "non_compliant",
            "reason": "" if compliant else "above the limit", "limit_source": "GB 2761",
            "limit_confidence": "V", "recorded_by_id": sample["created_by_id"],
            "recorded_at": sample["created_at"] + timedelta(days=6)}
