"""SQL queries per page do not grow with the rows (the budget of make bench): the dashboard,
an application's detail page with a long history, and the public verification page."""

import io
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from certtrack.extensions import db
from certtrack.models import AuditEvent, VerificationLog
from certtrack.services import applications, dashboard, documents, review
from certtrack.services.audit import record_event
from certtrack.services.transaction import transaction

from factories import (
    PDF_BYTES,
    make_certificate,
    make_submitted_application,
    make_user,
)
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries(client, url: str, **options) -> int:
    """The statements one GET of `url` sends, from a clean session as in a fresh request."""
    db.session.expire_all()
    with counting_queries() as statements:
        response = client.get(url, **options)
    assert response.status_code == 200, response.status_code
    return len(statements)


def _dashboard_queries(app, client) -> int:
    app.extensions.pop(dashboard._MEDIANS_KEY, None)  # count the medians' query as well
    app.extensions.pop(dashboard._COUNTS_KEY, None)  # and the counts'
    return _queries(client, "/dashboard")


def test_dashboard_queries_do_not_grow_with_applications(app, ctx, client):
    registrar = make_user("registrar")
    exporter, _first = make_submitted_application(name="First Grain", region="KZ-11")
    make_submitted_application(exporter)
    make_submitted_application(name="Meat Works", region="KZ-33", category="meat",
                               product="beef_chilled")
    login(client, registrar.email)
    client.get("/dashboard")  # per-process caches: working calendar, medians
    with_three = _dashboard_queries(app, client)
    for n in range(20):
        make_submitted_application(name=f"Grain {n}", region=("KZ-39", "KZ-55")[n % 2])
    with_twenty_three = _dashboard_queries(app, client)
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<span class="tile-figure">23</span>' in page
    assert with_twenty_three == with_three


def test_dashboard_counts_are_a_minute_old_at_most(app, ctx, client, monkeypatch):
    registrar = make_user("registrar")
    make_submitted_application(name="First Grain")
    login(client, registrar.email)
    assert '<span class="tile-figure">1</span>' in client.get("/dashboard").get_data(as_text=True)
    make_submitted_application(name="Second Grain")
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<span class="tile-figure">1</span>' in page  # kept for COUNTS_TTL seconds
    assert "Figures as of" in page
    later = dashboard.time.monotonic() + dashboard.COUNTS_TTL + 1
    monkeypatch.setattr(dashboard.time, "monotonic", lambda: later)
    assert '<span class="tile-figure">2</span>' in client.get("/dashboard").get_data(as_text=True)


def test_stage_medians_are_kept_for_their_ttl_then_recomputed(ctx, monkeypatch):
    _exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    first = dashboard.stage_medians()
    assert set(first) == {"draft"}
    review.start_review(inspector, application)  # leaves "submitted": a new span
    assert dashboard.stage_medians() == first
    later = dashboard.time.monotonic() + dashboard.MEDIANS_TTL + 1
    monkeypatch.setattr(dashboard.time, "monotonic", lambda: later)
    assert set(dashboard.stage_medians()) == {"draft", "submitted"}


def _long_history(exporter, inspector, registrar) -> int:
    """An application with three versions of every document and 40 more audit events."""
    exporter, application = make_submitted_application(exporter, submit=False)
    for version in (2, 3):
        for document in list(application.documents):
            if document.version == 1:
                documents.upload_document(exporter, application, document.document_type_code,
                                          io.BytesIO(PDF_BYTES + bytes([version])),
                                          f"v{version}.pdf")
    applications.submit_application(exporter, application)
    with transaction():
        for n in range(40):
            actor = (exporter, inspector, registrar)[n % 3]
            record_event(actor, "application_updated", object_type="application",
                         object_id=application.id, application_id=application.id,
                         comment=f"note {n}")
    return application.id


def test_detail_page_queries_do_not_grow_with_history(ctx, client):
    inspector, registrar = make_user("inspector"), make_user("registrar")
    exporter, short = make_submitted_application()
    long_id = _long_history(exporter, inspector, registrar)
    short_id = short.id
    events = db.session.scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.application_id == long_id))
    assert events > 40
    login(client, inspector.email)
    client.get(f"/inspector/applications/{short_id}")  # per-process caches
    short_queries = _queries(client, f"/inspector/applications/{short_id}")
    long_queries = _queries(client, f"/inspector/applications/{long_id}")
    page = client.get(f"/inspector/applications/{long_id}").get_data(as_text=True)
    assert page.count("note ") == 40 and "(superseded)" in page
    assert long_queries == short_queries


def test_verification_queries_do_not_grow_with_certificates_or_lookups(ctx, client):
    _registrar, _exporter, _registration, certificate = make_certificate()
    url = f"/verify/{certificate.number}/{certificate.verification_code}"
    client.get(url, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    first = _queries(client, url, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    make_certificate(region="KZ-39")
    for n in range(20):
        client.get(url, environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
    later = _queries(client, url, environ_base={"REMOTE_ADDR": "10.0.0.3"})
    assert db.session.scalar(select(func.count()).select_from(VerificationLog)) == 23
    assert later == first


def test_the_consignment_queues_queries_do_not_grow_with_consignments(ctx, client):
    """The inspector's open and closed consignments, searched or not: the same number of
    statements for one consignment of each as for four (lots, enterprises and establishments
    are loaded per page, not per row)."""
    from certtrack.services.consignments import issue

    from consignment_factories import inspect_ready, make_consignment

    _exporter, inspector, _r, first = make_consignment("phyto")
    inspect_ready(inspector, first)
    issue.issue_consignment_certificate(inspector, first)
    make_consignment("phyto")
    login(client, inspector.email)
    urls = ("/inspector/consignments/", "/inspector/consignments/?show=closed",
            "/inspector/consignments/?show=closed&q=Steppe")
    few = [_queries(client, url) for url in urls]
    for _ in range(3):
        _e, other_inspector, _r, more = make_consignment("phyto")
        inspect_ready(other_inspector, more)
        issue.issue_consignment_certificate(other_inspector, more)
        make_consignment("phyto")
    assert [_queries(client, url) for url in urls] == few
