"""A laboratory's name in the reader's language: it had an English name only, shown in English
on every Kazakh, Russian and Chinese page (the laboratory's own header and samples, the
inspector's sample panel and laboratory list, the administrator's accounts), while every other
organisation shows its name in the page's language; the dossier for GACC prints it in English
and Chinese."""

from datetime import date
from decimal import Decimal

import pytest
from flask import g

from certtrack.extensions import db
from certtrack.services import laboratories
from certtrack.services.dossier_context import enterprise_context
from certtrack.services.inputs import LabResultInput

from api_world import build_world, wheat_limit
from forms import login

NAMES = {"en": "Khorgos Testing Laboratory", "kk": "Қорғас сынақ зертханасы",
         "ru": "Хоргосская испытательная лаборатория", "zh": "霍尔果斯检测实验室"}


@pytest.fixture
def world(ctx):
    w = build_world()
    w.lab1.name_kk, w.lab1.name_ru, w.lab1.name_zh = NAMES["kk"], NAMES["ru"], NAMES["zh"]
    db.session.commit()
    return w


def _as(client, user, language: str) -> None:
    login(client, user.email)
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests


@pytest.mark.parametrize("language", ["kk", "ru", "zh"])
def test_the_laboratory_sees_its_own_name_in_its_language(world, client, language):
    _as(client, world.lab_user1, language)
    page = client.get("/laboratory/samples").get_data(as_text=True)
    assert page.count(NAMES[language]) == 2  # the header and the page's heading
    assert NAMES["en"] not in page
    sample = client.get(f"/laboratory/samples/{world.sample1.id}").get_data(as_text=True)
    assert NAMES[language] in sample and NAMES["en"] not in sample


def test_the_inspector_sees_and_chooses_the_laboratory_by_its_name_in_chinese(world, client):
    _as(client, world.inspector, "zh")
    page = client.get(f"/inspector/applications/{world.lab_application.id}").get_data(
        as_text=True)
    assert f'<option value="{world.lab1.id}">{NAMES["zh"]}</option>' in page
    assert f"· {NAMES['zh']}</p>" in page  # the sample S-1 sent to it
    assert NAMES["en"] not in page
    # a laboratory without a Chinese name keeps its English one
    assert f'<option value="{world.lab2.id}">East Kazakhstan Laboratory</option>' in page


def test_the_administrator_sees_the_laboratory_in_russian(world, client):
    _as(client, world.admin, "ru")
    page = client.get("/admin/users?role=laboratory").get_data(as_text=True)
    assert NAMES["ru"] in page and NAMES["en"] not in page
    form = client.get(f"/admin/users/{world.lab_user1.id}").get_data(as_text=True)
    assert f'<option selected value="{world.lab1.id}">{NAMES["ru"]}</option>' in form


def test_the_dossier_names_the_laboratory_in_english_and_chinese(world):
    laboratories.post_result(world.lab_user1, world.sample1.id, LabResultInput(
        limit_id=wheat_limit().id, value=Decimal("300"), unit="µg/kg", tested_on=date.today()))
    (row,) = enterprise_context(world.lab_application)["lab_results"]
    assert row["laboratory"] == f"{NAMES['en']} · {NAMES['zh']}"
