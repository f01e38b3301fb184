"""The exporter's list of consignments: found by the request's number or its certificate's,
sorted newest first, oldest first or by deadline (it had a state filter only)."""

import re

from certtrack.services.consignments import drafts, issue

from consignment_factories import WHEAT_LOT, header, inspect_ready, make_consignment
from forms import login


def _references(client, query: str = "") -> list[str]:
    page = client.get("/exporter/consignments/" + query)
    assert page.status_code == 200
    return re.findall(r">(CS-\d{6})</a>", page.get_data(as_text=True))


def test_the_exporters_consignments_are_found_by_number_and_sorted(ctx, client):
    exporter, inspector, registration, first = make_consignment()
    second = drafts.create_consignment(exporter, header(registration,
                                                        origin_region_code="KZ-11"))
    drafts.add_lot(exporter, second, WHEAT_LOT)
    inspect_ready(inspector, first)
    certificate = issue.issue_consignment_certificate(inspector, first)
    login(client, exporter.email)
    assert _references(client) == [second.reference, first.reference]
    assert _references(client, "?sort=oldest") == [first.reference, second.reference]
    assert _references(client, "?sort=deadline") == [first.reference, second.reference]
    assert _references(client, f"?q={first.reference.lower()}") == [first.reference]
    assert _references(client, f"?q={certificate.number}") == [first.reference]
    assert _references(client, "?q=CS-999999") == []
    assert _references(client, "?sort=nonsense") == [second.reference, first.reference]
