"""A correction that changes the goods: the inspection, the wording and the results recorded
for the goods the certificate in force certified do not carry a replacement for other goods.
A wheat consignment corrected to barley was certified on the wheat's inspection, with the
wheat's dwarf bunt wording and results; a correction of the papers alone keeps them."""

import dataclasses
from decimal import Decimal

from certtrack.extensions import db
from certtrack.models import ApplicationProduct
from certtrack.services.applications import local_today
from certtrack.services.consignments import correction, drafts, inspection, issue
from certtrack.services.consignments.inputs import InspectionInput, LotInput

from consignment_factories import WHEAT_LOT, inspect_ready, make_consignment

BARLEY_LOT = LotInput(product_code="barley", net_weight=Decimal("60"),
                      gross_weight=Decimal("60.2"), weight_unit="t", packages_number=1,
                      packages_kind="bulk", marks="Wagon 95123469, seal KZ 778813")
NEW_INSPECTION = ("The goods differ from those certificate {number} certified (another "
                  "product, or more of one): record a new inspection of the lot, on or after")


def _corrected(lot: LotInput, *, covers_barley: bool = False):
    """A wheat certificate issued, then corrected by the exporter to `lot` and resubmitted,
    its inspection started again: (inspector, consignment, the first certificate)."""
    exporter, inspector, registration, consignment = make_consignment("phyto")
    if covers_barley:
        db.session.add(ApplicationProduct(application_id=registration.application.id,
                                          product_code="barley", annual_volume=10,
                                          volume_unit="t"))
        db.session.commit()
    inspect_ready(inspector, consignment)
    first = issue.issue_consignment_certificate(inspector, consignment)
    correction.request_correction(exporter, consignment, "The lot was corrected")
    drafts.remove_lot(exporter, consignment, consignment.lots[0].id)
    drafts.add_lot(exporter, consignment, lot)
    drafts.submit_consignment(exporter, consignment)
    inspection.start_inspection(inspector, consignment)
    return inspector, consignment, first


def test_another_product_needs_a_new_inspection_its_own_wording_and_results(ctx):
    inspector, consignment, first = _corrected(BARLEY_LOT, covers_barley=True)
    refusals = issue.issue_refusals(consignment)
    assert any(r.startswith(NEW_INSPECTION.format(number=first.number)) for r in refusals)
    assert ("Wording chosen for products no longer in the consignment: 1 statement; save the "
            "wording again.") in refusals
    stale = next(r for r in refusals if r.startswith("Laboratory results on products no "
                                                     "longer in the consignment:"))
    assert "Tilletia controversa" in stale and stale.endswith("; remove them.")
    # The inspector inspects the barley, chooses its wording and removes the wheat's results.
    inspection.record_inspection(inspector, consignment, InspectionInput(
        inspected_on=local_today(), place="Dostyk station, track 4", result="satisfactory"))
    inspection.set_declarations(inspector, consignment, [
        row.code for row in inspection.available_declarations(consignment)])
    for result in list(consignment.lab_results):
        inspection.remove_lab_result(inspector, consignment, result.id, "Wheat's sample")
    refusals = issue.issue_refusals(consignment)
    assert not [r for r in refusals if "no longer in the consignment" in r
                or r.startswith(NEW_INSPECTION.format(number=first.number))]
    assert not [d.declaration_code for d in consignment.declarations
                if "tilletia" in d.declaration_code]


def test_more_of_the_same_product_needs_a_new_inspection(ctx):
    _inspector, consignment, first = _corrected(dataclasses.replace(
        WHEAT_LOT, net_weight=Decimal("131"), gross_weight=Decimal("131.4"),
        marks="Wagon 95123451 and wagon 95123469, seals KZ 778812 and KZ 778813"))
    refusals = issue.issue_refusals(consignment)
    assert any(r.startswith(NEW_INSPECTION.format(number=first.number)) for r in refusals)
    assert not [r for r in refusals if "no longer in the consignment" in r]


def test_a_correction_of_the_papers_keeps_the_inspection(ctx):
    inspector, consignment, first = _corrected(dataclasses.replace(
        WHEAT_LOT, marks="Wagon 95123485, seal KZ 778812"))
    assert issue.issue_refusals(consignment) == []
    replacement = issue.issue_consignment_certificate(inspector, consignment)
    assert replacement.replaces_id == first.id
