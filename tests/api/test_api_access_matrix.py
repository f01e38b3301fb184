"""Every API operation × every kind of caller → the status the pages' rules give.

Anonymous callers and revoked or expired tokens get 401; a role the operation is not for gets
403; another enterprise's object 404 (never 403, as on the pages). A new operation fails
test_matrix_lists_every_operation until its row is added.
"""

import io
from datetime import date, timedelta

import pytest

from certtrack.services import gacc
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts
from certtrack.services.inputs import RegistrationInput

from api_world import bearer, build_world, wheat_limit
from consignment_factories import CONSIGNEE, WHEAT_LOT, header
from factories import PDF_BYTES, make_submitted_application, move_to_state

CALLERS = ("anonymous", "exporter_a", "exporter_b", "inspector", "registrar", "admin",
           "laboratory", "laboratory_b", "revoked", "expired")
E403 = 403
# Per CALLERS: anonymous, A, B, inspector, registrar, admin, lab, lab B, revoked, expired.
EXPORTER_READ = (401, 200, 200, E403, E403, E403, E403, E403, 401, 401)
EXPORTER_OBJECT = (401, 200, 404, E403, E403, E403, E403, E403, 401, 401)
PUBLIC = (200,) * 10
MATRIX = {
    ("GET", "/api/v1/enterprise"): EXPORTER_READ,
    ("GET", "/api/v1/establishments"): EXPORTER_READ,
    ("GET", "/api/v1/applications"): EXPORTER_READ,
    ("POST", "/api/v1/applications"): (401, 422, 422, E403, E403, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/applications/{application}"): EXPORTER_OBJECT,
    ("POST", "/api/v1/applications/{application}/products"):
        (401, 422, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/applications/{application}/documents"):
        (401, 201, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/applications/{application}/submit"):
        (401, 200, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/applications/{application}/withdraw"):
        (401, 200, 404, E403, E403, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/registrations"): (401, 200, 200, E403, 200, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/registrations/999"): (401, 404, 404, E403, 404, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/certificates"): EXPORTER_READ,
    ("GET", "/api/v1/certificates/999"): (401, 404, 404, E403, E403, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/certificates/999/pdf"):
        (401, 404, 404, E403, E403, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/consignments"): EXPORTER_READ,
    ("GET", "/api/v1/consignments/999"): (401, 404, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/consignments/999/submit"):
        (401, 404, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/consignments/999/withdraw"):
        (401, 404, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/consignments"): (401, 201, 422, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/consignments/{consignment}/lots"):
        (401, 201, 404, E403, E403, E403, E403, E403, 401, 401),
    ("DELETE", "/api/v1/consignments/{consignment}/lots/{lot}"):
        (401, 200, 404, E403, E403, E403, E403, E403, 401, 401),
    ("POST", "/api/v1/consignments/{consignment}/documents"):
        (401, 201, 404, E403, E403, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/consignment-certificates/999/pdf"):
        (401, 404, 404, E403, E403, E403, E403, E403, 401, 401),
    ("GET", "/api/v1/laboratory/samples"):
        (401, E403, E403, E403, E403, E403, 200, 200, 401, 401),
    ("GET", "/api/v1/laboratory/samples/{sample}"):
        (401, E403, E403, E403, E403, E403, 200, 404, 401, 401),
    ("POST", "/api/v1/laboratory/samples/{sample}/results"):
        (401, E403, E403, E403, E403, E403, 201, 404, 401, 401),
    ("GET", "/api/v1/public/verify?number=KZ-2026-000001&code=nope"): (404,) * 10,
    ("GET", "/api/v1/public/register"): PUBLIC,
}
BODIES = {
    "/api/v1/applications/{application}/products": {
        "json": {"product_code": "wheat", "annual_volume": "5", "volume_unit": "t"}},
    "/api/v1/applications/{application}/withdraw": {"json": {"comment": "no longer needed"}},
    "/api/v1/consignments/999/withdraw": {"json": {"reason": "no longer needed"}},
    "/api/v1/consignments/{consignment}/lots": {"json": {
        "product_code": "wheat", "net_weight": "20", "gross_weight": "20.5", "weight_unit": "t",
        "packages_number": 400, "packages_kind": "bags"}},
    "/api/v1/applications": {"json": {"establishment_id": 999999,
                                      "gacc_category_code": "edible_grains"}},
}


@pytest.fixture
def world(ctx):
    """The API's world, and exporter A's registration in force with a draft consignment of a
    lot."""
    w = build_world()
    _exporter, application = make_submitted_application(w.exporter_a, submit=False)
    move_to_state(application, "submitted_to_gacc")
    w.registration_a = gacc.record_registration(w.registrar, application, RegistrationInput(
        china_number="CKAZ00000000000077", listing_date=local_today() - timedelta(days=30),
        route="under_guarantee"))
    w.consignment_a = drafts.create_consignment(w.exporter_a, header(w.registration_a))
    w.lot_a = drafts.add_lot(w.exporter_a, w.consignment_a, WHEAT_LOT)
    return w


def _request(client, world, method: str, template: str, caller: str):
    url = template.format(application=world.application_a.id, sample=world.sample1.id,
                          consignment=world.consignment_a.id, lot=world.lot_a.id)
    headers = bearer(world.tokens[caller]) if caller != "anonymous" else {}
    if template.endswith("/documents"):  # a file other than the draft's (which answers 200)
        kind = "contract" if "/consignments/" in template else "haccp"
        return client.post(url, headers=headers, content_type="multipart/form-data", data={
            "document_type": kind, "file": (io.BytesIO(PDF_BYTES + b"%new"), "haccp.pdf")})
    if (method, template) == ("POST", "/api/v1/consignments"):
        return client.post(url, headers=headers, json={
            **CONSIGNEE, "registration_id": world.registration_a.id, "conveyance": "truck",
            "crossing_code": "nur_zholy_khorgos", "origin_region_code": "KZ-11"})
    if template.endswith("/results"):
        return client.post(url, headers=headers, json={
            "limit_id": wheat_limit().id, "value": "10", "unit": "µg/kg",
            "tested_on": date.today().isoformat()})
    return client.open(url, method=method, headers=headers, **BODIES.get(template, {}))


def test_matrix_lists_every_operation(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {(method.upper(), path) for path, item in spec["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")}
    listed = {(m, p.split("?")[0].replace("{application}", "{application_id}")
               .replace("{sample}", "{sample_id}").replace("/999", "/{x}")
               .replace("{consignment}", "{x}").replace("{lot}", "{lot_id}"))
              for m, p in MATRIX}
    normalised = {(m, p.replace("{registration_id}", "{x}").replace("{certificate_id}", "{x}")
                   .replace("{consignment_id}", "{x}"))
                  for m, p in documented}
    assert normalised == listed


@pytest.mark.parametrize("method,template", list(MATRIX))
def test_access_matrix(client, world, method, template):
    got = []
    for caller in CALLERS:
        response = _request(client, world, method, template, caller)
        if response.status_code >= 400:
            assert response.content_type == "application/problem+json", (caller, response.data)
        got.append(response.status_code)
    assert tuple(got) == MATRIX[(method, template)], dict(zip(CALLERS, got, strict=True))
