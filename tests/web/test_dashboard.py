"""The dashboard's headline figures: what they count is what their words say."""

import html
from datetime import timedelta

from flask_babel import format_date
from sqlalchemy import update

from certtrack.domain.calendar import add_years
from certtrack.extensions import db
from certtrack.models import Registration
from certtrack.services import dashboard, registrations
from certtrack.services.applications import local_today

from factories import make_registration, make_submitted_application, make_user
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


def test_the_dashboard_names_the_renewals_due_and_the_suspensions_ending(ctx, app, client):
    """A renewal nobody had applied for, or a suspension about to end, showed only on the
    registration's own page: a registrar had to open each to find them."""
    registrar = make_user("registrar")
    in_window = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    _exporter, _application, due = make_registration(registrar, in_window, category="meat",
                                                     product="beef_chilled")
    listed = local_today() - timedelta(days=30)
    ending, later, quiet = (make_registration(registrar, listed)[2] for _ in range(3))
    for registration, until in ((ending, 12), (later, 45)):
        db.session.execute(update(Registration).where(Registration.id == registration.id).values(
            status="suspended", suspended_from=listed,
            suspended_until=local_today() + timedelta(days=until)))
    db.session.commit()
    login(client, registrar.email)
    page = client.get("/dashboard").get_data(as_text=True)
    closes = registrations.renewal(due, local_today()).window[1]
    renewals = page.split('aria-labelledby="renewals-due-heading"')[1].split("</table>")[0]
    assert "1 renewal to apply for" in page
    assert due.china_number in renewals and format_date(closes) in renewals
    assert f'href="/registrar/registrations/{due.id}"' in renewals
    suspensions = page.split('aria-labelledby="suspensions-ending-heading"')[1].split(
        "</table>")[0]
    assert "1 suspension ending" in page
    assert ending.china_number in suspensions
    assert format_date(local_today() + timedelta(days=12)) in suspensions
    assert later.china_number not in page and quiet.china_number not in page

    draft = registrations.start_renewal(_exporter, due)  # started, never submitted
    page = client.get("/dashboard").get_data(as_text=True)
    renewals = page.split('aria-labelledby="renewals-due-heading"')[1].split("</table>")[0]
    assert due.china_number in renewals  # still to apply for, and the draft said
    assert f"Renewal {draft.reference} started, a draft not yet submitted." in renewals


def test_an_administrator_reads_the_numbers_without_links_to_the_registrars_pages(
        ctx, app, client):
    """The administrator's dashboard linked each number to a registrar's page, which answered
    403."""
    registrar = make_user("registrar")
    listed = local_today() - timedelta(days=30)
    ending = make_registration(registrar, listed)[2]
    db.session.execute(update(Registration).where(Registration.id == ending.id).values(
        status="suspended", suspended_from=listed,
        suspended_until=local_today() + timedelta(days=12)))
    db.session.commit()
    login(client, make_user("admin").email)
    page = client.get("/dashboard").get_data(as_text=True)
    suspensions = page.split('aria-labelledby="suspensions-ending-heading"')[1].split(
        "</table>")[0]
    assert f"<code>{ending.china_number}</code>" in suspensions
    assert "/registrar/" not in page


def test_a_registrars_figures_lead_to_the_applications_they_count(ctx, app, client):
    """"6 overdue" and the bars by state, region and category were plain text: a registrar
    who saw them opened the list and set its filters by hand."""
    registrar = make_user("registrar")
    exporter, application = make_submitted_application()
    app.extensions.pop(dashboard._COUNTS_KEY, None)
    login(client, registrar.email)
    page = html.unescape(client.get("/dashboard").get_data(as_text=True))
    assert '<a href="/registrar/?state=submitted#all">Submitted</a>' in page
    region = application.establishment.region
    assert (f'<a href="/registrar/?region={region.code}#all">{region.name_in("en")}</a>'
            in page)
    assert f'<a href="/registrar/?category={application.gacc_category_code}#all">' in page
    listed = client.get("/registrar/?state=submitted").get_data(as_text=True)
    assert application.reference in listed.split('<section id="all">')[1]
    application.stage_deadline = local_today() - timedelta(days=1)
    db.session.commit()
    app.extensions.pop(dashboard._COUNTS_KEY, None)
    tile = client.get("/dashboard").get_data(as_text=True).split('id="overdue">')[1]
    assert tile.startswith('<span class="tile-figure">1</span> <a href="/registrar/?overdue=1'
                           '#all">overdue</a>')
    on_time = make_submitted_application()[1]  # its deadline to come: not in the list
    overdue = client.get("/registrar/?overdue=1").get_data(as_text=True).split(
        '<section id="all">')[1]
    assert application.reference in overdue and on_time.reference not in overdue
    assert 'name="overdue" value="1" checked' in overdue
    login(client, make_user("admin").email)
    assert "/registrar/" not in client.get("/dashboard").get_data(as_text=True)
