"""Idempotency-Key: a retried POST gets the first answer and creates nothing twice."""

import threading

from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application

from api_world import bearer, token_for
from factories import QUESTIONNAIRE, make_exporter_with_application


def _body(establishment_id: int) -> dict:
    return {**{k: v for k, v in QUESTIONNAIRE.items() if v is not None},
            "establishment_id": establishment_id}


def _setup(app):
    with app.app_context(), app.test_request_context():
        user, _e, establishment, _a = make_exporter_with_application()
        return token_for(user), establishment.id


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Application))


def test_a_retry_gets_the_first_answer_and_creates_nothing(app):
    secret, establishment_id = _setup(app)
    client = app.test_client()
    headers = {**bearer(secret), "Idempotency-Key": "order-42"}
    first = client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    before = _count(app)
    again = client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app) == before


def test_the_same_key_with_another_request_is_refused(app):
    secret, establishment_id = _setup(app)
    client = app.test_client()
    headers = {**bearer(secret), "Idempotency-Key": "order-43"}
    client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    other = client.post("/api/v1/applications",
                        json={**_body(establishment_id), "kind": "change"}, headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.get_json()["errors"]


def test_two_concurrent_requests_with_one_key_create_one_application(shared_app):
    secret, establishment_id = _setup(shared_app)
    before = _count(shared_app)
    headers = {**bearer(secret), "Idempotency-Key": "order-44"}
    answers, barrier = [], threading.Barrier(2)

    def send():
        client = shared_app.test_client()
        barrier.wait()
        answers.append(client.post("/api/v1/applications", json=_body(establishment_id),
                                   headers=headers))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _count(shared_app) == before + 1
    statuses = sorted(answer.status_code for answer in answers)
    # The loser either reads the stored answer (201, the same body) or, while the winner
    # still runs, is told to retry (409).
    assert statuses in ([201, 201], [201, 409])
    created = [a.get_json() for a in answers if a.status_code == 201]
    assert all(body["id"] == created[0]["id"] for body in created)
