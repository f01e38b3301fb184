"""Object-level access: exporter B's valid, CSRF-protected posts on exporter A's objects (404).

docs/security.md item 9. Each case first shows that the very same request succeeds for exporter A,
so that a 404 for B proves the ownership check and not a malformed request.
"""

import io

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application, AuditEvent, Document, Establishment

from factories import (
    ESTABLISHMENT,
    PDF_BYTES,
    QUESTIONNAIRE,
    make_exporter_with_application,
    make_user,
)
from forms import login, post, without_csrf_tokens

SECOND_BIN = "961141000023"


def _establishment_body(world):
    return {**ESTABLISHMENT, "name": "Renamed by someone", "version": world.establishment.version}


def _application_body(world):
    body = {key: value for key, value in QUESTIONNAIRE.items() if value is not None}
    return {**body, "establishment_id": world.establishment.id, "traceability": "Changed",
            "version": world.application.version}


def _upload_body(_world):
    return {"document_type": "haccp", "file": (io.BytesIO(PDF_BYTES), "haccp-v2.pdf")}


# action → (URL below the application, body); the line id is filled in from the world.
ACTIONS = {
    "submit": ("/submit", lambda w: {"version": w.application.version, "confirm": "y"}),
    "withdraw": ("/withdraw", lambda w: {"version": w.application.version,
                                         "reason": "Not exporting", "confirm": "y"}),
    "upload": ("/documents", _upload_body),
    "add_product": ("/products", lambda _w: {"product_code": "barley", "annual_volume": "50",
                                             "volume_unit": "t"}),
    "remove_product": ("/products/{line_id}/delete", lambda _w: {"confirm": "y"}),
    "edit_application": ("/edit", _application_body),
}


@pytest.fixture
def world(ctx):
    a_user, enterprise, establishment, application = make_exporter_with_application()
    b_user, *_ = make_exporter_with_application(SECOND_BIN, "exporter-b@example.kz")
    return type("World", (), {"a": a_user, "b": b_user, "enterprise": enterprise,
                              "establishment": establishment, "application": application})


def snapshot(world) -> tuple:
    """Everything of exporter A's that a post could change, read afresh from the database."""
    db.session.expire_all()
    application = db.session.get(Application, world.application.id)
    establishment = db.session.get(Establishment, world.establishment.id)
    documents = db.session.scalars(select(Document.id).where(
        Document.application_id == application.id).order_by(Document.id)).all()
    return (application.state, application.version, application.traceability,
            sorted(line.product_code for line in application.products), documents,
            establishment.name, establishment.version,
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def _post_action(client, world, action):
    path, body = ACTIONS[action]
    line_id = world.application.products[0].id
    url = f"/exporter/applications/{world.application.id}" + path.format(line_id=line_id)
    return post(client, url, body(world), content_type="multipart/form-data")


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_other_exporter_gets_404_and_changes_nothing(world, client, action):
    login(client, world.b.email)
    before = snapshot(world)
    response = _post_action(client, world, action)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert snapshot(world) == before
    # The same request from the owner goes through: B's request was well-formed.
    post(client, "/logout")
    login(client, world.a.email)
    assert _post_action(client, world, action).status_code == 302
    assert snapshot(world) != before


def test_other_exporter_cannot_edit_an_establishment(world, client):
    url = f"/exporter/establishments/{world.establishment.id}"
    login(client, world.b.email)
    before = snapshot(world)
    assert post(client, url, _establishment_body(world)).status_code == 404
    assert snapshot(world) == before
    post(client, "/logout")
    login(client, world.a.email)
    assert post(client, url, _establishment_body(world)).status_code == 302
    assert snapshot(world)[5] == "Renamed by someone"


def test_other_exporter_cannot_download_a_document(world, client):
    document_id = world.application.documents[0].id
    login(client, world.b.email)
    response = client.get(f"/documents/{document_id}")
    assert response.status_code == 404
    assert PDF_BYTES not in response.get_data()


def test_unknown_and_foreign_ids_look_the_same(world, client):
    """Another enterprise's application and one that does not exist answer alike."""
    login(client, world.b.email)
    pages = {}
    for application_id in (world.application.id, 999999):
        url = f"/exporter/applications/{application_id}"
        response = client.get(url)
        assert response.status_code == 404
        # The page repeats its own address in the language switcher, and its CSRF tokens carry
        # the second they were made; nothing else may differ.
        pages[application_id] = without_csrf_tokens(response.get_data(as_text=True)).replace(
            url, "URL")
    assert pages[world.application.id] == pages[999999]


def test_staff_never_see_a_draft(ctx, client):
    """A draft is the exporter's own until submitted: 404 for its inspector and the registrar,
    and it is in no staff list."""
    _user, _enterprise, _establishment, application = make_exporter_with_application()
    inspector, registrar = make_user("inspector"), make_user("registrar")
    for user, prefix in ((inspector, "/inspector"), (registrar, "/registrar")):
        login(client, user.email)
        assert client.get(f"{prefix}/applications/{application.id}").status_code == 404
        assert application.reference not in client.get(f"{prefix}/").get_data(as_text=True)
        assert client.get(f"/documents/{application.documents[0].id}").status_code == 404
        post(client, "/logout")
