"""Honey travels at ambient temperature: its veterinary certificate states no storage
temperature, so its request is complete without one (it was refused as lacking it); chilled
and frozen products still state theirs."""

import io

from pypdf import PdfReader

from certtrack.extensions import db
from certtrack.models import Consignment, ConsignmentCertificate
from certtrack.services.consignments import drafts, issue, status
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import inspect_ready, make_consignment


def _without_temperature(product: str) -> tuple:
    exporter, inspector, _registration, consignment = make_consignment(
        "vet", submit=False, product=product)
    consignment.storage_temperature = None
    db.session.commit()
    return exporter, inspector, consignment


def test_a_honey_request_needs_no_storage_temperature_and_its_certificate_states_none(
        ctx, client):
    exporter, inspector, consignment = _without_temperature("honey")
    assert "The storage temperature." not in drafts.missing_for_submission(consignment)
    drafts.submit_consignment(exporter, consignment)
    assert db.session.get(Consignment, consignment.id).state == "submitted"
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    content = pdf_bytes(status.stored_pdf(db.session.get(ConsignmentCertificate,
                                                         certificate.id)))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Natural honey" in text
    assert "Storage temperature" not in text and "°C" not in text


def test_a_meat_request_still_needs_its_storage_temperature(ctx):
    _exporter, _inspector, consignment = _without_temperature("beef_frozen")
    assert "The storage temperature." in drafts.missing_for_submission(consignment)


def test_a_frozen_products_temperature_prints_with_a_minus_sign(ctx):
    exporter, inspector, _registration, consignment = make_consignment(
        "vet", submit=False, product="beef_frozen")
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    content = pdf_bytes(status.stored_pdf(db.session.get(ConsignmentCertificate,
                                                         certificate.id)))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "\u221218 °C" in text and "-18" not in text
