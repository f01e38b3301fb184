"""The exporter's list of consignments: found by the request's number or its certificate's,
sorted newest first, oldest first or by deadline (it had a state filter only)."""

import re
from urllib.parse import urlencode

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


def test_another_enterprises_consignment_is_not_found_by_its_number(ctx, client):
    _owner, inspector, _registration, theirs = make_consignment()
    inspect_ready(inspector, theirs)
    certificate = issue.issue_consignment_certificate(inspector, theirs)
    other, *_ = make_consignment(region="KZ-39")
    login(client, other.email)
    for query in (theirs.reference, str(theirs.id), certificate.number):
        assert _references(client, "?" + urlencode({"q": query})) == []


def test_the_pager_ignores_what_url_for_reads_as_its_own(ctx, client, app):
    """`?endpoint=x` answered 500 (TypeError) and `?_anchor=` set the pager's links' #part."""
    app.config["PER_PAGE"] = 1
    exporter, _inspector, registration, _first = make_consignment(submit=False)
    second = drafts.create_consignment(exporter, header(registration,
                                                        origin_region_code="KZ-11"))
    drafts.add_lot(exporter, second, WHEAT_LOT)
    login(client, exporter.email)
    response = client.get("/exporter/consignments/?endpoint=x&_method=POST&_anchor=evil&sort="
                          "oldest")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/exporter/consignments/?sort=oldest&amp;page=2"' in page
    pager = page.split('class="pager"')[1].split("</nav>")[0]
    assert "evil" not in pager and "endpoint=" not in pager and "_method" not in pager
