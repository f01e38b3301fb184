"""A phytosanitary certificate on one page, as ISPM 12's model is: the demo's wheat certificates
ran onto a second page that held only the place, date, officer, stamp and QR code."""

from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader

from certtrack.services.consignments import drafts, issue, status
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import WHEAT_LOT, inspect_ready, make_consignment


def _pages(certificate) -> list[str]:
    reader = PdfReader(BytesIO(pdf_bytes(status.stored_pdf(certificate))))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.mark.real_pdf
def test_a_train_of_three_wagons_with_its_treatment_and_declarations_fits_one_page(ctx):
    exporter, inspector, _registration, consignment = make_consignment(submit=False)
    for wagon in ("95123457", "95123458"):
        drafts.add_lot(exporter, consignment, replace(
            WHEAT_LOT, marks=f"Wagon {wagon}, seal KZ 7788{wagon[-2:]}"))
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)  # a fumigation and every declaration of the protocol
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    pages = _pages(certificate)
    assert len(pages) == 1, [page[-300:] for page in pages[1:]]
    text = pages[0]
    assert "Fumigation" in text and "Name of authorized officer" in text
    assert text.count("1 in bulk / 散装 / үйінді") == 3  # the package kind in Kazakh too
