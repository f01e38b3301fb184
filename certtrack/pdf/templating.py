"""The Jinja environment of the print templates (templates/pdf/), independent of any request."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from jinja2 import Environment, FileSystemLoader, StrictUndefined

# The app's template folder is ../templates relative to the package (see create_app).
TEMPLATES_PDF = Path(__file__).resolve().parents[2] / "templates" / "pdf"
LANGUAGES = ("kk", "ru", "en", "zh")


def format_date(value: dt.date | None) -> str:
    """14.03.2026, the form used on Kazakh official documents; '' for None."""
    return value.strftime("%d.%m.%Y") if value is not None else ""


def format_datetime(value: dt.datetime | None) -> str:
    """14.03.2026 09:30 (the time as given; the caller decides the zone); '' for None."""
    return value.strftime("%d.%m.%Y %H:%M") if value is not None else ""


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in Kazakhstan (the app's time zone; UTC outside an app): a
    document's creation moment, dated by its day of issue. At midnight UTC it came after the
    seal applied the evening before in UTC, on the morning of that day in Astana."""
    zone = (ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]) if has_app_context()
            else dt.UTC)
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def format_created(day: dt.date) -> str:
    """`day`'s local_midnight() as the document's dcterms.created (W3C date and time)."""
    return local_midnight(day).isoformat()


def format_quantity(value: str | None) -> str:
    """A plain number ('16500.25') with its thousands apart by a narrow no-break space
    ('16 500.25', as ISO 80000-1 writes them, read alike in every language of the certificate:
    a comma or a dot would be a decimal mark in one of them); '' for None."""
    if value is None:
        return ""
    whole, dot, fraction = str(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = [digits[max(0, end - 3):end] for end in range(len(digits), 0, -3)][::-1]
    return sign + "\u202f".join(groups) + dot + fraction


def format_signed(value: str | None) -> str:
    """A plain number with its sign as printed: a minus sign, not a hyphen ('−18', ISO
    80000-2); '' for None."""
    if value is None:
        return ""
    text = str(value)
    return "\u2212" + text[1:] if text.startswith("-") else text


# The English name of one package of a kind, where it is not the name of several.
_ONE_PACKAGE_EN = {"bags": "bag", "big bags": "big bag", "cartons": "carton",
                   "pallets": "pallet", "drums": "drum", "lots in bulk": "lot in bulk"}


def packages_names(names: dict, number: int) -> dict:
    """A kind of package's names as printed after `number`: "1 carton", "720 cartons"."""
    if number != 1 or names.get("en") not in _ONE_PACKAGE_EN:
        return names
    return {**names, "en": _ONE_PACKAGE_EN[names["en"]]}


def format_size(value: int) -> str:
    """A byte count for people: 512 B, 12.3 KB, 4.5 MB."""
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KB"
    return f"{value / (1024 * 1024):.1f} MB"


# Where a line may break in Chinese text: after a space or a punctuation mark. CSS
# `word-break: keep-all` says the same, but WeasyPrint does not support it, so each run between
# these marks is set as one unbreakable span.
_CJK_BREAKS = re.compile(r"(?<=[\s，、。；：！？）)】」』·,;:/])")
# A longer run may break anywhere, as Chinese text does: kept whole, it would run out of a narrow
# column (an enterprise's name of 18 characters in the dossier's list of enterprises).
_LONGEST_RUN = 12


def cjk_words(value: str) -> list[tuple[str, bool]]:
    """A Chinese text as its runs between spaces and punctuation: (run, keep whole)."""
    return [(run, len(run) <= _LONGEST_RUN) for run in _CJK_BREAKS.split(value or "") if run]


def by_sample(rows: list[dict]) -> list[dict]:
    """Laboratory results as the samples they were measured on, in the order given: each
    {"sample", "laboratory", "tested_on": [its dates, earliest first], "rows": [its results]}."""
    samples: dict[tuple[str, str], dict] = {}
    for row in rows:
        group = samples.setdefault((row["sample"], row["laboratory"]), {
            "sample": row["sample"], "laboratory": row["laboratory"], "tested_on": [],
            "rows": []})
        group["rows"].append(row)
        if row["tested_on"] is not None and row["tested_on"] not in group["tested_on"]:
            group["tested_on"].append(row["tested_on"])
    for group in samples.values():
        group["tested_on"].sort()
    return list(samples.values())


@cache
def environment() -> Environment:
    """Autoescaping, strict about missing keys, templates compiled once per process."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_PDF),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(date=format_date, datetime=format_datetime, filesize=format_size,
                       cjk_words=cjk_words, quantity=format_quantity, signed=format_signed,
                       by_sample=by_sample, packages_names=packages_names,
                       created=format_created)
    env.globals["LANGUAGES"] = LANGUAGES
    return env


def render_html(template: str, **context) -> str:
    """Render ``templates/pdf/<template>``; raises jinja2.UndefinedError for a missing key."""
    return environment().get_template(template).render(**context)
