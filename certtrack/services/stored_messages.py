"""Messages kept untranslated, to be shown later in whichever language their reader has then.

A message made with `lazy_gettext` ("Application %(ref)s was returned…", ref=…, date=LocalDate(…))
is kept as its msgid and its arguments in JSON: text and numbers as they are, a `LocalDate` or
`LocalMoment` as its ISO value, a `LocalName` as its names in each language, a lazy label
("on-site inspection") as a message of its own. `render` translates it again under the current
locale. Anything else a message carries (a plural, a context, an object) does not keep: `keep`
returns None and the caller stores the text.
"""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from certtrack.services.local_dates import LocalDate, LocalMoment, LocalName


class _NotKept(Exception):
    pass


def keep(message) -> tuple[str, dict] | None:
    """(msgid, arguments in JSON) of a lazy_gettext message; None for anything else."""
    try:
        kept = _message(message)
    except _NotKept:
        return None
    return kept["text"], kept["args"]


def _message(message) -> dict:
    # LazyString keeps its function and arguments as _func, _args and _kwargs (flask_babel's
    # speaklater); anything else, or another version's layout, is not kept.
    func, args = getattr(message, "_func", None), getattr(message, "_args", ())
    if not (isinstance(message, LazyString) and func is gettext and len(args) == 1
            and isinstance(args[0], str)):
        raise _NotKept
    return {"text": args[0],
            "args": {name: _value(value)
                     for name, value in getattr(message, "_kwargs", {}).items()}}


def _value(value) -> Any:
    if isinstance(value, LazyString):
        return _message(value)
    if isinstance(value, LocalMoment):
        return {"moment": value.value.isoformat() if value.value else None}
    if isinstance(value, LocalDate):
        return {"date": value.value.isoformat() if value.value else None}
    if isinstance(value, LocalName):
        return {"names": dict(value.names)}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise _NotKept


def render(msgid: str, args: dict) -> str:
    """The message in the current locale.

    :raise ValueError: the arguments do not fit the message (or its translation).
    """
    try:
        text = gettext(msgid, **{name: _revived(value) for name, value in args.items()})
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the stored arguments do not fit {msgid!r}") from error
    if not args and "%(" in text:  # gettext leaves a message without arguments as it is
        raise ValueError(f"no stored arguments for {msgid!r}")
    return text


def _revived(value) -> Any:
    if not isinstance(value, dict):
        return value
    if "text" in value:
        return render(value["text"], value.get("args") or {})
    if "moment" in value:
        return LocalMoment(datetime.fromisoformat(value["moment"]) if value["moment"] else None)
    if "date" in value:
        return LocalDate(date.fromisoformat(value["date"]) if value["date"] else None)
    if "names" in value:
        return LocalName(value["names"])
    raise ValueError("not a stored argument")


# Wordings a notification stored earlier may still hold (`keep` stores the msgid), replaced
# since by others that say more. They stay in the catalogs, so that such a notification still
# reads in its reader's language rather than in English. Nothing else uses them.
FORMER_WORDINGS = (
    _l("A result the laboratory posted for sample %(code)s of application %(ref)s exceeds "
       "China's limit."),
    _l("China registration %(number)s is suspended from %(date)s."),
    _l("GACC revoked China registration %(number)s."),
    _l("China registration %(number)s is no longer valid; a new application is needed."),
    _l("Application %(ref)s was rejected."),
    _l("The inspection of application %(ref)s concluded negatively."),
)
