"""Enterprises, their establishments, and the people: exporters, inspectors, registrars."""

import time

import pyotp
from werkzeug.security import generate_password_hash

from bench.dataset.bulk import insert_rows
from bench.dataset.names import address, enterprise_names, make_bin, person
from bench.dataset.world import TYPES_BY_COMMITTEE, World
from certtrack.models import Enterprise, Establishment, User, user_regions

PASSWORD = "bench-password-2026"  # noqa: S105 - the bench database's accounts, printed on purpose
LOGINS = {
    "admin": "admin@bench.certtrack.kz",
    "registrar": "registrar@bench.certtrack.kz",
    "inspector": "inspector@bench.certtrack.kz",
    "exporter": "exporter@bench.certtrack.kz",
}
# Staff sign in with a second factor: the bench's staff share this fixed TOTP secret.
TOTP_SECRET = "BENCHSTAFFCERTTRACKKZAAA"  # noqa: S105 - the bench database's, on purpose
STAFF = ("admin", "registrar", "inspector")
# The bench inspector covers the grain belt, like the demo's phytosanitary inspector.
INSPECTOR_REGIONS = ("KZ-11", "KZ-39", "KZ-59", "KZ-71")
REGISTRARS = 5
INSPECTORS_PER_REGION = 2


def insert_actors(world: World) -> None:
    """Write enterprises, establishments, staff and one exporter account per enterprise."""
    world.counts["enterprise"] = insert_rows(world.conn, Enterprise.__table__,
                                             _enterprises(world), world.sizes.enterprises)
    rows = list(_establishments(world))
    world.counts["establishment"] = insert_rows(world.conn, Establishment.__table__, rows,
                                                len(rows))
    users, regions = _staff(world)
    users += _exporters(world, len(users) + 1)
    password_hash = generate_password_hash(PASSWORD)
    for row in users:
        row["password_hash"] = password_hash
    world.counts["user"] = insert_rows(world.conn, User.__table__, users, len(users))
    insert_rows(world.conn, user_regions, regions, len(regions), "user_region")


def _enterprises(world: World):
    rng = world.rng
    for serial in range(1, world.sizes.enterprises + 1):
        committee = "phytosanitary" if serial == 1 or rng.random() < 0.65 else "veterinary"
        region = "KZ-11" if serial == 1 else rng.choices(world.ref.regions,
                                                         world.ref.region_weights)[0]
        world.enterprise_committee.append(committee)
        world.establishments[serial] = [(0, region, committee)]  # the head office's region
        names = enterprise_names(rng, serial, committee)
        world.enterprise_names[serial] = names
        yield {"id": serial, "bin": make_bin(serial), **names,
               "legal_representative": person(rng), "region_code": region,
               "address": address(rng, region), "phone": f"+7 701 {serial:07d}",
               "email": f"office{serial}@example.kz", "created_at": world.ago(1200 + serial % 400),
               "version": 1}


def _establishments(world: World):
    rng, next_id = world.rng, 1
    for enterprise_id in range(1, world.sizes.enterprises + 1):
        _zero, home, committee = world.establishments[enterprise_id][0]
        count = 1 + (rng.random() < 0.4) + (rng.random() < 0.1)
        sites = []
        for number in range(count):
            region = home if number == 0 or rng.random() < 0.8 else rng.choice(world.ref.regions)
            kind = rng.choice(TYPES_BY_COMMITTEE[committee])
            sites.append((next_id, region, kind))
            yield {"id": next_id, "enterprise_id": enterprise_id,
                   "name": f"{kind.replace('_', ' ').title()} No. {number + 1}", "type": kind,
                   "region_code": region, "address": address(rng, region),
                   "kz_registration_number": f"{region}-{next_id:06d}",
                   "created_at": world.ago(1100), "version": 1}
            next_id += 1
        world.establishments[enterprise_id] = sites


def sign_in_code(ahead: int = 0) -> str:
    """The TOTP code of the bench's staff for now, or `ahead` half-minutes on (the sign-in
    accepts the next one, for clocks that drift)."""
    totp = pyotp.TOTP(TOTP_SECRET)
    return totp.at(time.time(), counter_offset=ahead)


def _user(user_id: int, email: str, name: str, role: str, world: World, **extra) -> dict:
    staff = role in STAFF
    return {"id": user_id, "email": email, "full_name": name, "role": role,
            "committee": extra.get("committee"), "enterprise_id": extra.get("enterprise_id"),
            "locale": None, "is_active": True, "session_version": 1,
            "created_at": world.ago(1300), "last_login_at": None,
            "totp_secret": TOTP_SECRET if staff else None,
            "totp_confirmed_at": world.ago(1300) if staff else None, "totp_last_step": None}


def _staff(world: World) -> tuple[list[dict], list[dict]]:
    users = [_user(1, LOGINS["admin"], "Bench Admin", "admin", world)]
    for number in range(REGISTRARS):
        email = LOGINS["registrar"] if number == 0 else f"registrar{number}@bench.certtrack.kz"
        users.append(_user(len(users) + 1, email, person(world.rng), "registrar", world))
        world.registrars.append(len(users))
    users.append(_user(len(users) + 1, LOGINS["inspector"], "Bench Inspector", "inspector",
                       world, committee="phytosanitary"))
    regions = [{"user_id": len(users), "region_code": code} for code in INSPECTOR_REGIONS]
    for code in INSPECTOR_REGIONS:
        world.inspectors.setdefault(("phytosanitary", code), []).append(len(users))
    for committee in TYPES_BY_COMMITTEE:
        for code in world.ref.regions:
            for number in range(INSPECTORS_PER_REGION):
                user_id = len(users) + 1
                users.append(_user(user_id, f"{committee[:4]}.{code.lower()}.{number}"
                                            "@bench.certtrack.kz", person(world.rng),
                                   "inspector", world, committee=committee))
                regions.append({"user_id": user_id, "region_code": code})
                world.inspectors.setdefault((committee, code), []).append(user_id)
    return users, regions


def _exporters(world: World, first_id: int) -> list[dict]:
    users = []
    for enterprise_id in range(1, world.sizes.enterprises + 1):
        user_id = first_id + enterprise_id - 1
        email = LOGINS["exporter"] if enterprise_id == 1 else f"exporter{enterprise_id}@example.kz"
        users.append(_user(user_id, email, person(world.rng), "exporter", world,
                           enterprise_id=enterprise_id))
        world.exporter_of[enterprise_id] = user_id
    return users
