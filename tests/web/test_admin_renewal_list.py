"""Administrators edit GACC's Order 280 renewal list; the renewal decision follows the edit."""

from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, GaccCategory
from certtrack.services import registrations
from certtrack.services.reference import load_reference

from factories import make_registration, make_user
from forms import login, post


def test_an_administrator_takes_a_category_off_the_list_and_the_reload_keeps_it(ctx, client):
    admin = make_user("admin")
    login(client, admin.email)
    page = client.get("/admin/renewal-list/").get_data(as_text=True)
    assert "Order 280 renewal list" in page and "trade press summaries" in page
    response = post(client, "/admin/renewal-list/meat", {
        "source": "GACC Announcement [2026] No. 27, catalogue read", "confidence": "V"})
    assert response.status_code == 302
    assert load_reference()["Order 280 renewal list"] == 0
    db.session.expire_all()
    meat = db.session.get(GaccCategory, "meat")
    assert (meat.renewal_list_280, meat.renewal_list_confidence) == (False, "V")
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "renewal_list_updated")).data["category"] == "meat"
    registrar = make_user("registrar")
    *_, registration = make_registration(registrar, date(2026, 7, 1), category="meat",
                                         product="beef_chilled")
    assert registrations.renewal(registration, date(2030, 7, 1)).state == "automatic"


def test_the_sources_read_in_the_page_language(app, client):
    with app.app_context():  # a request of its own for each language (Flask-Babel's cache)
        email = make_user("admin").email
    login(client, email)
    post(client, "/language", {"locale": "zh"})
    page = client.get("/admin/renewal-list/").get_data(as_text=True)
    assert "海关总署第280号令仅适用于食品" in page
    assert "covers food only" not in page
    post(client, "/language", {"locale": "ru"})
    page = client.get("/admin/renewal-list/").get_data(as_text=True)
    assert "Приказ ГТУ КНР № 280 распространяется только на пищевую продукцию" in page


def test_an_empty_source_is_refused(ctx, client):
    # On PostgreSQL the reference rows outlive a test, so compare with the row as it was.
    login(client, make_user("admin").email)
    before = db.session.get(GaccCategory, "meat")
    edited_at, source = before.renewal_list_edited_at, before.renewal_list_source
    response = post(client, "/admin/renewal-list/meat", {"on_list": "y", "source": "",
                                                         "confidence": "S"})
    assert response.status_code == 422
    db.session.expire_all()
    after = db.session.get(GaccCategory, "meat")
    assert (after.renewal_list_edited_at, after.renewal_list_source) == (edited_at, source)


def test_the_form_says_how_many_registrations_the_listing_decides_for(ctx, client):
    """Unticking the box said only "Saved.", and the next night renewed every registration of
    the category automatically."""
    registrar = make_user("registrar")
    for _ in range(2):
        make_registration(registrar, date(2026, 7, 1), category="meat", product="beef_chilled")
    login(client, make_user("admin").email)
    page = client.get("/admin/renewal-list/meat").get_data(as_text=True)
    consequence = page[page.index('id="renewal-consequence"'):].split("</p>")[0]
    assert "2 registrations in force are of this category" in consequence
    assert "renewed automatically for 5 years" in consequence
    grain = client.get("/admin/renewal-list/edible_grains").get_data(as_text=True)
    assert "0 registrations in force are of this category" in grain
