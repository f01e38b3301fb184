"""The dashboard's headline figures: what they count is what their words say."""

from datetime import timedelta

from sqlalchemy import update

from certtrack.extensions import db
from certtrack.models import Registration
from certtrack.services import dashboard
from certtrack.services.applications import local_today

from factories import make_registration, make_user
from forms import login


def test_registrations_in_force_leave_out_the_expired_and_count_the_suspended_apart(
        ctx, app, client):
    """"7 registered in China" counted applications registered: one whose registration had
    expired and one suspended among them."""
    registrar = make_user("registrar")
    listed = local_today() - timedelta(days=30)
    made = [make_registration(registrar, listed)[2] for _ in range(4)]
    db.session.execute(update(Registration).where(Registration.id == made[0].id)
                       .values(status="expired"))
    db.session.execute(update(Registration).where(Registration.id == made[1].id)
                       .values(status="suspended"))
    db.session.commit()
    app.extensions.pop(dashboard._COUNTS_KEY, None)
    login(client, registrar.email)
    page = client.get("/dashboard").get_data(as_text=True)
    tile = page.split('id="registrations-in-force">')[1].split("</div>")[0]
    assert '<span class="tile-figure">2</span> registrations in force in China' in tile
    assert "and 1 suspended" in tile
