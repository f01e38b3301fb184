"""Consignment certificates seen from the registration and the dashboard: quantities per
product and year, certificates per week, crossing and product, overdue consignments; the
dashboard's query count does not grow with them."""

from datetime import timedelta

import pytest
from flask import g
from web.test_query_counts_pages import _dashboard_queries

from certtrack.extensions import db
from certtrack.services.applications import local_today
from certtrack.services.consignments import figures, issue

from consignment_factories import inspect_ready, make_consignment
from factories import make_user
from forms import login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


def _issued(registrar, kind="phyto", region="KZ-11"):
    _e, inspector, registration, consignment = make_consignment(kind, registrar=registrar,
                                                                region=region)
    inspect_ready(inspector, consignment)
    return registration, issue.issue_consignment_certificate(inspector, consignment)


def test_the_registration_page_lists_its_certificates_and_quantities(ctx, client):
    registrar = make_user("registrar")
    registration, certificate = _issued(registrar)
    login(client, registrar.email)
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    section = page[page.index('id="consignment-certificates"'):]
    assert certificate.number in section
    # The wheat lot of 65.5 t, summed in kilograms for the year of issue.
    assert str(certificate.year) in section and "65,500" in section and "Wheat" in section


def test_the_dashboard_counts_certificates_and_overdue_consignments(app, ctx, client):
    registrar = make_user("registrar")
    _issued(registrar)
    _e, _i, _r, late = make_consignment("vet", registrar=registrar, region="KZ-39")
    late.deadline = local_today() - timedelta(days=3)
    db.session.commit()
    login(client, registrar.email)
    app.extensions.pop("certtrack.dashboard_counts", None)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Certificates issued per point of entry" in page and "Dostyk" in page
    assert "Certificates issued per product" in page
    tile = page[page.index('id="consignments-overdue"'):]
    assert tile.startswith('id="consignments-overdue"><span class="tile-figure">1</span> '
                           'consignment overdue</div>')  # it read "1 consignments overdue"
    assert post(client, "/language", {"locale": "ru"}).status_code == 302
    g.pop("_flask_babel", None)
    russian = client.get("/dashboard").get_data(as_text=True)
    assert '<span class="tile-figure">1</span> партия просрочена</div>' in russian
    table = page[page.index('id="overdue-consignments"'):]
    assert late.reference in table and late.registration.china_number in table


def test_dashboard_queries_do_not_grow_with_consignments(app, ctx, client):
    registrar = make_user("registrar")
    _issued(registrar)
    login(client, registrar.email)
    client.get("/dashboard")
    one = _dashboard_queries(app, client)
    _issued(registrar, "vet", region="KZ-39")
    _e, _i, _r, late = make_consignment("phyto", registrar=registrar, region="KZ-55")
    late.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    assert _dashboard_queries(app, client) == one


def test_the_entry_points_and_products_count_the_last_12_months(ctx):
    """They counted every certificate ever issued, beside a weekly chart of 12 weeks, and
    named no period."""
    registrar = make_user("registrar")
    _registration, recent = _issued(registrar)
    _registration, old = _issued(registrar, "vet", region="KZ-39")
    old.issued_on = local_today() - timedelta(days=400)
    db.session.commit()
    today = local_today()
    assert figures.per_crossing(today) == {recent.consignment.crossing_code: 1}
    assert figures.per_product(today) == {"wheat": 1}
    assert sum(figures.per_crossing(today, days=500).values()) == 2
