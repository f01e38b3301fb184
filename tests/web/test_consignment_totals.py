"""The consignment's page totals its lots as its certificate does: the exporter and the
inspector read the quantity declared and the packages the border checks."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from flask import g

from certtrack.extensions import db
from certtrack.services.consignments import drafts

from consignment_factories import HONEY_LOT, WHEAT_LOT, make_consignment
from forms import login


def _totals_row(page: str) -> str:
    row = re.search(r'<tr id="lot-totals">(.*?)</tr>', page, re.S)
    assert row, "no totals row"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())


def test_the_lots_are_totalled_per_unit_and_kind_of_package(ctx, client):
    exporter, inspector, _registration, consignment = make_consignment(submit=False)
    drafts.add_lot(exporter, consignment, replace(WHEAT_LOT, marks="Wagon 95123469"))
    drafts.add_lot(exporter, consignment, replace(
        WHEAT_LOT, net_weight=Decimal("900"), gross_weight=Decimal("918.5"), weight_unit="kg",
        packages_number=18, packages_kind="big_bags", marks="Wagon 95123477"))
    drafts.submit_consignment(exporter, consignment)
    login(client, exporter.email)
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    # 65.5 t + 65.5 t + 900 kg, not 131.9 or 1 031 of anything
    assert _totals_row(page) == ("Total 131,900 kilograms 132,318.5 kilograms "
                                 "2 lots in bulk, 18 big bags")
    staff = client.application.test_client()
    login(staff, inspector.email)
    page = staff.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    assert "131,900 kilograms" in _totals_row(page)


@pytest.mark.parametrize(("locale", "forty", "twenty_one", "total"), [
    ("ru", "40 бочек", "21 бочка", "61 бочка"), ("kk", "40 бөшке", "21 бөшке", "61 бөшке"),
    ("en", "40 drums", "21 drums", "61 drums"),
    ("zh", "40桶", "21桶", "61桶")])
def test_a_number_of_packages_reads_as_a_phrase_in_the_form_the_number_takes(
        ctx, client, locale, forty, twenty_one, total):
    """The kind after a count was the form's capitalised choice: "40 × Бочки"."""
    exporter, _inspector, _registration, consignment = make_consignment(
        "vet", submit=False, product="honey")
    drafts.add_lot(exporter, consignment, replace(HONEY_LOT, packages_number=21))
    exporter.locale = locale
    db.session.commit()
    login(client, exporter.email)
    g.pop("_flask_babel", None)  # the test's application context outlives the requests
    page = client.get(f"/exporter/consignments/{consignment.id}").get_data(as_text=True)
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td[^>]*>([^<]*)</td>", page)]
    assert forty in cells and twenty_one in cells
    assert _totals_row(page).endswith(total)
    assert "×" not in page.split('<tr id="lot-totals">')[0].split("<tbody>")[-1]
