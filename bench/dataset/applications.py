"""Applications with their product lines and documents, and the GACC batches they went in."""

import hashlib
from datetime import timedelta
from decimal import Decimal

from bench.dataset.bulk import insert_rows
from bench.dataset.plans import Plan, make_plan, owners
from bench.dataset.world import World
from certtrack.models import Application, ApplicationProduct, Document, GaccBatch

LONG_TIMELINE_VERSIONS = 3


def insert_applications(world: World) -> None:
    """Plan every application, then write batches, applications, products and documents."""
    count = world.sizes.applications
    world.plans = [make_plan(world, app_id, enterprise_id, long=app_id == 1)
                   for app_id, enterprise_id in enumerate(owners(world, count), start=1)]
    batches = _batches(world)
    conn = world.conn
    world.counts["gacc_batch"] = insert_rows(conn, GaccBatch.__table__, batches, len(batches))
    world.counts["application"] = insert_rows(conn, Application.__table__,
                                              map(_application_row, world.plans), count)
    lines = [row for plan in world.plans for row in _product_rows(world, plan)]
    world.counts["application_product"] = insert_rows(
        conn, ApplicationProduct.__table__, ({"id": n, **row} for n, row in enumerate(lines, 1)),
        len(lines))
    total = sum(_document_count(world, plan) for plan in world.plans)
    world.counts["document"] = insert_rows(conn, Document.__table__, _documents(world), total)


def _batches(world: World) -> list[dict]:
    """One batch per committee and week of sending; every sent application gets its batch."""
    ids: dict[tuple[str, int, int], int] = {}
    rows = []
    for plan in world.plans:
        sent = next((step for step in plan.steps if step.action == "submit_to_gacc"), None)
        if sent is None:
            continue
        year, week, _day = sent.at.isocalendar()
        key = (plan.committee, year, week)
        if key not in ids:
            ids[key] = len(rows) + 1
            rows.append({"id": ids[key], "reference": f"GACC-{plan.committee[:4].upper()}-"
                                                      f"{year}-W{week:02d}",
                         "submitted_on": sent.at.date(), "created_by_id": sent.actor_id,
                         "created_at": sent.at})
        plan.gacc_batch_id = ids[key]
    return rows


def _application_row(plan: Plan) -> dict:
    submitted = next((step.at for step in plan.steps if step.action == "submit"), None)
    complete = plan.state != "draft" or plan.id % 2 == 0
    return {
        "id": plan.id, "enterprise_id": plan.enterprise_id,
        "establishment_id": plan.establishment_id, "region_code": plan.region, "kind": plan.kind,
        "gacc_category_code": plan.category, "state": plan.state,
        "state_changed_at": plan.changed_at, "stage_deadline": plan.deadline(),
        "submitted_at": submitted, "created_by_id": None, "assignee_id": plan.assignee_id,
        "gacc_batch_id": plan.gacc_batch_id, "renewal_of_id": None,
        "conclusion": "Meets the requirements of the protocol." if plan.took(
            "conclude_positive") else "",
        "created_at": plan.created_at, "updated_at": plan.changed_at,
        "version": len(plan.steps) + 1,
        "haccp_status": "certified" if complete else None,
        "haccp_details": "ISO 22000:2018" if complete else "",
        "traceability": "Lot numbers from field to wagon" if complete else "",
        "production_capacity": Decimal(50 + plan.id % 400) if complete else None,
        "storage_capacity": Decimal(1000 + plan.id % 9000) if complete else None,
        "water_source": "municipal" if complete else None,
        "staff_count": 10 + plan.id % 300 if complete else None,
        "last_inspection_date": None, "last_inspection_authority": "",
    }


def _product_rows(world: World, plan: Plan) -> list[dict]:
    choices = world.ref.products_of[plan.category]
    chosen = world.rng.sample(choices, min(len(choices), world.rng.randint(1, 3)))
    unit = "kg" if plan.category == "bee_products" else "t"
    plan.products = chosen
    return [{"application_id": plan.id, "product_code": code,
             "annual_volume": Decimal(world.rng.randint(10, 50_000)), "volume_unit": unit}
            for code in chosen]


def _document_count(world: World, plan: Plan) -> int:
    if not plan.steps:
        return 0
    versions = LONG_TIMELINE_VERSIONS if plan.id == 1 else 1
    return versions * len(world.ref.required_documents[(plan.category, plan.kind)])


def _documents(world: World):
    next_id = 1
    for plan in world.plans:
        if not plan.steps:
            continue
        uploader = world.exporter_of[plan.enterprise_id]
        reviewed = plan.took("schedule_inspection")
        versions = LONG_TIMELINE_VERSIONS if plan.id == 1 else 1
        for code in world.ref.required_documents[(plan.category, plan.kind)]:
            for version in range(1, versions + 1):
                yield _document(plan, next_id, code, version, uploader,
                                reviewed and version == versions)
                next_id += 1


def _document(plan: Plan, doc_id: int, code: str, version: int, uploader: int,
              accepted: bool) -> dict:
    uploaded = plan.created_at + timedelta(hours=version)
    return {"id": doc_id, "application_id": plan.id, "document_type_code": code,
            "version": version, "original_name": f"{code}-{version}.pdf",
            "content_type": "application/pdf", "size": 50_000 + doc_id % 900_000,
            "sha256": hashlib.sha256(f"bench {doc_id}".encode()).hexdigest(),
            "uploaded_by_id": uploader, "uploaded_at": uploaded,
            "review_status": "accepted" if accepted else "pending", "review_comment": "",
            "reviewed_by_id": plan.assignee_id if accepted else None,
            "reviewed_at": uploaded + timedelta(days=3) if accepted else None}
