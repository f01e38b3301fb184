"""The Kazakh, Russian and Chinese catalogs are complete: every message the code and templates
mark is in them, translated, not fuzzy, with the same placeholders as the English."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from catalogs import TRANSLATIONS

ROOT = TRANSLATIONS.parent.parent
LANGUAGES = ("kk", "ru", "zh")
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def _catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=language)


def _forms(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _placeholders(text: str) -> set[str]:
    return {match.group(0) if not match.group(1) else f"%({match.group(1)})"
            for match in PLACEHOLDER.finditer(text or "") if match.group(0) != "%%"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    """The messages the sources mark today, as `make extract-messages` finds them."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([Path(sys.executable).with_name("pybabel"), "extract", "-F",
                    str(TRANSLATIONS / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3", "-k", "lazy_pgettext:1c,2",
                    "--ignore-dirs", ".*", "--no-location", "-o", str(pot), "certtrack",
                    "templates"], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as source:
        return {(message.id if isinstance(message.id, str) else message.id[0], message.context)
                for message in read_po(source) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = _catalog(language)
    untranslated = [message.id for message in catalog
                    if message.id and not all(_forms(message.string))]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert (untranslated, fuzzy) == ([], [])
    assert len(catalog) > 1000


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    mismatched = []
    for message in _catalog(language):
        if not message.id:
            continue
        english = set().union(*(_placeholders(text) for text in _forms(message.id)))
        for text in _forms(message.string):
            # a plural form may say "one" in words instead of %(num)d
            if _placeholders(text) - english or (english - _placeholders(text)) - {"%(num)"}:
                mismatched.append((message.id, text))
    assert mismatched == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_of_the_sources_is_in_the_catalog(language, extracted):
    catalog = {(message.id if isinstance(message.id, str) else message.id[0], message.context)
               for message in _catalog(language) if message.id}
    assert sorted(extracted - catalog, key=str) == []


# Placeholders that stand for a date in the messages (LocalDate, format_day).
DATE_PLACEHOLDERS = ("date", "closes", "end", "to", "valid_to", "last", "days")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_sentence_ending_with_a_date_does_not_add_a_second_full_stop(language):
    """A Russian or Kazakh date ends with a full stop of its own ("21 окт. 2026 г.",
    "2026 ж. 21 қаз."): a translation ending with a date leaves the sentence's own out."""
    assert format_date(date(2026, 10, 21), "medium", locale=language).endswith(".")
    ending = re.compile(r"%\((" + "|".join(DATE_PLACEHOLDERS) + r")\)s\.$")
    doubled = [message.id for message in _catalog(language)
               if message.id and any(ending.search(form or "") for form in _forms(message.string))]
    assert doubled == []


# Placeholders that stand for a day or a moment ("2026年11月17日", "2026年11月17日 09:30").
DAY_OR_MOMENT = (*DATE_PLACEHOLDERS, "opens", "start", "from", "first", "until", "tested",
                 "time", "when", "moment")
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]"


def test_chinese_sets_dates_and_remarks_as_chinese_text_does():
    """A catalog wrote "自 2026年11月17日 起暂停" beside "2026年12月7日至2026年12月20日", and
    "时间 (t)": Chinese puts no space between a date and the words around it, and writes
    full-width brackets."""
    day = r"%\((?:" + "|".join(DAY_OR_MOMENT) + r")\)s"
    spaced = re.compile(f"{CJK} {day}|{day} {CJK}")
    wrong = [(message.id, form) for message in _catalog("zh") if message.id
             for form in _forms(message.string)
             if spaced.search(form or "") or re.search(r"[()]", PLACEHOLDER.sub("", form or ""))]
    assert wrong == []
