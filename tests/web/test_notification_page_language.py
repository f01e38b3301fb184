"""The notifications page shows each notification in the language its reader has now, not the
one they had when it was made (the e-mail went out in that one)."""

import re
from datetime import date, timedelta

from babel.dates import format_date
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Notification, OutboxEmail, User
from certtrack.services import applications, inspections, review
from certtrack.services.reference import working_calendar

from factories import make_submitted_application, make_user
from forms import login, post

DAY = date(2030, 1, 15)


def _scheduled(app) -> tuple[str, str, date]:
    """An exporter with no language of their own is told of an on-site inspection: a date and
    a translated label in the message."""
    with app.app_context():
        exporter, application = make_submitted_application()
        inspector = make_user("inspector")
        review.start_review(inspector, application)
        review.accept_remaining_documents(inspector, application)
        day = working_calendar().add_working_days(applications.local_today() + timedelta(3), 0)
        inspections.schedule_inspection(inspector, application, "on_site", day, [inspector.id])
        return exporter.email, application.reference, day


def _page(client, locale: str) -> str:
    assert post(client, "/language", {"locale": locale}).status_code == 302
    return client.get("/notifications").get_data(as_text=True)


def test_a_notification_made_in_english_reads_in_kazakh_and_chinese_after_a_switch(app, client):
    email, reference, day = _scheduled(app)
    with app.app_context():
        note = db.session.scalar(select(Notification).where(
            Notification.kind == "inspection_scheduled",
            Notification.message.contains(reference)))
        english = note.message
        sent = db.session.scalar(select(OutboxEmail.subject).where(
            OutboxEmail.notification_id == note.id))
    assert english.startswith(f"An inspection (on-site inspection) of application {reference}")
    login(client, email)

    kazakh = _page(client, "kk")
    assert english not in kazakh
    assert "(көшпелі инспекция)" in kazakh  # the label in the message, translated too
    assert format_date(day, "medium", locale="kk") in kazakh

    chinese = _page(client, "zh")
    assert format_date(day, "medium", locale="zh") in chinese
    assert reference in chinese and english not in chinese
    assert english[:60] in sent  # the e-mail stays in the language it was sent in


def _returned(app):
    """An exporter told that their application was returned, answer due on DAY."""
    exporter, application = make_submitted_application()
    inspector = make_user("inspector")
    review.start_review(inspector, application)
    review.return_for_corrections(inspector, application, "HACCP plan unsigned", DAY)
    return exporter, application.id


def test_a_russian_sentence_ending_with_a_date_has_one_full_stop(app, client):
    with app.app_context():
        email = _returned(app)[0].email
    login(client, email)
    page = _page(client, "ru")
    assert f"Просим ответить до {format_date(DAY, 'medium', locale='ru')}<" in page
    assert "г.." not in page


def test_the_returned_applications_deadline_ends_its_sentence_once(app, client):
    """The panel read "…подайте ее повторно до 15 янв. 2030 г.." and, in Chinese, "…前重新提交：
    2030年1月15日." with a Latin full stop."""
    with app.app_context():
        exporter, application_id = _returned(app)
        email = exporter.email
    login(client, email)
    path = f"/exporter/applications/{application_id}"
    assert post(client, "/language", {"locale": "ru"}).status_code == 302
    page = client.get(path).get_data(as_text=True)
    shown = format_date(DAY, "medium", locale="ru")
    assert f'подайте её повторно до <strong class="">{shown}</strong>' in page
    assert "г.." not in page
    assert post(client, "/language", {"locale": "zh"}).status_code == 302
    page = client.get(path).get_data(as_text=True)
    shown = format_date(DAY, "medium", locale="zh")
    assert f'并于<strong class="">{shown}</strong>前重新提交。' in page


def test_a_notification_kept_as_text_only_is_shown_as_it_was_written(app, client):
    """Made before notifications kept their messages, or a message that cannot be kept."""
    with app.app_context():
        exporter, _application_id = _returned(app)
        note = db.session.scalar(select(Notification).where(Notification.kind == "returned"))
        note.message_id = note.message_args = None
        broken = Notification(user_id=exporter.id, kind="returned", message="As it was sent.",
                              message_id="Application %(ref)s was returned for corrections. "
                                         "Please respond by %(date)s.", message_args={})
        db.session.add(broken)
        db.session.commit()
        email, english = exporter.email, note.message
    login(client, email)
    page = _page(client, "kk")
    notes = page[page.index('<ul class="notes">'):]
    assert english in notes and "As it was sent." in notes


def test_a_notification_is_marked_read_alone_and_only_by_its_reader(app, client):
    """Opening a notification left it unread, and the count in the menu with it, until "Mark
    all as read"."""
    email, _reference, _day = _scheduled(app)
    login(client, email)
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        note = db.session.scalars(select(Notification).where(
            Notification.user_id == owner.id, Notification.endpoint != "",
            Notification.read_at.is_(None))).first()
        note_id, owner_id = note.id, note.user_id
        others = db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == owner_id, Notification.read_at.is_(None))) - 1
    page = client.get("/notifications").get_data(as_text=True)
    assert f'data-mark-read="/notifications/{note_id}/read"' in page
    stranger = app.test_client()
    with app.app_context():
        login(stranger, make_user("exporter").email)
    assert post(stranger, f"/notifications/{note_id}/read").status_code == 302
    with app.app_context():
        assert db.session.get(Notification, note_id).read_at is None  # not theirs
    assert post(client, f"/notifications/{note_id}/read").status_code == 302
    with app.app_context():
        assert db.session.get(Notification, note_id).read_at is not None
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == owner_id, Notification.read_at.is_(None))) == others
    page = client.get("/notifications").get_data(as_text=True)
    assert f'data-mark-read="/notifications/{note_id}/read"' not in page


def test_each_mark_as_read_button_names_its_notification(app, client):
    """Every button read "Mark as read" alone: a screen reader's list of buttons gave no way
    to tell which notification each one marks."""
    email, _reference, _day = _scheduled(app)
    login(client, email)
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        unread = db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == owner.id, Notification.read_at.is_(None)))
    page = client.get("/notifications").get_data(as_text=True)
    names = re.findall(r'<button type="submit" class="btn-small btn-secondary">(.*?)</button>',
                       page)
    assert len(names) == unread > 0
    assert all(name.startswith('Mark as read<span class="visually-hidden">: ') for name in names)
