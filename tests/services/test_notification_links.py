"""A notification leads to a page: the list links to it, the e-mail carries its public URL."""

from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Notification, OutboxEmail
from certtrack.services import review

from factories import make_submitted_application, make_user
from forms import login


def _returned(app, public_base_url="https://certtrack.example.kz"):
    app.config["PUBLIC_BASE_URL"] = public_base_url
    with app.app_context():
        exporter, application = make_submitted_application()
        inspector = make_user("inspector")
        review.start_review(inspector, application)
        review.return_for_corrections(inspector, application, "HACCP plan unsigned",
                                      date(2030, 1, 15))
        note = db.session.scalar(select(Notification).where(
            Notification.user_id == exporter.id, Notification.kind == "returned"))
        email = db.session.scalar(select(OutboxEmail).where(
            OutboxEmail.notification_id == note.id))
        return exporter.email, application.id, note.link, email.body


def test_the_return_email_links_to_the_application_under_the_public_address(app):
    _email, application_id, link, body = _returned(app)
    assert link == f"/exporter/applications/{application_id}"
    assert body.endswith(
        f"\n\nhttps://certtrack.example.kz/exporter/applications/{application_id}\n")


def test_the_notifications_page_links_the_return_to_the_application(app, client):
    email, application_id, _link, _body = _returned(app)
    login(client, email)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'href="/exporter/applications/{application_id}"' in page
    assert client.get(f"/exporter/applications/{application_id}").status_code == 200
