"""The sources of the reference data in the four languages.

A limit's source is stored in English (standard, clause and note): on the limit, and with every
result and measurement judged by it. The reference files give each row's clause and note, and
each standard's name, in Russian, Kazakh and Chinese too. The market access of each product and
the renewal list of GACC Order 280 store their source in English, and their files give it in the
three other languages. A stored source is shown in the user's language while it is the files'
text; one an administrator wrote stays as written. Read from the files once per process.
"""

import csv
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "ru", "kk", "zh")
REFERENCE = Path(__file__).resolve().parent.parent / "reference"
# How a citation joins the standard to its clause, and a note to the citation.
SEPARATORS = {"zh": ("，", "；")}


def _rows(name: str) -> list[dict]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return [{key: (value or "").strip() for key, value in row.items()}
                for row in csv.DictReader(handle)]


def _texts(row: dict, standards: dict, language: str) -> tuple[str, str]:
    """(citation, source) of a row of limits.csv or quarantine_requirements.csv in `language`:
    the standard and its clause, then the source shown beside a result (with the note)."""
    suffix = "" if language == "en" else f"_{language}"
    comma, semicolon = SEPARATORS.get(language, (", ", "; "))
    standard = standards.get(row["standard"], {}).get(language) or row["standard"]
    citation = f"{standard}{comma}{row['clause' + suffix]}"
    note = row.get("note" + suffix, "")
    return citation, f"{citation}{semicolon}{note}" if note else citation


@cache
def source_translations() -> dict[str, dict[str, str]]:
    """The sources the reference files give, as stored in English (a limit's source, a result's
    limit_source, a measurement's requirement_source, a citation, a market access row's or
    a category's renewal-list source), each mapped to its text per language."""
    standards = {row["name_en"]: {language: row[f"name_{language}"] for language in LANGUAGES}
                 for row in _rows("standards.csv")}
    translations = {}
    for row in [*_rows("limits.csv"), *_rows("quarantine_requirements.csv")]:
        texts = {language: _texts(row, standards, language) for language in LANGUAGES}
        for index in (0, 1):
            translations[texts["en"][index]] = {language: text[index]
                                                for language, text in texts.items()}
    for row in [*_rows("market_access.csv"), *_rows("renewal_list_280.csv")]:
        translations[row["source"]] = {language: row["source" if language == "en" else
                                                     f"source_{language}"]
                                       for language in LANGUAGES}
    return translations


def source_in(text: str | None, locale: str) -> str:
    """A source as stored (in English) in `locale`: the reference files' translation while the
    text is theirs; a source an administrator wrote, or an older one, as stored."""
    text = (text or "").strip()
    return source_translations().get(text, {}).get(locale) or text
