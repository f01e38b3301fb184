"""Notifications reach each person in their own language, whoever triggered them."""

from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Notification, OutboxEmail
from certtrack.services import review

from factories import make_submitted_application, make_user


def test_exporter_reads_the_return_in_russian_when_the_inspector_works_in_english(ctx):
    exporter, application = make_submitted_application()
    exporter.locale = "ru"
    inspector = make_user("inspector")
    inspector.locale = "en"
    db.session.commit()
    review.start_review(inspector, application)
    review.return_for_corrections(inspector, application, "HACCP plan unsigned",
                                  date(2030, 1, 15))

    note = db.session.scalar(select(Notification).where(Notification.user_id == exporter.id,
                                                        Notification.kind == "returned"))
    assert note.message.startswith(f"Заявка № {application.reference} возвращена на доработку")
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.notification_id == note.id))
    assert "возвращена на доработку" in email.subject
