"""Racing requests against a real database: exactly one wins, the others get 409."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application, AuditEvent
from certtrack.services import audit

from factories import make_exporter_with_application
from forms import csrf_token, login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

RACERS = 8



def race(app, url: str, email: str, data: dict) -> list[int]:
    """POST `data` to `url` from RACERS signed-in browsers released at the same instant."""
    clients = [app.test_client() for _ in range(RACERS)]
    tokens = []
    for client in clients:
        login(client, email)
        tokens.append(csrf_token(client))
    barrier = threading.Barrier(RACERS)

    def attempt(index: int) -> int:
        barrier.wait()
        return clients[index].post(url, data={**data, "csrf_token": tokens[index]}).status_code

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(attempt, range(RACERS)))


def test_racing_submissions_one_wins_others_get_409(shared_app):
    with shared_app.test_request_context():
        user, _e, _s, application = make_exporter_with_application()
        app_id, version, email = application.id, application.version, user.email

    statuses = race(shared_app, f"/exporter/applications/{app_id}/submit", email,
                    {"version": version, "confirm": "y"})

    assert statuses.count(302) == 1, statuses
    assert statuses.count(409) == RACERS - 1, statuses
    with shared_app.app_context():
        assert db.session.get(Application, app_id).state == "submitted"
        submits = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.application_id == app_id, AuditEvent.action == "submit"))
        assert submits == 1
        assert audit.verify_chain().broken_seq is None


def test_conflict_page_says_who_changed_it(shared_app):
    with shared_app.test_request_context():
        user, _e, _s, application = make_exporter_with_application()
        app_id, stale_version, email = application.id, application.version, user.email
    client = shared_app.test_client()
    login(client, email)
    token = csrf_token(client)
    first = client.post(f"/exporter/applications/{app_id}/submit",
                        data={"csrf_token": token, "version": stale_version, "confirm": "y"})
    assert first.status_code == 302
    second = client.post(f"/exporter/applications/{app_id}/withdraw",
                         data={"csrf_token": token, "version": stale_version,
                               "reason": "Not this season", "confirm": "y"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert user.full_name in page and "changed this application" in page
    with shared_app.app_context():
        assert db.session.get(Application, app_id).state == "submitted"
