"""Phytosanitary and veterinary certificates are issued in one short transaction and printed by
the queue: what the inspector, the exporter, the API and the public see in between, and the job
run twice or lost with a killed worker."""

import hashlib
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, ConsignmentCertificate, StoredPdf
from certtrack.services import issued_files, queue
from certtrack.services.audit import verify_chain
from certtrack.services.consignments import issue, printing
from certtrack.services.notifications import verification_url
from certtrack.tasks import jobs

from api_world import bearer, token_for
from consignment_factories import inspect_ready, make_consignment
from forms import login


@pytest.fixture
def lost_jobs(monkeypatch):
    """The queue as a killed worker leaves it: render jobs are taken and never finished."""
    monkeypatch.setitem(queue._senders, "render_consignment_certificate", lambda *args: None)


def _issued(kind="phyto"):
    exporter, inspector, _registration, consignment = make_consignment(kind)
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    return exporter, inspector, consignment, certificate


def _stored(kind: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(StoredPdf)
                             .where(StoredPdf.kind == kind))


def test_the_issue_writes_the_number_and_the_queue_prints_it(ctx, client, lost_jobs):
    exporter, inspector, consignment, certificate = _issued()
    assert certificate.number.startswith("KZ-PC-")
    assert db.session.get(ConsignmentCertificate, certificate.id).pdf_id is None  # queued
    assert consignment.state == "issued"

    login(client, exporter.email)
    detail = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    assert certificate.number in detail and "The PDF is being prepared" in detail
    download = client.get(f"/consignment-certificates/{certificate.id}.pdf")
    assert download.status_code == 202 and "being prepared" in download.get_data(as_text=True)
    api = client.get(f"/api/v1/consignment-certificates/{certificate.id}/pdf",
                     headers=bearer(token_for(exporter)))
    assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
    assert api.content_type == "application/problem+json"
    public = verification_url(certificate.number, certificate.verification_code, "consignment")
    client.get("/logout")
    verified = client.get(public.replace("http://127.0.0.1:5000", ""))
    page = verified.get_data(as_text=True)
    assert verified.status_code == 200 and 'id="certificate-status">Valid<' in page
    assert "its PDF is being prepared" in page

    assert jobs.rescue_certificates(older_than=timedelta(0)) == 1  # a worker's start
    assert jobs.rescue_certificates(older_than=timedelta(0)) == 0
    assert _stored("phytosanitary") == 1
    pdf = db.session.get(StoredPdf, db.session.get(ConsignmentCertificate, certificate.id).pdf_id)
    verified = client.get(public.replace("http://127.0.0.1:5000", "")).get_data(as_text=True)
    assert pdf.sha256 in verified and "being prepared" not in verified
    login(client, exporter.email)
    download = client.get(f"/consignment-certificates/{certificate.id}.pdf")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == pdf.sha256
    assert download.data.startswith(b"%PDF-")


@pytest.mark.real_pdf
def test_the_printed_certificate_carries_what_was_certified_at_issue(ctx, lost_jobs):
    _exporter, _inspector, consignment, certificate = _issued("vet")
    consignment.consignee_name = "Renamed Afterwards Ltd"  # the row, not the consignment, prints
    db.session.commit()
    assert printing.render_pending_consignment_certificate(certificate.id) is True
    row = db.session.get(ConsignmentCertificate, certificate.id)
    with issued_files.open_pdf(db.session.get(StoredPdf, row.pdf_id)) as stored:
        text = "\n".join(page.extract_text() for page in PdfReader(stored).pages)
    assert certificate.number in text
    assert "新疆粮食进口有限公司" in text and "Renamed Afterwards" not in text


def test_a_frozen_context_thaws_to_the_same_dates_and_values():
    context = {"issued_on": date(2026, 12, 4), "lots": [{"from": date(2026, 1, 2), "kg": "5"}],
               "name": {"en": "x"}, "none": None}
    frozen = printing.freeze(context)
    assert json.loads(json.dumps(frozen)) == frozen
    assert printing.thaw(frozen) == context


def test_a_second_run_stores_nothing_more_and_the_chain_holds(ctx):
    _exporter, _inspector, _consignment, certificate = _issued()
    first = db.session.get(ConsignmentCertificate, certificate.id).pdf_id
    assert first is not None  # the queue ran at once
    assert printing.render_pending_consignment_certificate(certificate.id) is False
    jobs.render_consignment_certificate.call_local(certificate.id)
    assert db.session.get(ConsignmentCertificate, certificate.id).pdf_id == first
    assert _stored("phytosanitary") == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "consignment_certificate_pdf_stored")) == 1
    assert verify_chain().broken_seq is None
