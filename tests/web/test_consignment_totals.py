"""The consignment's page totals its lots as its certificate does: the exporter and the
inspector read the quantity declared and the packages the border checks."""

import re
from dataclasses import replace
from decimal import Decimal

from certtrack.services.consignments import drafts

from consignment_factories import WHEAT_LOT, make_consignment
from forms import login


def _totals_row(page: str) -> str:
    row = re.search(r'<tr id="lot-totals">(.*?)</tr>', page, re.S)
    assert row, "no totals row"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())


def test_the_lots_are_totalled_per_unit_and_kind_of_package(ctx, client):
    exporter, inspector, _registration, consignment = make_consignment(submit=False)
    drafts.add_lot(exporter, consignment, replace(WHEAT_LOT, marks="Wagon 95123457"))
    drafts.add_lot(exporter, consignment, replace(
        WHEAT_LOT, net_weight=Decimal("900"), gross_weight=Decimal("918.5"), weight_unit="kg",
        packages_number=18, packages_kind="big_bags", marks="Wagon 95123458"))
    drafts.submit_consignment(exporter, consignment)
    login(client, exporter.email)
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    # 65.5 t + 65.5 t + 900 kg, not 131.9 or 1 031 of anything
    assert _totals_row(page) == ("Total 131,900 kilograms 132,318.5 kilograms "
                                 "2 × In bulk, 18 × Big bags")
    staff = client.application.test_client()
    login(staff, inspector.email)
    page = staff.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    assert "131,900 kilograms" in _totals_row(page)
