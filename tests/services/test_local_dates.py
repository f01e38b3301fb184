"""One date format per language: pages, flashes and notifications write a date the same way
(CLDR's medium form through Babel), in the reader's language; ISO stays for data."""

from datetime import UTC, date, datetime

from flask_babel import force_locale, get_timezone
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Notification
from certtrack.services.local_dates import LocalDate, format_day, format_moment
from certtrack.services.notifications import notify

from factories import make_user

DAY = date(2026, 12, 8)


def test_a_date_is_written_the_way_each_language_writes_it(ctx):
    written = {}
    for locale in ("en", "ru", "kk", "zh"):
        with force_locale(locale):
            written[locale] = format_day(DAY)
    assert written["en"] == "Dec 8, 2026"
    assert written["ru"].startswith("8 дек. 2026")
    assert "2026" in written["kk"] and "8" in written["kk"]
    assert written["zh"] == "2026年12月8日"
    assert format_day(None) == "—"


def test_a_moment_is_the_same_date_and_the_short_time_of_the_users_zone(ctx):
    moment = datetime(2026, 12, 8, 6, 30, tzinfo=UTC)
    local = moment.astimezone(get_timezone())
    with force_locale("en"):
        text = format_moment(moment)
    assert text.startswith("Dec 8, 2026") and f"{local.hour % 12}:30" in text
    assert "UTC" not in text and ":00" not in text  # no seconds


def test_a_notification_writes_the_date_in_its_recipients_language(ctx):
    russian = make_user("exporter", "ru-reader@example.kz")
    chinese = make_user("exporter", "zh-reader@example.kz")
    russian.locale, chinese.locale = "ru", "zh"
    db.session.commit()
    notify([russian, chinese], "returned", _l(
        "Application %(ref)s was returned for corrections. Please respond by %(date)s.",
        ref="KZ-1", date=LocalDate(DAY)))
    db.session.commit()
    texts = dict(db.session.execute(select(Notification.user_id, Notification.message)).all())
    with force_locale("ru"):
        assert format_day(DAY) in texts[russian.id]
    assert "2026年12月8日" in texts[chinese.id]
    assert "08.12.2026" not in texts[chinese.id]
