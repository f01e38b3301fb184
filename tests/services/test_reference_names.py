"""The reference data carries its names in the four languages: every name a page or a PDF
shows (products, documents, crossings, regions, categories, laboratory parameters, matrices,
the standards, clauses and notes of the limits) is in English, Russian, Kazakh and Chinese."""

import csv
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import LabLimit, LabParameter
from certtrack.models.base import utcnow
from certtrack.services.reference import limit_source, load_reference
from certtrack.services.sources import source_in

REFERENCE = Path(__file__).resolve().parents[2] / "certtrack" / "reference"
TRANSLATED = ("ru", "kk", "zh")
CYRILLIC = re.compile("[\u0400-\u04ff]")
CHINESE = re.compile("[\u4e00-\u9fff]")
# Files whose texts are shown in one language only: holidays (by date) and the documents each
# category requires (by code).
ONE_LANGUAGE = {"holidays.csv", "required_documents.csv"}
# Texts a row may lack in every language: a limit's note, the protocol of a product without one.
OPTIONAL = {"note", "protocol_name"}


def _rows(name: str) -> list[dict]:
    with (REFERENCE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _translated_columns(rows: list[dict]) -> list[str]:
    """The columns with a Russian, Kazakh and Chinese twin: name, matrix, clause, text..."""
    columns = rows[0].keys()
    return [column.removesuffix("_en") for column in columns
            if all(f"{column.removesuffix('_en')}_{language}" in columns
                   for language in TRANSLATED)]


FILES = sorted(path.name for path in REFERENCE.glob("*.csv") if path.name not in ONE_LANGUAGE)


def test_every_file_shown_in_the_interface_is_translated():
    assert {"lab_parameters.csv", "limits.csv", "standards.csv", "quarantine_requirements.csv",
            "products.csv", "document_types.csv", "crossings.csv", "regions.csv",
            "gacc_categories.csv", "market_access.csv", "renewal_list_280.csv"} <= set(FILES)
    for name in FILES:
        assert _translated_columns(_rows(name)), name


@pytest.mark.parametrize("name", FILES)
def test_every_row_has_its_texts_in_the_four_languages(name):
    rows = _rows(name)
    columns = _translated_columns(rows)
    for row in rows:
        for column in columns:
            english = row.get(f"{column}_en", row.get(column))
            texts = {language: row[f"{column}_{language}"] for language in TRANSLATED}
            where = (name, column, english)
            if column in OPTIONAL and not english:  # then it has none in any language
                assert set(texts.values()) == {""}, where
                continue
            assert english.strip() and all(text.strip() for text in texts.values()), where
            if name == "standards.csv" and english.startswith("GB "):
                continue  # a Chinese national standard is cited by its number everywhere
            assert CYRILLIC.search(texts["ru"]) and CYRILLIC.search(texts["kk"]), where
            assert CHINESE.search(texts["zh"]), where


def test_limits_name_known_parameters_and_standards():
    parameters = {row["code"] for row in _rows("lab_parameters.csv")}
    standards = {row["name_en"] for row in _rows("standards.csv")}
    for row in _rows("limits.csv"):
        assert row["parameter_code"] in parameters, row["parameter_code"]
        assert row["standard"] in standards, row["standard"]
    for row in _rows("quarantine_requirements.csv"):
        assert row["standard"] in standards, row["standard"]


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_no_two_parameters_share_a_name(language):
    names = [row[f"name_{language}"].casefold() for row in _rows("lab_parameters.csv")]
    assert len(names) == len(set(names))


def test_every_limit_is_linked_to_its_parameter_and_names_its_matrix(ctx):
    limits = list(db.session.scalars(select(LabLimit)))
    assert limits and all(limit.lab_parameter is not None for limit in limits)
    don = next(limit for limit in limits if limit.parameter_code == "deoxynivalenol")
    assert don.parameter == "deoxynivalenol (DON)"
    assert (don.parameter_in("ru"), don.parameter_in("kk"), don.parameter_in("zh")) == (
        "дезоксиниваленол (ДОН)", "дезоксиниваленол (ДОН)", "脱氧雪腐镰刀菌烯醇（DON）")
    assert don.matrix_in("zh") == "谷物及其制粉（小麦、大麦、玉米）"
    assert don.matrix_in("en") == don.matrix
    lead = db.session.get(LabParameter, "lead")
    assert (lead.name_ru, lead.name_kk, lead.name_zh) == ("свинец", "қорғасын", "铅")


def test_a_source_of_the_file_reads_in_each_language_and_others_stay_as_written():
    row = next(r for r in _rows("limits.csv") if r["parameter_code"] == "lead"
               and r["matrix"] == "edible offal")
    source = limit_source(row)
    assert source_in(source, "zh") == ("GB 2762-2022，4.1，表1：畜禽内脏；"
                                       "数值依据标准摘要，未查阅标准原文")
    assert source_in(source, "kk").startswith("GB 2762-2022, 4.1, 1-кесте: мал мен құстың")
    assert source_in(source, "en") == source
    assert source_in("GB 2762-2022 (an administrator's wording)", "zh") == \
        "GB 2762-2022 (an administrator's wording)"


def test_a_limit_an_administrator_edited_gets_the_names_but_keeps_the_edit(ctx):
    """A database older than the translations: the edited row gets its parameter and the
    matrix's translations, its edited values stay."""
    row = db.session.scalar(select(LabLimit).where(LabLimit.parameter_code == "cadmium",
                                                   LabLimit.matrix == "cereals except rice"))
    row.value, row.source = row.value * 2, "as edited"
    row.parameter_code, row.matrix_ru, row.matrix_kk, row.matrix_zh = None, "", "", ""
    row.edited_at = utcnow()
    db.session.commit()
    load_reference()
    db.session.expire_all()
    row = db.session.get(LabLimit, row.id)
    assert row.source == "as edited"
    assert row.parameter_in("kk") == "кадмий" and row.matrix_in("zh") == "谷物（稻谷除外）"
