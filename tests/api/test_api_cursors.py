"""Cursors a client made up: refused with 422 on every paged list, never a 500."""

import base64

import pytest

from certtrack.domain.bounds import MAX_ID

from api_world import bearer, build_world


@pytest.fixture
def world(ctx):
    return build_world()


def _cursor(number: int) -> str:
    return base64.urlsafe_b64encode(str(number).encode()).decode().rstrip("=")


LISTS = (("/api/v1/public/register", None), ("/api/v1/applications", "exporter_a"),
         ("/api/v1/establishments", "exporter_a"), ("/api/v1/registrations", "exporter_a"),
         ("/api/v1/certificates", "exporter_a"), ("/api/v1/consignments", "exporter_a"),
         ("/api/v1/laboratory/samples", "laboratory"))


@pytest.mark.parametrize(("path", "caller"), LISTS)
def test_a_cursor_beyond_any_id_is_refused_with_422(client, world, path, caller):
    """Each number in turn on one world (building one per number was most of the time)."""
    headers = bearer(world.tokens[caller]) if caller else {}
    wrong = {}
    for number in (MAX_ID + 1, 2**63, 99999999999999999999, -1):
        answer = client.get(f"{path}?cursor={_cursor(number)}", headers=headers)
        if answer.status_code != 422 or answer.mimetype != "application/problem+json" or \
                "next_cursor" not in answer.get_json()["errors"]["cursor"][0]:
            wrong[number] = (answer.status_code, answer.get_data(as_text=True)[:300])
    assert wrong == {}


@pytest.mark.parametrize(("path", "caller"), LISTS)
def test_the_largest_cursor_is_an_empty_last_page(client, world, path, caller):
    headers = bearer(world.tokens[caller]) if caller else {}
    answer = client.get(f"{path}?cursor={_cursor(MAX_ID)}", headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(("path", "caller"), LISTS)
def test_a_cursor_not_written_in_digits_is_refused_with_422(client, world, path, caller):
    """A cursor reading "1_0" continued after id 10 (Python's int() skips the underscore), as
    " 10", "+10" and other scripts' digits did: none is a cursor this API writes."""
    headers = bearer(world.tokens[caller]) if caller else {}
    wrong = {}
    for written in ("1_0", " 10", "10\n", "+10", "١٠"):
        cursor = base64.urlsafe_b64encode(written.encode()).decode().rstrip("=")
        answer = client.get(f"{path}?cursor={cursor}", headers=headers)
        if answer.status_code != 422 or \
                "next_cursor" not in answer.get_json()["errors"]["cursor"][0]:
            wrong[written] = (answer.status_code, answer.get_data(as_text=True)[:300])
    assert wrong == {}
