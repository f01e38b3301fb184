"""The exporter's registrations page asks the same number of queries whatever its rows: each
row asked for its renewal application in progress, up to twice (its renewal's outcome under
Order 280 and why a renewal cannot start)."""

from datetime import timedelta

import pytest
from sqlalchemy import event, update

from certtrack.domain.calendar import add_years
from certtrack.extensions import db
from certtrack.models import Registration
from certtrack.services import registrations
from certtrack.services.applications import local_today

from factories import make_registration, make_user
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


def _in_window(registrar):
    """A meat registration (on Order 280's list) in its renewal window: (exporter, its
    registration)."""
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _application, registration = make_registration(
        registrar, valid_from, category="meat", product="beef_chilled")
    return exporter, registration


def _queries(client) -> int:
    seen = []

    def record(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/exporter/registrations").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)


def test_the_registrations_page_does_not_ask_per_row(ctx, client):
    registrar = make_user("registrar")
    exporter, first = _in_window(registrar)
    registrations.start_renewal(exporter, first)  # one row with its renewal under way
    login(client, exporter.email)
    client.get("/exporter/registrations")
    one = _queries(client)
    more = [_in_window(registrar)[1] for _ in range(3)]
    db.session.execute(update(Registration).where(Registration.id.in_([r.id for r in more]))
                       .values(enterprise_id=first.enterprise_id))
    db.session.commit()
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert all(r.china_number in page for r in [first, *more])
    assert _queries(client) == one
