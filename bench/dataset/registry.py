"""Registrations in China, certificates issued for them, and the users' notifications."""

import hashlib
from collections import defaultdict
from datetime import timedelta

from bench.dataset.bulk import insert_rows
from bench.dataset.names import china_number, make_bin
from bench.dataset.plans import Plan
from bench.dataset.world import World
from certtrack.domain.calendar import regime_for, registration_valid_to
from certtrack.domain.identifiers import format_certificate_number
from certtrack.domain.verification import verification_url
from certtrack.models import (
    Certificate,
    CertificateCounter,
    Notification,
    Registration,
    StoredPdf,
    User,
)
from certtrack.services import print_terms
from certtrack.services.print_context import CERTIFICATE_SCHEMA_VERSION, authority

SHARED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids"
              b"[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"
              b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
VERIFY_BASE = "https://certtrack.example.kz"


def verification_code(certificate_id: int) -> str:
    """The unguessable-looking code of a bench certificate (derived, so the bench can use it)."""
    return hashlib.sha256(f"bench certificate {certificate_id}".encode()).hexdigest()[:20]


def insert_registry(world: World) -> None:
    """Write registrations of registered applications, their certificates and notifications."""
    conn = world.conn
    registrations = _registrations(world)
    world.counts["registration"] = insert_rows(conn, Registration.__table__, registrations,
                                               len(registrations))
    certificates = _certificates(world, registrations)
    pdf = {"kind": "certificate", "sha256": hashlib.sha256(SHARED_PDF).hexdigest(),
           "size": len(SHARED_PDF), "pages": 1, "content": SHARED_PDF, "created_at": world.now}
    insert_rows(conn, StoredPdf.__table__, ({"id": row["id"], **pdf} for row in certificates),
                len(certificates))
    world.counts["certificate"] = insert_rows(conn, Certificate.__table__, certificates,
                                              len(certificates))
    counters = defaultdict(int)
    for row in certificates:
        counters[row["year"]] = max(counters[row["year"]], row["serial"])
    insert_rows(conn, CertificateCounter.__table__,
                [{"year": y, "last_serial": s} for y, s in sorted(counters.items())],
                len(counters))
    notes = list(_notifications(world))
    world.counts["notification"] = insert_rows(conn, Notification.__table__, notes, len(notes))


def _status(world: World, plan: Plan, live: dict) -> str:
    key = (plan.establishment_id, plan.category)
    if live.get(key, plan.id) != plan.id:
        return "expired"  # a newer listing of the same establishment and category replaced it
    draw = world.rng.random()
    return "suspended" if draw < 0.04 else "revoked" if draw < 0.06 else "active"


def _registrations(world: World) -> list[dict]:
    registered = [plan for plan in world.plans if plan.state == "registered"]
    live = {(plan.establishment_id, plan.category): plan.id
            for plan in sorted(registered, key=lambda p: p.changed_at)}
    rows = []
    for number, plan in enumerate(registered, start=1):
        listed = plan.changed_at.date()
        status = _status(world, plan, live)
        rows.append({
            "id": number, "application_id": plan.id, "enterprise_id": plan.enterprise_id,
            "establishment_id": plan.establishment_id, "gacc_category_code": plan.category,
            "china_number": china_number(number, plan.category), "listing_date": listed,
            "valid_from": listed, "valid_to": registration_valid_to(listed),
            "route": "under_guarantee", "regime": regime_for(listed), "status": status,
            "status_changed_at": plan.changed_at, "suspension_authority": "",
            "suspension_reason": "Residues above the limit" if status == "suspended" else "",
            "suspended_from": listed + timedelta(days=200) if status == "suspended" else None,
            "suspended_until": None, "products_produced_from": None, "status_reference": "",
            "created_at": plan.changed_at, "version": 1})
    return rows


# One active registration in WITHOUT_CERTIFICATE has no certificate yet (it was asked for
# later): `make bench` issues certificates for those, as the registrar does.
WITHOUT_CERTIFICATE = 6


def awaits_certificate(registration: dict) -> bool:
    """True for the active registrations the dataset leaves without a certificate."""
    return registration["status"] == "active" and registration["id"] % WITHOUT_CERTIFICATE == 0


def _certificate_data(world: World, registration: dict, number: str, code: str) -> dict:
    """The certificate's context as issue_certificate() stores it (dates as ISO strings):
    print_context.certificate_context's shape, signed in the authority's name."""
    plan = world.plans[registration["application_id"] - 1]
    names, ref = world.enterprise_names[plan.enterprise_id], world.ref
    category, region = plan.category, plan.region
    site = f"{region}, site {plan.establishment_id}"
    return {
        "schema_version": CERTIFICATE_SCHEMA_VERSION,
        "number": number, "verification_url": verification_url(VERIFY_BASE, number, code),
        "issued_on": registration["listing_date"].isoformat(),
        "valid_from": registration["valid_from"].isoformat(),
        "valid_to": registration["valid_to"].isoformat(),
        "listed_on": registration["listing_date"].isoformat(),
        "legal_basis": dict(print_terms.LEGAL_BASES.get(registration["regime"], {})),
        "exporting_country": dict(print_terms.EXPORTING_COUNTRY),
        "addressee": dict(print_terms.GACC),
        "enterprise": {"name": {lang: names[f"name_{lang}"] for lang in ("kk", "ru", "en", "zh")
                                if names[f"name_{lang}"]}, "bin": make_bin(plan.enterprise_id),
                       "legal_address": site},
        "establishment": {"name": {"kk": f"Establishment {plan.establishment_id}"},
                          "address": {"kk": site}, "type": {},
                          "approval_number": f"{region}-{plan.establishment_id:06d}"},
        "region": {"code": region, "name": ref.names[region]},
        "category": {"code": category, "name": ref.names[category]},
        "products": [{"hs_code": ref.hs_codes[code], "name": ref.names[code]}
                     for code in plan.products],
        "china_registration_number": registration["china_number"],
        "authority": authority(plan.committee),
        "officer": {"name": authority(plan.committee)["name"], "position": {}},
    }


def _certificates(world: World, registrations: list[dict]) -> list[dict]:
    rows, serials = [], defaultdict(int)
    for registration in registrations:
        if registration["status"] not in ("active", "suspended") \
                or awaits_certificate(registration):
            continue
        issued = registration["created_at"] + timedelta(days=3)
        serials[issued.year] += 1
        cert_id = len(rows) + 1
        number = format_certificate_number(issued.year, serials[issued.year])
        code = verification_code(cert_id)
        rows.append({"id": cert_id, "number": number, "year": issued.year,
                     "serial": serials[issued.year], "verification_code": code,
                     "registration_id": registration["id"], "replaces_id": None,
                     "pdf_id": cert_id,  # each certificate its own stored PDF (unique)
                     "data": _certificate_data(world, registration, number, code),
                     "issued_at": issued, "issued_by_id": world.registrars[0],
                     "revoked_at": None})
    return rows


def _notifications(world: World):
    rows = world.conn.execute(User.__table__.select().with_only_columns(
        User.__table__.c.id, User.__table__.c.role)).all()
    next_id = 1
    for user_id, role in rows:
        count, unread = (20, 3) if role != "exporter" else (3, 1)
        for number in range(count):
            yield {"id": next_id, "user_id": user_id, "kind": "assigned",
                   "message": f"Application A-{number + 1:06d} was assigned to you.",
                   "link": f"/inspector/applications/{number + 1}", "dedupe_key": None,
                   "created_at": world.ago(number), "read_at": None if number < unread
                   else world.ago(number)}
            next_id += 1
