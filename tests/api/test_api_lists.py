"""The authenticated lists' filters: an unknown code, or a parameter no list takes, is refused
with 422 naming it, never answered with an empty or an unfiltered page."""

from api_world import bearer, token_for
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
