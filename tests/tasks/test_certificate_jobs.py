"""Certificates issued before their PDF: the job that renders them, run twice, interrupted, lost
with a killed worker and failing for good; what registrars, exporters and the public see."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, Certificate, JobFailure, StoredPdf, VerificationLog
from certtrack.services import certificate_pdf, queue, storage_sweep
from certtrack.services import jobs as jobs_service
from certtrack.services.audit import verify_chain
from certtrack.services.issued_files import pdf_bytes
from certtrack.tasks import huey, jobs

from api_world import bearer, token_for
from factories import make_certificate, make_user
from forms import login, post


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def lost_jobs(monkeypatch):
    """The queue as a killed worker leaves it: render jobs are taken and never finished."""
    monkeypatch.setitem(queue._senders, "render_certificate", lambda *args: None)


def test_a_second_run_of_the_job_stores_nothing_more(ctx):
    _registrar, _exporter, _registration, certificate = make_certificate()
    first_pdf = certificate.pdf_id
    assert first_pdf is not None
    assert certificate_pdf.render_pending_certificate(certificate.id) is False
    jobs.render_certificate.call_local(certificate.id)
    assert db.session.get(Certificate, certificate.id).pdf_id == first_pdf
    assert _count(StoredPdf) == 1


def test_a_render_interrupted_once_runs_again_and_stores_exactly_one_pdf(ctx, monkeypatch):
    real_render, calls = certificate_pdf.render_certificate, []

    def interrupted_once(context, **options):
        calls.append(context["number"])
        if len(calls) == 1:
            raise KeyboardInterrupt  # what a worker's shutdown raises in a running job
        return real_render(context, **options)

    monkeypatch.setattr(certificate_pdf, "render_certificate", interrupted_once)
    _registrar, _exporter, _registration, certificate = make_certificate()
    assert len(calls) == 2  # interrupted, queued again, completed
    assert db.session.get(Certificate, certificate.id).pdf_id is not None
    assert _count(StoredPdf, StoredPdf.kind == "certificate") == 1
    assert _count(AuditEvent, AuditEvent.action == "certificate_pdf_stored") == 1
    assert verify_chain().broken_seq is None


def test_a_job_lost_with_a_killed_worker_is_rescued_on_restart(ctx, client, lost_jobs):
    registrar, exporter, registration, certificate = make_certificate()
    assert db.session.get(Certificate, certificate.id).pdf_id is None  # the job was lost
    login(client, registrar.email)
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    assert certificate.number in page and "The PDF is being prepared" in page
    download = client.get(f"/certificates/{certificate.id}.pdf")
    assert download.status_code == 202 and "being prepared" in download.get_data(as_text=True)
    api = client.get(f"/api/v1/certificates/{certificate.id}/pdf",
                     headers=bearer(token_for(exporter)))
    assert api.status_code == 503 and api.content_type == "application/problem+json"
    assert "being prepared" in api.get_json()["detail"]
    verified = client.get(f"/verify/{certificate.number}/{certificate.verification_code}")
    assert verified.status_code == 200
    assert "its PDF is being prepared" in verified.get_data(as_text=True)
    assert db.session.scalar(select(VerificationLog.result)) == "preparing"

    assert jobs.rescue_certificates(older_than=timedelta(0)) == 1  # the worker's start
    assert jobs.rescue_certificates(older_than=timedelta(0)) == 0
    assert _count(StoredPdf, StoredPdf.kind == "certificate") == 1
    pdf = db.session.get(StoredPdf, db.session.get(Certificate, certificate.id).pdf_id)
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    assert pdf.sha256 in page and "being prepared" not in page
    download = client.get(f"/certificates/{certificate.id}.pdf")
    assert download.status_code == 200 and download.data == pdf_bytes(pdf)


def test_a_job_failing_every_attempt_is_listed_for_admins_and_can_be_retried(
        ctx, client, lost_jobs, monkeypatch):
    _registrar, _exporter, _registration, certificate = make_certificate()

    def broken(context, **options):
        raise OSError("fonts folder unreadable")

    monkeypatch.setattr(certificate_pdf, "render_certificate", broken)
    huey.enqueue(jobs.render_certificate.s(certificate.id, retries=0))  # the last attempt
    failure = db.session.scalar(select(JobFailure))
    assert failure.task == "render_certificate" and failure.args == [certificate.id]
    assert "fonts folder unreadable" in failure.error

    admin = make_user("admin")
    login(client, admin.email)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "PDF of a certificate of export eligibility" in page  # not the job's code name
    assert (f'Certificate of export eligibility <span class="ref">{certificate.number}</span>'
            in page)  # what the job concerns, not the certificate's row id
    assert "fonts folder unreadable" in page
    assert client.post(f"/admin/jobs/{failure.id}/retry").status_code == 400  # no CSRF token

    monkeypatch.undo()  # the cause is fixed
    monkeypatch.setitem(queue._senders, "render_certificate", jobs.render_certificate)
    response = post(client, f"/admin/jobs/{failure.id}/retry")
    assert response.status_code == 302
    assert db.session.get(Certificate, certificate.id).pdf_id is not None
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert ("The job PDF of a certificate of export eligibility is queued again."
            in page)
    assert "No background job has failed." in page
    retried = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job_retried"))
    assert retried.actor_id == admin.id and retried.data["task"] == "render_certificate"
    again = post(client, f"/admin/jobs/{failure.id}/retry")  # a second tab: once only
    assert again.status_code == 404
    assert "it was already queued again" in again.get_data(as_text=True)
    assert "Failed background jobs" in again.get_data(as_text=True)  # the list, not a bare 404


def test_the_failed_jobs_page_names_what_each_job_concerns(ctx, client):
    """The page gave a job's arguments as stored: "42" or "3, 17, None, 2"."""
    _registrar, _exporter, registration, certificate = make_certificate()
    failed = {
        "certificate": jobs_service.record_failure("render_certificate", [certificate.id],
                                                   "e", 3),
        "dossier": jobs_service.record_failure("generate_dossier",
                                               [1, registration.application_id, None, 2],
                                               "e", 3),
        "gone": jobs_service.record_failure("render_consignment_certificate", [987654],
                                            "e", 3),
        "daily": jobs_service.record_failure("daily", [], "e", 3),
    }
    login(client, make_user("admin").email)
    page = client.get("/admin/jobs").get_data(as_text=True)

    def concerns(name):
        row = page.split(f'id="job-failure-{failed[name].id}"')[1].split("</tr>")[0]
        return row.split('class="job-subject">')[1].split("</td>")[0].strip()

    assert concerns("certificate") == (
        f'Certificate of export eligibility <span class="ref">{certificate.number}</span>')
    assert concerns("dossier") == (
        f'Application <span class="ref">A-{registration.application_id:06d}</span>')
    assert concerns("gone") == "<code>987654</code>"  # a document since deleted: its id
    assert concerns("daily") == '<span class="muted">&mdash;</span>'


@pytest.mark.parametrize("task", ["daily", "send_emails_every_minute", "deliver_webhooks"])
def test_a_scheduled_jobs_failure_can_be_run_again(ctx, client, monkeypatch, task):
    """The daily run's failure was listed, and Retry answered "No such failed job"."""
    failure = jobs_service.record_failure(task, [], "OperationalError('database locked')", 3)
    assert queue.known(task)  # the worker's jobs, every one registered by its name
    ran = []
    monkeypatch.setitem(queue._senders, task, lambda *args: ran.append(args))
    login(client, make_user("admin").email)
    assert post(client, f"/admin/jobs/{failure.id}/retry").status_code == 302
    assert ran == [()]
    assert db.session.get(JobFailure, failure.id).retried_at is not None


def test_two_jobs_rendering_one_certificate_at_once_leave_one_pdf_and_no_unused_file(
        ctx, monkeypatch, storage_backend):
    """The worker's start queues again the certificates still without their PDF, so a render
    can meet another job of the same certificate: the PDF attached first stands, and the other
    render's bytes are removed from the storage."""
    real_seal, calls = certificate_pdf.issue_sealed, []

    def other_job_finishes_first(render, context, **options):
        calls.append(context["number"])
        rendered = real_seal(render, context, **options)
        if len(calls) == 2:  # the first job's render: meanwhile a second job runs to the end
            certificate_pdf.render_pending_certificate(certificate_id)
        return rendered

    monkeypatch.setattr(certificate_pdf, "issue_sealed", other_job_finishes_first)
    monkeypatch.setitem(queue._senders, "render_certificate", lambda *args: None)
    _registrar, _exporter, _registration, certificate = make_certificate()
    certificate_id = certificate.id
    calls.append("issued")  # the issue queued its job, which this test runs by hand

    assert certificate_pdf.render_pending_certificate(certificate_id) is False
    assert len(calls) == 3  # the first job's render and the second job's
    pdf = db.session.get(StoredPdf, db.session.get(Certificate, certificate_id).pdf_id)
    assert _count(StoredPdf) == 1
    kept = {item.sha256 for item in storage_sweep.listing().objects()}
    assert pdf.sha256 in kept and storage_sweep.sweep().unreferenced == 0


def test_the_failed_jobs_page_goes_past_its_first_page(ctx, client):
    """The newest hundred were listed and the others never shown, nor said to exist."""
    per_page = client.application.config["PER_PAGE"]
    for n in range(per_page + 2):
        jobs_service.record_failure("send_email", [n], f"error number {n}", 3)
    db.session.commit()
    login(client, make_user("admin").email)
    first = client.get("/admin/jobs").get_data(as_text=True)
    assert first.count('id="job-failure-') == per_page
    assert "error number 0<" not in first and f"error number {per_page + 1}<" in first
    second = client.get("/admin/jobs?page=2").get_data(as_text=True)
    assert second.count('id="job-failure-') == 2 and "error number 0<" in second
    assert "There is no page 9" in client.get("/admin/jobs?page=9").get_data(as_text=True)
