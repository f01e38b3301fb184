"""Racing issuers on a real database (an SQLite file, or the PostgreSQL of
CERTTRACK_TEST_DATABASE_URL): one certificate per consignment, unique gapless numbers."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import (
    Consignment,
    ConsignmentCertificate,
    ConsignmentCertificateCounter,
    User,
)
from certtrack.services import audit
from certtrack.services.applications import local_today
from certtrack.services.consignments import issue
from certtrack.services.errors import Conflict

from consignment_factories import inspect_ready, make_consignment
from factories import make_user

CONSIGNMENTS = 4
ISSUERS_EACH = 2
RETRIES = 10


def _issue(app, inspector_id: int, consignment_id: int, barrier) -> str:
    """One inspector pressing 'issue': 'issued', or 'refused' when another request won."""
    barrier.wait()
    for _attempt in range(RETRIES):
        with app.test_request_context():
            inspector = db.session.get(User, inspector_id)
            consignment = db.session.get(Consignment, consignment_id)
            try:
                issue.issue_consignment_certificate(inspector, consignment)
            except IllegalTransition:
                return "refused"
            except Conflict:
                if db.session.get(Consignment, consignment_id).state == "issued":
                    return "refused"
                continue
            return "issued"
    return "gave up"


def test_racing_issuers_give_each_consignment_one_certificate_and_no_number_twice(shared_app):
    with shared_app.test_request_context():
        registrar = make_user("registrar")
        ids, inspector_id = [], None
        for _ in range(CONSIGNMENTS):
            _e, inspector, _r, consignment = make_consignment("phyto", registrar=registrar)
            inspect_ready(inspector, consignment)
            ids.append(consignment.id)
            inspector_id = inspector.id  # any inspector of the committee and region may issue
    jobs = [cid for cid in ids for _ in range(ISSUERS_EACH)]
    barrier = threading.Barrier(len(jobs))

    with ThreadPoolExecutor(len(jobs)) as pool:
        outcomes = list(pool.map(lambda cid: _issue(shared_app, inspector_id, cid, barrier),
                                 jobs))

    assert sorted(outcomes) == ["issued"] * CONSIGNMENTS + ["refused"] * CONSIGNMENTS
    with shared_app.app_context():
        rows = db.session.execute(select(ConsignmentCertificate.consignment_id,
                                         ConsignmentCertificate.serial,
                                         ConsignmentCertificate.number)).all()
        assert sorted(row.consignment_id for row in rows) == sorted(ids)
        assert sorted(row.serial for row in rows) == list(range(1, CONSIGNMENTS + 1))
        assert len({row.number for row in rows}) == CONSIGNMENTS
        counter = db.session.get(ConsignmentCertificateCounter, ("phyto", local_today().year))
        assert counter.last_serial == CONSIGNMENTS
        assert audit.verify_chain().broken_seq is None
