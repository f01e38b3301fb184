"""The renewal reminders' days read as the page's language lists dates: no second full stop
after a Russian or Kazakh date, Chinese list punctuation."""

from datetime import timedelta

from certtrack.domain.calendar import add_years
from certtrack.services.applications import local_today

from factories import make_registration, make_user
from forms import login, post


def test_the_reminder_days_are_listed_in_the_pages_language(app, client):
    with app.app_context():
        registrar = make_user("registrar")
        valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
        exporter, _application, _registration = make_registration(
            registrar, valid_from, category="meat", product="beef_chilled")
        email = exporter.email
    login(client, email)
    pages = {}
    for locale in ("ru", "kk", "zh"):
        assert post(client, "/language", {"locale": locale}).status_code == 302
        pages[locale] = client.get("/exporter/registrations").get_data(as_text=True)
    assert "Напоминания: " in pages["ru"] and " и " in pages["ru"].split("Напоминания: ")[1]
    for locale in ("ru", "kk"):
        assert "г.." not in pages[locale] and "..<" not in pages[locale], locale
    reminders = pages["zh"].split("提醒日期：")[1].split("。")[0]
    assert "、" in reminders and ", " not in reminders


def test_the_validity_names_the_rules_it_was_listed_under_and_the_renewal_those_of_its_end(
        app, client):
    """A registration listed under Decree 248 and renewed under Order 280 read "GACC Decree
    248" under its validity and "Order 280 applies" under its renewal, as if they disagreed."""
    with app.app_context():
        registrar = make_user("registrar")
        valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
        exporter, _application, registration = make_registration(
            registrar, valid_from, category="meat", product="beef_chilled")
        assert registration.regime == "248"
        email = exporter.email
    login(client, email)
    page = client.get("/exporter/registrations").get_data(as_text=True)
    assert "listed under GACC Decree 248" in page
