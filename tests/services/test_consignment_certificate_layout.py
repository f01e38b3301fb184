"""A phytosanitary certificate on one page, as ISPM 12's model is: the demo's wheat certificates
ran onto a second page that held only the place, date, officer, stamp and QR code."""

from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts, inspection, issue, status
from certtrack.services.consignments.inputs import TreatmentInput
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import WHEAT_LOT, inspect_ready, make_consignment


def _pages(certificate) -> list[str]:
    reader = PdfReader(BytesIO(pdf_bytes(status.stored_pdf(certificate))))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.mark.real_pdf
def test_a_train_of_three_wagons_with_its_treatment_and_declarations_fits_one_page(ctx):
    exporter, inspector, _registration, consignment = make_consignment(submit=False)
    for wagon in ("95123469", "95123477"):
        drafts.add_lot(exporter, consignment, replace(
            WHEAT_LOT, marks=f"Wagon {wagon}, seal KZ 7788{wagon[-2:]}"))
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)  # a fumigation and every declaration of the protocol
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    pages = _pages(certificate)
    assert len(pages) == 1, [page[-300:] for page in pages[1:]]
    text = pages[0]
    assert "Fumigation / 熏蒸" in text and "Name of authorized officer" in text
    assert "出口国植物保护组织 Өсімдіктерді қорғау ұйымы:" in text
    # issued in the city of the region's inspection, not in "Akmola Region"
    assert "Берілген жері: Kokshetau / 科克舍套 / Көкшетау" in text
    # the package kind in Kazakh too, and counted as the public page counts it ("1 lot in bulk")
    assert text.count("1 lot in bulk / 散装 / үйінді") == 3


@pytest.mark.real_pdf
def test_a_replacement_names_the_original_beside_its_number_on_the_same_page(ctx):
    """After the signature, the replacement's line ran onto a second page of its own for a
    consignment of two lots and two treatments."""
    exporter, inspector, _registration, consignment = make_consignment(submit=False)
    drafts.add_lot(exporter, consignment,
                   replace(WHEAT_LOT, marks="Wagon 95123469, seal KZ 778857"))
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)
    inspection.add_treatment(inspector, consignment, TreatmentInput(
        type="heat", treated_on=local_today(), temperature=Decimal("56"), duration="30 min"))
    original = issue.issue_consignment_certificate(inspector, consignment)
    replacement = issue.replace_consignment_certificate(inspector, original, "Paper damaged")
    pages = _pages(replacement)
    assert len(pages) == 1, [page[-300:] for page in pages[1:]]
    number_at = pages[0].index(replacement.number)
    replaces_at = pages[0].index("This certificate replaces certificate")
    assert number_at < replaces_at < pages[0].index("Name and address of exporter")
    assert original.number in pages[0]


@pytest.mark.real_pdf
def test_the_certificate_totals_the_quantity_and_the_packages_per_unit_and_kind(ctx):
    """A certificate of several lots gave each lot's weights and packages but no total, which
    the border checks against the waybill; tonnes and kilograms are not added as they stand."""
    exporter, inspector, _registration, consignment = make_consignment(submit=False)
    drafts.add_lot(exporter, consignment, replace(
        WHEAT_LOT, net_weight=Decimal("65.7"), gross_weight=Decimal("65.9"),
        marks="Wagon 95123469, seal KZ 778857"))
    drafts.add_lot(exporter, consignment, replace(
        WHEAT_LOT, net_weight=Decimal("900"), gross_weight=Decimal("918"), weight_unit="kg",
        packages_number=18, packages_kind="big_bags", marks="Wagon 95123477, seal KZ 778858"))
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)
    pages = _pages(issue.issue_consignment_certificate(inspector, consignment))
    assert len(pages) == 1, [page[-300:] for page in pages[1:]]
    text = pages[0].replace("\u202f", " ")
    totals = text[text.index("Total 合计 Барлығы"):]
    # 65.5 t + 65.7 t + 900 kg; 65.7 t + 65.9 t + 918 kg
    assert totals.index("132 100 kg") < totals.index("132 518 kg")
    assert "2 lots in bulk / 散装 / үйінді; 18 big bags / 吨袋 / биг-бэг" in totals
