"""Translation and formatting helpers for the page templates, fast enough to call per table cell.

Flask-Babel looks the locale and the catalog up again on every call (several context-local
look-ups each); a list page makes hundreds of such calls. Here the catalog, the locale and the
time zone are looked up once per `render_template` (a context processor, so `force_locale` is
honoured) and the helpers read them from the template's context. A macro imported without
context has none of it and falls back to Flask-Babel's look-ups, with the same results.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale, dates, lists, numbers
from flask import request, url_for
from flask_babel import get_locale, get_timezone, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from certtrack.domain.verification import group_code
from certtrack.services import numerals
from certtrack.services.applications import local_today
from certtrack.services.conclusions import conclusion_in
from certtrack.services.local_dates import DATE_FORMAT, TIME_FORMAT
from certtrack.services.reference import working_calendar
from certtrack.services.sources import source_in
from certtrack.web.labels import STATES

_CATALOG = "_i18n_catalog"
_LOCALE = "_i18n_locale"
_LANGUAGE = "_i18n_language"
_TIMEZONE = "_i18n_timezone"
_TODAY = "_i18n_today"
_LABELS: dict[tuple[str, int], str] = {}


def template_context() -> dict:
    """The request's catalog, locale, time zone and today, once per rendered template."""
    locale = get_locale()
    return {_CATALOG: get_translations(), _LOCALE: locale, _LANGUAGE: str(locale),
            _TIMEZONE: get_timezone(), _TODAY: local_today()}


def _catalog(context: Context):
    catalog = context.get(_CATALOG)
    return catalog if catalog is not None else get_translations()


def _locale(context: Context) -> Locale:
    locale = context.get(_LOCALE)
    return locale if locale is not None else get_locale()


def _language(context: Context) -> str:
    return context.get(_LANGUAGE) or str(get_locale())


def _today(context: Context) -> dt.date:
    return context.get(_TODAY) or local_today()


def _formatted(context: Context, text: str, variables: dict) -> str:
    """Jinja's new-style gettext result: markup-safe under autoescape, then `% variables`
    (a lone string's "%%" becomes "%" too), skipped when there is nothing to format."""
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - the catalog's text, as Jinja's own callables
    return text % variables if variables or "%" in text else text


# The template's `_`, `gettext`, `ngettext`, `pgettext` and `npgettext`, with the behaviour of
# Jinja's new-style callables in one call each (Jinja's own go through two more per use).
@pass_context
def gettext(context: Context, string: str, /, **variables) -> str:
    return _formatted(context, _catalog(context).ugettext(string), variables)


@pass_context
def ngettext(context: Context, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)
    return _formatted(context, _catalog(context).ungettext(singular, plural, num), variables)


@pass_context
def pgettext(context: Context, message_context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", message_context)
    return _formatted(context, _catalog(context).upgettext(message_context, string), variables)


@pass_context
def npgettext(context: Context, message_context: str, singular: str, plural: str, num: int,
              /, **variables) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", num)
    return _formatted(context, _catalog(context).unpgettext(message_context, singular, plural,
                                                            num), variables)


@pass_context
def label(context: Context, labels: dict, value) -> str:
    """The translated label of a stored code (see certtrack.web.labels), or the code itself.

    The labels are module-level lazy strings: each is translated once per language and process.
    """
    return label_in(_language(context), labels, value)


def label_in(language: str, labels: dict, value) -> str:
    """The label of a stored code in `language`, the language of the request (see `label`)."""
    lazy = labels.get(value)
    if lazy is None:
        return value or ""
    key = (language, id(lazy))
    text = _LABELS.get(key)
    if text is None:
        text = _LABELS[key] = str(lazy)
    return text


@pass_context
def state_badge(context: Context, state: str) -> Markup:
    """An application's state as a coloured badge with its translated label."""
    return Markup('<span class="badge badge-%s">%s</span>') % (state, label(context, STATES, state))


@pass_context
def is_overdue(context: Context, deadline: dt.date | None) -> bool:
    """True when a stage deadline has passed (in Kazakhstan)."""
    return deadline is not None and _today(context) > deadline


@pass_context
def holiday_data_missing(context: Context, deadline: dt.date | None) -> list[int]:
    """The years from today to `deadline` whose holiday data is not loaded: the deadline is
    right for the holidays the law fixes but provisional (Kurban Ait, Government transfers)."""
    if deadline is None:
        return []
    return working_calendar().missing_years(_today(context), deadline)


# The numbers people read out and type: certificates, consignments, applications, registrations
# in China. Broken at a hyphen over two lines, they are misread ("KZ-VC-2026-" / "000007").
_REFERENCE = Markup('<span class="ref">{}</span>')
_REFERENCES = re.compile(r"\b(?:KZ-[A-Z]{2}-\d{4}-\d{6}|CS-\d{6}|A-\d{6}|CKAZ[0-9A-Z]+)\b")


def keep_references(text) -> Markup:
    """`text` escaped, with each reference in it kept on one line (class "ref"). Text that
    is already markup is left as it is: a reference may stand inside one of its attributes."""
    if isinstance(text, Markup):
        return text
    text, parts, end = str(text), [], 0
    for found in _REFERENCES.finditer(text):
        parts += [text[end:found.start()], _REFERENCE.format(found.group(0))]
        end = found.end()
    return Markup("").join([*parts, text[end:]])  # the text between is escaped


def kept_whole(text) -> Markup:
    """`text` escaped and kept on one line (class "ref"): a code of its own kind, such as a
    sample's "S-0013-1", that a phone would break at its hyphen."""
    return _REFERENCE.format(str(text))


def public_page(certificate) -> str:
    """The address of a certificate's public verification page, the one its QR code opens
    (either kind: a consignment certificate's number is KZ-PC-… or KZ-VC-…)."""
    endpoint = ("consignment_verify.certificate" if hasattr(certificate, "consignment_id")
                else "verify.certificate")
    return url_for(endpoint, number=certificate.number,
                   code=group_code(certificate.verification_code))


@pass_context
def localized(context: Context, obj, text: str = "name") -> str:
    """A reference row's or enterprise's name in the page's language; `text` names another
    text a row carries per language ("parameter" of a limit or result, "matrix" of a limit)."""
    return getattr(obj, f"{text}_in")(_language(context)) if obj is not None else ""


@pass_context
def conclusion(context: Context, stored: str | None) -> str:
    """An application's conclusion in the page's language (the standard sentence translated)."""
    return conclusion_in(stored, _language(context))


@pass_context
def localized_source(context: Context, text: str | None) -> str:
    """A limit's or requirement's source, stored in English, in the page's language."""
    return source_in(text, _language(context))


@lru_cache(maxsize=4096)
def format_date_in(value: dt.date, format: str, locale: Locale) -> str:
    """A date in `format` and `locale` (Babel's), remembered: lists repeat their dates."""
    return dates.format_date(value, format, locale=locale)


@pass_context
def as_list(context: Context, items) -> str:
    """Items joined as the page's language lists them ("A, B and C", "A、B和C")."""
    return lists.format_list([str(item) for item in items], locale=_locale(context))


@pass_context
def bracketed(context: Context, remark) -> Markup:
    """A remark in brackets after what it qualifies, as the page's language writes it:
    " (Slaughterhouse)", "（屠宰厂）" (escaped, unless already markup)."""
    opening, closing = numerals.brackets(_language(context))
    return Markup("{}{}{}").format(opening, remark, closing)


@pass_context
def separator(context: Context, kind: str = "list") -> str:
    """What joins a list's items in the page's language ("、" between Chinese items, ", "
    in the other languages); `kind` "comma" or "semicolon" for a clause or an entry, "colon"
    after a label ("：" in Chinese, ": " in the others)."""
    return numerals.separator(kind, _language(context))


@pass_context
def format_date(context: Context, value: dt.date | dt.datetime | str | None,
                format: str = DATE_FORMAT) -> str:
    """A date in the page's language (a datetime is first moved to the users' time zone; an
    ISO 8601 string, as stored certificate data keeps dates, is read first)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = _user_time(context, value).date()
    return format_date_in(value, format, _locale(context))


# Babel's skeletons of a date known only to its month or year ("September 2015", "2015年9月").
_PARTIAL_DATE_SKELETONS = {"month": "yMMMM", "year": "y"}


@pass_context
def format_date_known(context: Context, value: dt.date | None, precision: str = "day") -> str:
    """A date of which only `precision` is known (day, month or year), in the page's language:
    a year alone prints as the year, not as its 1st of January."""
    skeleton = _PARTIAL_DATE_SKELETONS.get(precision)
    if value is None or skeleton is None:
        return format_date(context, value)
    return dates.format_skeleton(skeleton, value, locale=_locale(context))


@lru_cache(maxsize=4096)
def _format_time(value: dt.time, format: str, locale: Locale) -> str:
    return dates.format_time(value, format, locale=locale)


@lru_cache(maxsize=64)
def _datetime_pattern(format: str, locale: Locale) -> str:
    return dates.get_datetime_format(format, locale=locale).replace("'", "")


@pass_context
def format_datetime(context: Context, value: dt.datetime | str | None) -> str:
    """A moment in the users' time zone and the page's language (naive values are UTC; an
    ISO 8601 string, as a seal reports its time, is read first): the one date format of the
    language (`services.local_dates`) and the short time.

    Put together from cached date and time parts exactly as Babel does, so that a long history
    does not format every moment from scratch.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    local, locale = _user_time(context, value), _locale(context)
    moment = local.time().replace(microsecond=0, tzinfo=None)
    return (_datetime_pattern(DATE_FORMAT, locale)
            .replace("{0}", _format_time(moment, TIME_FORMAT, locale))
            .replace("{1}", format_date_in(local.date(), DATE_FORMAT, locale)))


@pass_context
def format_datetime_zoned(context: Context, value: dt.datetime | str | None) -> str:
    """`format_datetime` with its offset from UTC ("GMT+05:00"), for a public page whose reader
    may be abroad: a customs officer in China reads the seal's time with its zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    offset = dates.get_timezone_gmt(_user_time(context, value), "long", locale=_locale(context))
    return f"{format_datetime(context, value)} ({offset})"


@pass_context
def format_decimal(context: Context, value, format: str | None = None) -> str:
    """A number in the reader's locale; a Decimal (a stored measurement) keeps every digit."""
    return numbers.format_decimal(value, format=format, locale=_locale(context),
                                  decimal_quantization=not isinstance(value, Decimal))


def _user_time(context: Context, value: dt.datetime) -> dt.datetime:
    zone = context.get(_TIMEZONE) or get_timezone()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone)


def failed_fields(forms, page) -> list:
    """The fields of `forms` that carry errors, in the order `page` (the page's rendered
    content) shows them; a field it does not show comes last. The error summary lists them
    so, whatever the order the form's class declares them in (it listed an enterprise's
    English name before the legal form shown first)."""
    page = str(page)

    def where(field) -> int:
        found = re.search(r'(?<![\w-])id="' + re.escape(field.id) + '"', page)
        return found.start() if found else len(page)

    fields = [field for form in forms for field in form
              if field.errors and field.name != "csrf_token"]
    return sorted(fields, key=where)



def query_args() -> dict:
    """The request's query arguments for a link to the same list (the pager, the tabs, the CSV):
    without those `url_for` reads as its own ("endpoint", "_method", "_anchor"...), which a
    crafted address turned into a 500 or into the links' target."""
    return {key: value for key, value in request.args.items()
            if key != "endpoint" and not key.startswith("_")}
