"""Idempotency-Key: a retried POST gets the first answer and creates nothing twice."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application, IdempotencyRecord

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


def _age_claims(app, minutes: int) -> None:
    """Make every stored claim `minutes` older, as if its request had started that long ago."""
    with app.app_context():
        for record in db.session.scalars(select(IdempotencyRecord)):
            record.created_at -= timedelta(minutes=minutes)
        db.session.commit()


def test_a_claim_whose_request_died_is_taken_over_by_a_retry_after_five_minutes(app):
    secret, establishment_id = _setup(app)
    client = app.test_client()
    headers = {**bearer(secret), "Idempotency-Key": "order-45"}
    first = client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    with app.app_context():  # the first request's server died before it stored the answer
        record = db.session.scalar(select(IdempotencyRecord))
        record.status, record.body = None, None
        db.session.commit()
    before = _count(app)
    soon = client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    assert soon.status_code == 409  # it may still be running
    assert _count(app) == before
    _age_claims(app, 6)
    later = client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    assert later.status_code == 201
    assert later.get_json()["id"] != first.get_json()["id"]
    assert _count(app) == before + 1
    replay = client.post("/api/v1/applications", json=_body(establishment_id), headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == later.get_json()


def test_the_daily_run_forgets_answers_older_than_a_day(app, runner):
    secret, establishment_id = _setup(app)
    client = app.test_client()
    for key in ("old", "new"):
        client.post("/api/v1/applications", json=_body(establishment_id),
                    headers={**bearer(secret), "Idempotency-Key": key})
        if key == "old":
            _age_claims(app, 25 * 60)
    output = runner.invoke(args=["daily"]).output
    assert "API answers kept for retries, older than a day, purged: 1" in output
    with app.app_context():
        assert db.session.scalars(select(IdempotencyRecord.key)).all() == ["new"]


def test_two_concurrent_consignment_requests_with_one_key_create_one_draft(shared_app):
    """An ERP's retry of a consignment request racing the first: one draft, not two."""
    from certtrack.models import Consignment
    from certtrack.services.applications import local_today

    from consignment_factories import CONSIGNEE
    from factories import make_registration, make_user

    with shared_app.app_context(), shared_app.test_request_context():
        exporter, _application, registration = make_registration(
            make_user("registrar"), local_today() - timedelta(days=30))
        secret, body = token_for(exporter), {
            **CONSIGNEE, "registration_id": registration.id, "conveyance": "rail_wagon",
            "crossing_code": "dostyk_alashankou", "origin_region_code": "KZ-11"}
    headers = {**bearer(secret), "Idempotency-Key": "shipment-44"}
    answers, barrier = [], threading.Barrier(2)

    def send():
        client = shared_app.test_client()
        barrier.wait()
        answers.append(client.post("/api/v1/consignments", json=body, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consignment)) == 1
    assert sorted(answer.status_code for answer in answers) in ([201, 201], [201, 409])
    assert len({a.get_json()["id"] for a in answers if a.status_code == 201}) == 1
