"""services.stored_messages: a lazy message kept as JSON reads again in any language."""

import json
from datetime import UTC, date, datetime

from flask_babel import force_locale, lazy_gettext, lazy_ngettext

from certtrack.services import stored_messages
from certtrack.services.local_dates import LocalDate, LocalMoment, LocalName


def test_a_message_with_a_date_a_moment_and_a_label_reads_in_each_language(ctx):
    message = lazy_gettext("An inspection (%(mode)s) of application %(ref)s is scheduled for "
                           "%(date)s.", mode=lazy_gettext("on-site inspection"), ref="A-000007",
                           date=LocalDate(date(2030, 1, 15)))
    msgid, args = stored_messages.keep(message)
    args = json.loads(json.dumps(args))  # as the database gives it back
    with force_locale("zh"):
        assert stored_messages.render(msgid, args) == str(message)
        assert "2030年1月15日" in str(message)
    with force_locale("kk"):
        assert "(көшпелі инспекция)" in stored_messages.render(msgid, args)
    moment = lazy_gettext("Sealed by %(signer)s on %(time)s.", signer="KZ",
                          time=LocalMoment(datetime(2030, 1, 15, 6, 0, tzinfo=UTC)))
    msgid, args = stored_messages.keep(moment)
    with force_locale("ru"):
        assert stored_messages.render(msgid, json.loads(json.dumps(args))) == str(moment)


def test_what_cannot_be_kept_is_not(ctx):
    assert stored_messages.keep("already a text") is None
    assert stored_messages.keep(lazy_ngettext("%(num)d day", "%(num)d days", 3)) is None
    assert stored_messages.keep(lazy_gettext("Application %(ref)s was assigned to you.",
                                             ref=object())) is None


def test_a_name_reads_in_the_readers_language_english_where_it_has_none(ctx):
    name = LocalName({"en": "Golden Steppe LLP", "kk": "Алтын Дала ЖШС", "ru": "",
                      "zh": "金色草原有限责任公司"})
    message = lazy_gettext("%(name)s asks to change a registered name.", name=name)
    msgid, args = stored_messages.keep(message)
    args = json.loads(json.dumps(args))
    with force_locale("zh"):
        assert stored_messages.render(msgid, args).startswith("金色草原有限责任公司")
    with force_locale("kk"):
        assert stored_messages.render(msgid, args).startswith("Алтын Дала ЖШС")
    with force_locale("ru"):
        assert stored_messages.render(msgid, args).startswith("Golden Steppe LLP")


def test_a_notice_stored_in_a_former_wording_still_reads_in_its_readers_language(ctx):
    """The wordings of the registrations' and the laboratory's notices changed; a notification
    stored before keeps the former msgid, which read in English once it left the catalogs."""
    stored = ("China registration %(number)s is suspended from %(date)s.",
              {"number": "CKAZ10012022000025", "date": {"date": "2026-12-07"}})
    with force_locale("kk"):
        assert stored_messages.render(*stored).startswith(
            "Қытайдағы № CKAZ10012022000025 тіркеу 2026\u202fж.")
    with force_locale("zh"):
        assert stored_messages.render(
            "GACC revoked China registration %(number)s.", {"number": "CKAZ1"}) == (
            "海关总署已撤销在华注册 CKAZ1。")
