"""An upload sent twice (a double click on "Upload", the form sent again after the browser's
Back button): the file already the latest of its document adds nothing, and the page says it is
there; a different file is a new version."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Document, Finding
from certtrack.models.consignment import ConsignmentDocument
from certtrack.services import (
    applications,
    corrective_actions,
    documents,
    inspections,
    review,
    uploads,
)
from certtrack.services.inputs import CorrectiveActionInput, FindingInput
from certtrack.services.reference import working_calendar

from api_world import bearer, token_for
from consignment_factories import make_consignment
from factories import (
    PDF_BYTES,
    make_exporter_with_application,
    make_submitted_application,
    make_user,
)
from forms import csrf_token, flashes, login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


def _count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _upload(client, application, content: bytes, name: str = "plan.pdf"):
    return post(client, f"/exporter/applications/{application.id}/documents", {
        "document_type": "haccp", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def test_the_same_file_sent_twice_is_one_version_and_the_page_says_it_is_there(ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    first = _upload(client, application, PDF_BYTES)
    assert first.status_code == 302
    again = _upload(client, application, PDF_BYTES, "plan (1).pdf")
    assert again.status_code == 302
    # at the top of the page, where the notice is said (at #documents it was scrolled past)
    assert again.headers["Location"].endswith(f"/exporter/applications/{application.id}")
    assert _count(Document, application_id=application.id, document_type_code="haccp") == 1
    said = flashes(client.get(f"/exporter/applications/{application.id}").get_data(
        as_text=True))
    assert len(said) == 1 and said[0].startswith("This file is already there as version 1, "
                                                 "uploaded at ")
    assert said[0].endswith(": nothing was added.") and " by " not in said[0]
    # a different file is the next version, and the same file as an older version too
    assert _upload(client, application, PDF_BYTES + b"%2").status_code == 302
    assert _upload(client, application, PDF_BYTES).status_code == 302
    versions = db.session.scalars(select(Document.version).where(
        Document.application_id == application.id).order_by(Document.version)).all()
    assert versions == [1, 2, 3]


def test_a_colleagues_latest_version_is_named_with_who_uploaded_it(ctx):
    user, enterprise, _s, application = make_exporter_with_application(complete=False)
    colleague = make_user("exporter", full_name="Aigerim Colleague")
    colleague.enterprise_id = enterprise.id
    db.session.commit()
    documents.upload_document(user, application, "haccp", io.BytesIO(PDF_BYTES), "a.pdf")
    try:
        documents.upload_document(colleague, application, "haccp", io.BytesIO(PDF_BYTES),
                                  "b.pdf")
    except documents.AlreadyUploaded as repeat:
        assert repeat.document.version == 1
        assert "as version 1" in repeat.message and "by Test Exporter" in repeat.message
    else:
        raise AssertionError("the same file made a second version")
    assert _count(Document, application_id=application.id) == 1


def test_a_consignments_document_sent_twice_is_kept_once(ctx, client):
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    detail = f"/exporter/consignments/{consignment.id}"

    def upload(content: bytes):
        return post(client, f"{detail}/documents", {
            "kind": "contract", "file": (io.BytesIO(content), "contract.pdf")},
            content_type="multipart/form-data")

    assert upload(PDF_BYTES).status_code == 302
    assert upload(PDF_BYTES).status_code == 302
    assert _count(ConsignmentDocument, consignment_id=consignment.id) == 1
    said = flashes(client.get(detail).get_data(as_text=True))
    assert len(said) == 1 and said[0].startswith("This file is already there, uploaded at ")
    assert upload(PDF_BYTES + b"%2").status_code == 302
    assert _count(ConsignmentDocument, consignment_id=consignment.id) == 2


def test_the_api_answers_the_same_file_again_with_200_and_its_version(ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    secret = token_for(user)
    url = f"/api/v1/applications/{application.id}/documents"

    def upload(content: bytes):
        return client.post(url, headers=bearer(secret), content_type="multipart/form-data",
                           data={"document_type": "haccp",
                                 "file": (io.BytesIO(content), "haccp.pdf")})

    created = upload(PDF_BYTES)
    assert created.status_code == 201, created.get_json()
    again = upload(PDF_BYTES)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["id"] == created.get_json()["id"]
    assert again.get_json()["version"] == 1
    assert _count(Document, application_id=application.id) == 1
    assert upload(PDF_BYTES + b"%2").status_code == 201
    assert _count(Document, application_id=application.id) == 2


def test_the_api_reference_tells_the_200_of_the_same_file_from_the_201(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    answers = spec["paths"]["/api/v1/applications/{application_id}/documents"]["post"][
        "responses"]
    assert "new version" in answers["201"]["description"]
    assert "nothing was added" in answers["200"]["description"]
    assert answers["200"]["content"]["application/json"]["schema"] == \
        answers["201"]["content"]["application/json"]["schema"]


def test_a_rejected_version_sent_again_is_a_new_version_to_review(ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    assert _upload(client, application, PDF_BYTES).status_code == 302
    first = db.session.scalar(select(Document).where(Document.application_id == application.id))
    first.review_status = "rejected"
    db.session.commit()
    assert _upload(client, application, PDF_BYTES).status_code == 302
    rows = db.session.scalars(select(Document).where(
        Document.application_id == application.id).order_by(Document.version)).all()
    assert [(d.version, d.review_status) for d in rows] == [(1, "rejected"), (2, "pending")]
    said = flashes(client.get(f"/exporter/applications/{application.id}").get_data(
        as_text=True))
    assert said == ["“plan.pdf” was uploaded."]


def _near_the_quota(app, user) -> None:
    """A quota that one more PDF_BYTES fills, with no room for it again."""
    app.config["UPLOAD_QUOTA_BYTES"] = uploads.used_storage(user) + len(PDF_BYTES) + 1


def test_near_the_quota_the_same_file_is_said_to_be_there_not_over_the_limit(app, ctx,
                                                                             client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    login(client, user.email)
    _near_the_quota(app, user)
    assert _upload(client, application, PDF_BYTES).status_code == 302
    again = _upload(client, application, PDF_BYTES)
    assert again.status_code == 302
    said = flashes(client.get(f"/exporter/applications/{application.id}").get_data(
        as_text=True))
    assert len(said) == 1 and said[0].startswith("This file is already there as version 1, ")
    assert _count(Document, application_id=application.id) == 1
    # another file is over the limit still
    over = _upload(client, application, PDF_BYTES + b"%2")
    assert over.status_code == 422
    assert "reached the storage limit" in over.get_data(as_text=True)


def test_near_the_quota_the_api_answers_the_same_file_with_200(app, ctx, client):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    secret = token_for(user)
    _near_the_quota(app, user)

    def upload(content: bytes):
        return client.post(f"/api/v1/applications/{application.id}/documents",
                           headers=bearer(secret), content_type="multipart/form-data",
                           data={"document_type": "haccp",
                                 "file": (io.BytesIO(content), "haccp.pdf")})

    assert upload(PDF_BYTES).status_code == 201
    again = upload(PDF_BYTES)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["version"] == 1
    assert upload(PDF_BYTES + b"%2").status_code == 422


def test_near_the_quota_a_consignments_document_sent_twice_is_said_to_be_there(app, ctx,
                                                                               client):
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    detail = f"/exporter/consignments/{consignment.id}"
    _near_the_quota(app, exporter)

    def upload(content: bytes):
        return post(client, f"{detail}/documents", {
            "kind": "contract", "file": (io.BytesIO(content), "contract.pdf")},
            content_type="multipart/form-data")

    assert upload(PDF_BYTES).status_code == 302
    assert upload(PDF_BYTES).status_code == 302
    said = flashes(client.get(detail).get_data(as_text=True))
    assert len(said) == 1 and said[0].startswith("This file is already there, uploaded at ")
    assert _count(ConsignmentDocument, consignment_id=consignment.id) == 1
    over = upload(PDF_BYTES + b"%2")
    assert over.status_code == 422
    assert "reached the storage limit" in over.get_data(as_text=True)


RACERS = 6


def _race(app, email: str, url: str, entries: dict) -> list[int]:
    """The same upload form (`entries` with PDF_BYTES as its file) sent from RACERS signed-in
    browsers released at the same instant (a double click on a slow connection, for real):
    their statuses."""
    clients = [app.test_client() for _ in range(RACERS)]
    tokens = []
    for racer in clients:
        login(racer, email)
        tokens.append(csrf_token(racer))
    barrier = threading.Barrier(RACERS)

    def send(index: int) -> int:
        barrier.wait()
        return clients[index].post(url, content_type="multipart/form-data", data={
            **entries, "csrf_token": tokens[index],
            "file": (io.BytesIO(PDF_BYTES), "scan.pdf")}).status_code

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(send, range(RACERS)))


def test_a_consignments_document_sent_at_the_same_instant_is_kept_once(shared_app):
    with shared_app.test_request_context():
        exporter, _inspector, _registration, consignment = make_consignment(
            "phyto", submit=False)
        email, consignment_id = exporter.email, consignment.id
    statuses = _race(shared_app, email, f"/exporter/consignments/{consignment_id}/documents",
                     {"kind": "contract"})
    assert statuses == [302] * RACERS, statuses
    with shared_app.app_context():
        rows = db.session.scalars(select(ConsignmentDocument).where(
            ConsignmentDocument.consignment_id == consignment_id)).all()
        assert [(row.kind, row.version) for row in rows] == [("contract", 1)]


def _awaiting_evidence() -> tuple[str, int, int]:
    """An application whose finding awaits evidence: (its exporter's e-mail, its id, the
    finding's id)."""
    exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    review.accept_remaining_documents(inspector, application)
    today = applications.local_today()
    inspections.schedule_inspection(inspector, application, "document",
                                    working_calendar().add_working_days(today, 0),
                                    [inspector.id])
    finding = inspections.add_finding(inspector, application, FindingInput.from_mapping({
        "requirement": "Pest control", "observation": "Traps missing", "clause": "",
        "severity": "major"}))
    inspections.record_inspection(inspector, application, today, {
        item.key: {"answer": "yes", "note": "seen"}
        for item in inspections.checklist_for(application)})
    corrective_actions.require_corrective_actions(inspector, application, {
        finding.id: CorrectiveActionInput(
            action="Fix it",
            due_date=working_calendar().add_working_days(today + timedelta(days=9), 0))})
    return exporter.email, application.id, finding.id


def test_evidence_sent_at_the_same_instant_is_kept_once(shared_app):
    with shared_app.test_request_context():
        email, application_id, finding_id = _awaiting_evidence()
    statuses = _race(shared_app, email,
                     f"/exporter/applications/{application_id}/findings/{finding_id}/evidence",
                     {"note": "Traps set"})
    assert statuses == [302] * RACERS, statuses
    with shared_app.app_context():
        versions = db.session.scalars(select(Document.version).where(
            Document.application_id == application_id,
            Document.document_type_code == "corrective_evidence")).all()
        assert versions == [1]
        finding = db.session.get(Finding, finding_id)
        assert finding.status == "evidence_submitted"
        assert finding.evidence_document.version == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "submit_corrective_evidence",
            AuditEvent.object_id == finding_id)) == 1
