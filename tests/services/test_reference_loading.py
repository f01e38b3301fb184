"""Loading the reference files (idempotent) and reading them back."""

from sqlalchemy import delete, select

from certtrack.extensions import db
from certtrack.models import Holiday, Product, RequiredDocument
from certtrack.services import reference
from certtrack.services.reference import LOADERS, load_reference, search_products


def test_second_load_changes_nothing(ctx):
    # The app fixture has loaded the files once already.
    changed = load_reference()
    assert set(changed) == {label for label, _loader in LOADERS}
    assert set(changed.values()) == {0}


def test_load_repairs_edited_rows_then_is_idle_again(ctx):
    wheat = db.session.get(Product, "wheat")
    wheat.name_ru = "Не пшеница"
    db.session.execute(delete(Holiday).where(Holiday.day == Holiday.day.type.python_type(
        2026, 5, 27)))  # Kurban Ait: a row of the file (fixed-date holidays are generated)
    db.session.add(RequiredDocument(gacc_category="feed", kind="*", document_type_code="other"))
    db.session.commit()
    changed = load_reference()
    assert changed["products"] == 1
    assert changed["holidays"] == 1
    assert changed["required documents"] == 1
    assert sum(changed.values()) == 3
    db.session.expire_all()
    assert db.session.get(Product, "wheat").name_ru == "Пшеница"
    assert db.session.scalar(select(RequiredDocument).where(
        RequiredDocument.document_type_code == "other")) is None
    assert set(load_reference().values()) == {0}


def test_reloading_refreshes_the_working_calendar(ctx):
    kurban_ait = Holiday.day.type.python_type(2026, 5, 27)  # Kurban Ait, from the file
    assert not reference.working_calendar().is_working_day(kurban_ait)
    db.session.execute(delete(Holiday).where(Holiday.day == kurban_ait))
    db.session.commit()
    load_reference()
    assert not reference.working_calendar().is_working_day(kurban_ait)
    assert db.session.get(Holiday, kurban_ait) is not None


def test_load_reference_command_reports_no_change(ctx, runner):
    result = runner.invoke(args=["load-reference"])
    assert result.exit_code == 0, result.output
    assert "products: 0 changed" in result.output
    assert "holidays: 0 changed" in result.output


def _codes(products) -> list[str]:
    return [p.code for p in products]


def test_search_matches_names_in_any_case_and_language(ctx):
    for text in ("Пшеница", "пшеница", "ПШЕНИЦА", "бидай", "Бидай", "小麦", "WHEAT", "wheat"):
        assert "wheat" in _codes(search_products("edible_grains", text)), text
    assert _codes(search_products("meat", "говядина")) == ["beef_chilled", "beef_frozen"]


def test_search_by_hs_code_prefix_and_category(ctx):
    assert _codes(search_products("edible_grains", "1001")) == ["wheat"]
    assert _codes(search_products("edible_grains", "100")) == ["wheat", "barley", "maize"]
    assert _codes(search_products("edible_grains", "beef")) == []
    assert _codes(search_products(None, "02")) == ["beef_chilled", "beef_frozen", "pork",
                                                   "mutton", "horse_meat", "offal"]
    assert _codes(search_products("edible_grains", "%")) == []
    assert len(search_products()) == len(db.session.scalars(select(Product)).all())
