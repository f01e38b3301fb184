"""The authenticated lists' filters: an unknown code, or a parameter no list takes, is refused
with 422 naming it, never answered with an empty or an unfiltered page."""

import pytest

from api_world import bearer, build_world, token_for
from consignment_factories import make_consignment
from factories import make_certificate, make_user


def test_an_unknown_category_of_the_registrations_is_refused(ctx, client):
    """/registrations?category=bogus answered 200 with no rows, where the public register
    refuses the same code."""
    registrar = make_user("registrar")
    _registrar, exporter, registration, _certificate = make_certificate(registrar)
    for user in (registrar, exporter):
        secret = token_for(user)
        refused = client.get("/api/v1/registrations?category=bogus", headers=bearer(secret))
        assert refused.status_code == 422
        assert refused.get_json()["errors"] == {"category": ["No GACC category has this code."]}
        known = client.get(f"/api/v1/registrations?category={registration.gacc_category_code}",
                           headers=bearer(secret))
        assert known.status_code == 200
        assert [row["id"] for row in known.get_json()["items"]] == [registration.id]


LISTS = (("/api/v1/public/register", None), ("/api/v1/applications", "exporter_a"),
         ("/api/v1/establishments", "exporter_a"), ("/api/v1/registrations", "registrar"),
         ("/api/v1/certificates", "exporter_a"), ("/api/v1/consignments", "exporter_a"),
         ("/api/v1/laboratory/samples", "laboratory"))


@pytest.mark.parametrize(("path", "caller"), LISTS)
def test_a_parameter_no_list_takes_is_refused_naming_it(client, ctx, path, caller):
    """?stat=submitted (a typo of state) listed everything, as if there were no filter."""
    world = build_world()
    headers = bearer(world.tokens[caller]) if caller else {}
    refused = client.get(f"{path}?stat=submitted&limit=5", headers=headers)
    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert refused.get_json()["errors"] == {"stat": ["This field is not part of the request."]}
    first = client.get(f"{path}?limit=1", headers=headers)
    assert first.status_code == 200
    if cursor := first.get_json()["next_cursor"]:
        assert client.get(f"{path}?limit=1&cursor={cursor}", headers=headers).status_code == 200


def test_a_verification_refuses_a_parameter_it_does_not_take(client, ctx):
    refused = client.get("/api/v1/public/verify?number=KZ-CN-2026-000001&code=ABCD&lang=zh")
    assert refused.status_code == 422
    assert "lang" in refused.get_json()["errors"]


@pytest.mark.parametrize("limit", ["1_0", " 5", "٥"])
def test_a_page_size_is_written_in_digits(client, ctx, limit):
    """?limit=1_0 listed 10, and other scripts' digits were read as numbers."""
    exporter = make_user("exporter")
    refused = client.get("/api/v1/applications", query_string={"limit": limit},
                         headers=bearer(token_for(exporter)))
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"limit": ["Enter a whole number."]}


def test_an_operation_taking_no_parameter_refuses_one_naming_it(client, ctx):
    """GET /enterprise?fields=bin and GET /consignments/{id}?page=2 answered as if nothing had
    been sent, where a list refuses a parameter it does not take."""
    exporter, _inspector, _registration, consignment = make_consignment(submit=False)
    headers = bearer(token_for(exporter))
    for path in ("/api/v1/enterprise?fields=bin", f"/api/v1/consignments/{consignment.id}?page=2"):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 422, path
        assert refused.mimetype == "application/problem+json"
        name = path.rpartition("?")[2].partition("=")[0]
        assert refused.get_json()["errors"] == {name: ["This field is not part of the request."]}
        assert client.get(path.partition("?")[0], headers=headers).status_code == 200


def test_a_submission_with_a_parameter_it_does_not_take_is_refused_and_changes_nothing(
        client, ctx):
    """POST …/submit?dry_run=1 submitted the draft for good: the parameter was never read."""
    exporter, _inspector, _registration, consignment = make_consignment(submit=False)
    headers = bearer(token_for(exporter))
    url = f"/api/v1/consignments/{consignment.id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    refused = client.post(f"{url}/submit?dry_run=1", headers={**headers, "If-Match": etag})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"dry_run": ["This field is not part of the request."]}
    assert client.get(url, headers=headers).get_json()["state"] == "draft"
    submitted = client.post(f"{url}/submit", headers={**headers, "If-Match": etag})
    assert submitted.status_code == 200
    assert submitted.get_json()["consignment"]["state"] == "submitted"
