"""Racing issuers on a real database (an SQLite file, or the PostgreSQL of
CERTTRACK_TEST_DATABASE_URL): one certificate per registration, unique and gapless numbers."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Certificate, CertificateCounter, Registration, User
from certtrack.services import audit, certificates
from certtrack.services.applications import local_today
from certtrack.services.errors import Conflict, ValidationFailed

from factories import make_registration, make_user

REGISTRATIONS = 6
ISSUERS_EACH = 2
RETRIES = 10  # a registrar whose request timed out waiting for the lock tries again



def _issue(app, registrar_id: int, registration_id: int, barrier) -> str:
    """One registrar pressing 'issue': 'issued', or 'refused' when it was issued already."""
    barrier.wait()
    for _attempt in range(RETRIES):
        with app.test_request_context():
            registrar = db.session.get(User, registrar_id)
            registration = db.session.get(Registration, registration_id)
            try:
                certificates.issue_certificate(registrar, registration)
            except ValidationFailed:
                return "refused"
            except Conflict:
                continue
            return "issued"
    return "gave up"


def test_racing_issuers_give_each_registration_one_certificate_and_no_number_twice(shared_app):
    with shared_app.test_request_context():
        registrar = make_user("registrar")
        listed = local_today().replace(day=1)
        ids = [make_registration(registrar, listed)[2].id for _ in range(REGISTRATIONS)]
        registrar_id = registrar.id
    jobs = [registration_id for registration_id in ids for _ in range(ISSUERS_EACH)]
    barrier = threading.Barrier(len(jobs))

    with ThreadPoolExecutor(len(jobs)) as pool:
        outcomes = list(pool.map(lambda rid: _issue(shared_app, registrar_id, rid, barrier), jobs))

    assert sorted(outcomes) == ["issued"] * REGISTRATIONS + ["refused"] * REGISTRATIONS
    with shared_app.app_context():
        rows = db.session.execute(select(Certificate.registration_id, Certificate.serial,
                                         Certificate.number)).all()
        assert sorted(row.registration_id for row in rows) == sorted(ids)
        assert sorted(row.serial for row in rows) == list(range(1, REGISTRATIONS + 1))
        assert len({row.number for row in rows}) == REGISTRATIONS
        counter = db.session.get(CertificateCounter, local_today().year)
        assert counter.last_serial == REGISTRATIONS
        issued = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "certificate_issued"))
        assert issued == REGISTRATIONS
        assert audit.verify_chain().broken_seq is None
