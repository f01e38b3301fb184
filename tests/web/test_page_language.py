"""Pages speak the signed-in user's language in every row: labels, dates, moments, ages."""

from datetime import UTC
from zoneinfo import ZoneInfo

from babel import Locale, dates
from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent

from factories import make_submitted_application
from forms import login


def _speak(user, language: str) -> None:
    user.locale = language
    db.session.commit()
    # The tests share one application context between requests (a server has one per request),
    # so the language Flask-Babel chose for the previous request is forgotten here.
    g.pop("_flask_babel", None)


def _moment(event: AuditEvent, language: str) -> str:
    local = event.at.replace(tzinfo=event.at.tzinfo or UTC).astimezone(ZoneInfo("Asia/Almaty"))
    # One format per language: the medium date and the short time (CLDR's medium joining).
    locale = Locale.parse(language)
    time = dates.format_time(local.time(), "short", locale=locale)
    day = dates.format_date(local.date(), "medium", locale=locale)
    return dates.get_datetime_format("medium", locale=locale).replace("'", "").format(time, day)


def test_the_same_list_follows_the_users_language_from_one_request_to_the_next(ctx, client):
    exporter, application = make_submitted_application()
    deadline = application.stage_deadline
    login(client, exporter.email)
    for language, state, header in (("ru", "Подана", "Срок"), ("en", "Submitted", "Deadline"),
                                    ("ru", "Подана", "Срок")):
        _speak(exporter, language)
        page = client.get("/exporter/").get_data(as_text=True)
        assert f'<span class="badge badge-submitted">{state}</span>' in page
        assert f"<th>{header}</th>" in page
        assert dates.format_date(deadline, "medium", locale=Locale.parse(language)) in page


def test_the_history_shows_each_moment_in_kazakhstan_time_and_the_users_language(ctx, client):
    exporter, application = make_submitted_application()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.application_id == application.id)).all()
    login(client, exporter.email)
    for language in ("ru", "zh", "en"):
        _speak(exporter, language)
        page = client.get(f"/exporter/applications/{application.id}").get_data(as_text=True)
        for event in events:
            assert _moment(event, language) in page, (language, event.action)
