"""Administrators edit the laboratory limits; the next evaluation uses the new value."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEvent, LabLimit
from certtrack.services import laboratory
from certtrack.services.applications import local_today
from certtrack.services.inputs import LabResultInput, SampleInput
from certtrack.services.reference import load_reference

from factories import make_application_for_lab, make_user
from forms import login, post

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)

DON = "deoxynivalenol (DON)"
CEREALS = "cereals and cereal flour (wheat, barley, maize)"


def don_limit() -> LabLimit:
    db.session.expire_all()
    return db.session.scalars(select(LabLimit).where(LabLimit.parameter == DON,
                                                     LabLimit.matrix == CEREALS)).one()


def form_of(limit: LabLimit, **changes) -> dict:
    """The edit form as sent: the products ticked, one value each."""
    body = {"value": format(limit.value.normalize(), "f"), "unit": limit.unit,
            "matrix": limit.matrix, "products": limit.products.split(), "source": limit.source,
            "confidence": limit.confidence, "required": "y" if limit.required else ""}
    return {**body, **changes}


@pytest.fixture
def admin(ctx, client):
    user = make_user("admin")
    login(client, user.email)
    return user


def test_admin_lists_and_filters_limits(admin, client):
    page = client.get("/admin/limits/")
    assert page.status_code == 200
    assert DON in page.get_data(as_text=True) and "GB 2761" in page.get_data(as_text=True)
    beef = client.get("/admin/limits/?product=beef_chilled").get_data(as_text=True)
    assert "clenbuterol" in beef and DON not in beef
    assert '<span title="beef_chilled">Beef, chilled</span>' in beef  # a name, not a code


def test_a_limit_of_many_decimals_is_listed_with_every_digit(admin, client):
    """A limit of 0.00025 mg/kg is not rounded away to "0" on the list."""
    limit = don_limit()
    assert post(client, f"/admin/limits/{limit.id}",
                form_of(limit, value="0.00025", unit="mg/kg")).status_code == 302
    assert don_limit().value == Decimal("0.00025")
    page = client.get(f"/admin/limits/?q={DON}").get_data(as_text=True)
    assert "0.00025 mg/kg" in page


def test_edited_limit_is_used_by_the_next_evaluation(admin, client):
    limit = don_limit()
    response = post(client, f"/admin/limits/{limit.id}",
                    form_of(limit, value="1500", source="GB 2761-2017 (test edit)",
                            confidence="S"))
    assert response.status_code == 302
    limit = don_limit()
    assert (limit.value, limit.confidence) == (Decimal("1500"), "S")
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "limit_updated")).one()
    assert event.actor_id == admin.id
    assert event.data["before"]["value"] == "1000" and event.data["after"]["value"] == "1500"

    _exporter, inspector, application = make_application_for_lab("lab_testing")
    sample = laboratory.record_sample(inspector, application, SampleInput.from_mapping({
        "code": "S-1", "product_code": "wheat", "taken_on": local_today() - timedelta(days=1),
        "matrix": "wheat grain", "laboratory": "Lab"}))
    row = laboratory.record_result(inspector, application, sample, LabResultInput.from_mapping({
        "limit_id": limit.id, "value": Decimal("1200"), "unit": "µg/kg", "loq": None,
        "detected": None, "method": "", "tested_on": local_today(), "valid_days": None}))
    assert row.verdict == "compliant"
    assert (row.limit_source, row.limit_confidence) == ("GB 2761-2017 (test edit)", "S")


def add_maize_don_limit() -> None:
    db.session.add(LabLimit(parameter=DON, matrix="maize and maize products", products="maize",
                            kind="max", value=Decimal("1000"), unit="µg/kg", source="test",
                            confidence="U"))
    db.session.commit()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"products": ["wheat", "spelt"]}, "products", "Unknown product codes: spelt."),
    ({"products": []}, "products", "Choose at least one product."),
    ({"unit": "mg/l"}, "unit", "Use mg/kg, µg/kg, ppm or ppb."),
    ({"value": ""}, "value", "A maximum limit needs a value."),
    # the form said "at least 0", then refused the 0 it allowed: the service says both
    ({"value": "-1"}, "value", "A maximum limit is above 0"),
    # A maximum of 0 failed every result measured; zero tolerance is a "not detected" limit.
    ({"value": "0"}, "value", "A maximum limit is above 0: with 0, every result measured "
                              "fails. A substance that must not be found at all has a limit "
                              "of the kind “Must not be detected”, not a maximum of 0."),
    ({"value": "0.000"}, "value", "A maximum limit is above 0"),
    ({"confidence": "X"}, "confidence", "Not a valid choice."),
    ({"matrix": "maize and maize products"}, "matrix",
     "This parameter already has a limit for this matrix."),
    # English for every reader: a Russian source was saved and shown as such in Chinese
    ({"source": "ГБ 2762-2022, таблица 1"}, "source", "Write this in English, in Latin letters"),
    ({"matrix": "зерновые"}, "matrix", "Write this in English, in Latin letters"),
])
def test_invalid_edit_is_refused_beside_the_field(admin, client, changes, field, message):
    add_maize_don_limit()
    limit = don_limit()
    response = post(client, f"/admin/limits/{limit.id}", form_of(limit, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error">{message}' in page
    after = don_limit()
    assert (after.products, after.value, after.unit, after.matrix, after.confidence) == (
        "wheat barley maize wheat_flour", Decimal("1000"), "µg/kg", CEREALS, "S")
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "limit_updated")) is None


def test_unknown_codes_are_listed_as_the_page_language_lists(admin, client):
    limit = don_limit()
    expected = {"en": "Unknown product codes: spelt, emmer, and einkorn.",
                "zh": "未知产品代码：spelt、emmer和einkorn。"}
    for locale, message in expected.items():
        post(client, "/language", {"locale": locale})
        g.pop("_flask_babel", None)
        response = post(client, f"/admin/limits/{limit.id}",
                        form_of(limit, products=["wheat", "spelt", "emmer", "einkorn"]))
        assert response.status_code == 422
        assert f'id="products-error">{message}' in response.get_data(as_text=True)


def test_saving_unchanged_limit_writes_no_audit_row(admin, client):
    limit = don_limit()
    response = post(client, f"/admin/limits/{limit.id}", form_of(limit), follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "limit_updated")) is None


def test_other_roles_cannot_edit_limits(ctx, client):
    inspector = make_user("inspector")
    login(client, inspector.email)
    limit = don_limit()
    assert client.get("/admin/limits/").status_code == 403
    assert post(client, f"/admin/limits/{limit.id}", form_of(limit, value="5000"),
                ).status_code == 403
    assert don_limit().value == Decimal("1000")


def speak(user, language: str) -> None:
    user.locale = language
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's application context outlives the requests


def test_the_limits_read_in_the_administrators_language(admin, client):
    speak(admin, "zh")
    page = client.get("/admin/limits/").get_data(as_text=True)
    assert "脱氧雪腐镰刀菌烯醇" in page and "谷物及其制粉（小麦、大麦、玉米）" in page
    assert "GB 2761-2017，4.3，表3：玉米、玉米面（渣、片）" in page
    assert DON not in page and CEREALS not in page
    # The search finds a parameter by its name in any language, in any case.
    found = client.get("/admin/limits/?q=ҚОРҒАСЫН").get_data(as_text=True)
    assert "铅" in found and "脱氧雪腐镰刀菌烯醇" not in found


def test_the_administrator_edits_the_matrix_in_each_language(admin, client):
    limit = don_limit()
    form = client.get(f"/admin/limits/{limit.id}").get_data(as_text=True)
    assert 'value="дәнді дақылдар және олардың ұны (бидай, арпа, жүгері)"' in form
    response = post(client, f"/admin/limits/{limit.id}",
                    form_of(limit, matrix_kk="бидай, арпа, жүгері және олардың ұны",
                            matrix_zh=""))
    assert response.status_code == 302
    limit = don_limit()
    assert limit.matrix_kk == "бидай, арпа, жүгері және олардың ұны"
    assert limit.matrix_in("zh") == CEREALS  # left empty: shown in English
    assert limit.matrix_ru == "зерновые и мука из них (пшеница, ячмень, кукуруза)"  # unchanged
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "limit_updated")).one()
    assert set(event.data["after"]) == {"matrix_kk", "matrix_zh"}
    # The next load of the reference files keeps the edit.
    load_reference()
    assert don_limit().matrix_kk == "бидай, арпа, жүгері және олардың ұны"


def _ticked(page: str) -> list[str]:
    return re.findall(r'<input checked id="products-\d+" name="products" type="checkbox" '
                      r'value="([a-z_]+)">', page)


def test_the_products_are_ticked_by_their_names_in_the_administrators_language(admin,
                                                                                  client):
    """The form asked for English codes: "产品代码 * 以空格分隔，例如：wheat barley maize"."""
    speak(admin, "zh")
    limit = don_limit()
    page = client.get(f"/admin/limits/{limit.id}").get_data(as_text=True)
    assert "wheat barley maize" not in page and "产品代码" not in page
    assert _ticked(page) == ["wheat", "barley", "maize", "wheat_flour"]
    assert re.search(r'value="wheat"> <label for="products-\d+">小麦</label>', page)
    assert re.search(r'value="beef_chilled"> <label for="products-\d+">冰鲜牛肉</label>', page)
    assert post(client, f"/admin/limits/{limit.id}",
                form_of(limit, products=["wheat", "maize"])).status_code == 302
    assert don_limit().products == "wheat maize"


def test_a_refused_edit_keeps_the_products_ticked_and_what_was_typed(admin, client):
    limit = don_limit()
    refused = post(client, f"/admin/limits/{limit.id}",
                   form_of(limit, unit="mg/l", products=["barley", "beef_chilled"],
                           source="GB 2761-2017, table 1 (edited)"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert _ticked(page) == ["beef_chilled", "barley"]  # in the order of their HS codes
    assert "GB 2761-2017, table 1 (edited)" in page
    nothing = post(client, f"/admin/limits/{limit.id}", form_of(limit, products=[]))
    assert nothing.status_code == 422
    assert _ticked(nothing.get_data(as_text=True)) == []
    assert don_limit().products == "wheat barley maize wheat_flour"


def test_the_product_filter_shows_names_only(admin, client):
    """The filter showed "冰鲜牛肉（beef_chilled）"."""
    speak(admin, "zh")
    page = client.get("/admin/limits/?product=beef_chilled").get_data(as_text=True)
    assert '<option value="beef_chilled" selected>冰鲜牛肉</option>' in page
    assert "（beef_chilled）" not in page and "(beef_chilled)" not in page
