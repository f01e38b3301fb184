"""Market access as reference data: loaded with sources, and gating applications' products."""

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import BorderCrossing, MarketAccess, Product, ProtocolDeclaration
from certtrack.services import applications, market_access
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import ProductInput
from certtrack.services.reference import load_reference

from factories import make_exporter_with_application


def test_every_catalogue_product_has_a_market_access_row_with_its_source(ctx):
    products = set(db.session.scalars(select(Product.code)))
    rows = db.session.scalars(select(MarketAccess)).all()
    assert {row.product_code for row in rows} == products
    assert all(row.source and row.confidence in "VSU" for row in rows)
    wheat = db.session.get(MarketAccess, ("wheat", "CN"))
    assert (wheat.protocol_status, wheat.protocol_date.isoformat(), wheat.gacc_category_code,
            wheat.protocol_date_precision) == ("in_force", "2015-09-01", "edible_grains",
                                               "month")  # the file: "2015-09"
    assert db.session.get(MarketAccess, ("rapeseed", "CN")).protocol_status == "none"
    assert db.session.get(MarketAccess, ("sunflower_seed", "CN")).protocol_status == "trial"


def test_animal_products_name_the_regions_china_accepts(ctx):
    beef = db.session.get(MarketAccess, ("beef_frozen", "CN"))
    assert "KZ-11" in beef.region_codes
    assert "KZ-61" not in beef.region_codes  # Turkistan: outside the accepted zones
    assert db.session.get(MarketAccess, ("wheat", "CN")).region_codes == frozenset()


def test_the_six_crossings_are_named_in_four_languages(ctx):
    crossings = {c.code: c for c in market_access.crossings()}
    assert set(crossings) >= {"dostyk_alashankou", "altynkol_khorgos", "bakhty_tacheng",
                              "maikapchagai_jeminay", "kolzhat_dulata", "nur_zholy_khorgos"}
    dostyk = crossings["dostyk_alashankou"]
    assert (dostyk.name_en, dostyk.name_zh, dostyk.mode) == (
        "Dostyk – Alashankou", "多斯特克—阿拉山口", "rail")
    assert all(c.name_ru and c.name_kk and c.name_zh for c in crossings.values())


def test_protocol_wording_is_chosen_by_kind_and_product(ctx):
    phyto = [d.code for d in market_access.declarations_for("phyto", ["wheat"])]
    assert "tilletia_free" in phyto
    assert [d.code for d in market_access.declarations_for("phyto", ["soybeans"])] == [
        "weed_free"]
    vet = market_access.declarations_for("vet", ["beef_frozen"])
    assert "fmd_free_zone" in [d.code for d in vet]
    assert all(d.text_zh and d.text_kk for d in vet)


def test_a_load_repairs_an_edited_protocol_and_is_idle_again(ctx):
    db.session.get(MarketAccess, ("wheat", "CN")).protocol_status = "none"
    db.session.get(BorderCrossing, "kolzhat_dulata").name_zh = "?"
    db.session.delete(db.session.get(ProtocolDeclaration, "weed_free"))
    db.session.commit()
    changed = load_reference()
    assert (changed["market access"], changed["border crossings"],
            changed["protocol declarations"]) == (1, 1, 1)
    assert db.session.get(MarketAccess, ("wheat", "CN")).protocol_status == "in_force"
    assert set(load_reference().values()) == {0}


@pytest.mark.parametrize(("product", "reason"), [
    ("rapeseed", "No protocol with China covers Rapeseed (HS 1205)"),
    ("sunflower_seed", None),
    ("wheat", None),
])
def test_an_application_for_a_product_without_protocol_is_refused(ctx, product, reason):
    user, _e, _s, application = make_exporter_with_application(complete=False)
    application.gacc_category_code = "oilseeds" if product != "wheat" else "edible_grains"
    db.session.commit()
    data = {"product_code": product, "annual_volume": 10, "volume_unit": "t"}
    if reason is None:
        applications.add_product(user, application, ProductInput.from_mapping(data))
        assert [line.product_code for line in application.products] == [product]
        return
    with pytest.raises(ValidationFailed) as refused:
        applications.add_product(user, application, ProductInput.from_mapping(data))
    assert reason in refused.value.errors["product_code"][0]
    assert application.products == []


def test_trial_access_warns_and_in_force_does_not(ctx):
    assert "trial arrangement" in market_access.warning(db.session.get(Product,
                                                                       "sunflower_seed"))
    assert market_access.warning(db.session.get(Product, "wheat")) is None


def test_meat_from_a_region_outside_the_zones_is_refused_with_the_region_named(ctx):
    beef = db.session.get(Product, "beef_frozen")
    assert market_access.refusal(beef, "KZ-11") is None
    message = market_access.refusal(beef, "KZ-61")
    assert "Turkistan Region" in message and "outside the zones" in message


def test_a_protocol_is_named_in_each_language_and_in_english_where_it_has_no_translation(ctx):
    wheat = db.session.get(MarketAccess, ("wheat", "CN"))
    assert wheat.protocol_name_in("zh") == "关于哈萨克斯坦小麦输华植物检疫要求的议定书"
    assert wheat.protocol_name_in("ru") == ("Протокол о фитосанитарных требованиях к экспорту "
                                            "пшеницы из Казахстана в Китай")
    assert wheat.protocol_name_in("en") == wheat.protocol_name
    wheat.protocol_name_kk = ""
    assert wheat.protocol_name_in("kk") == wheat.protocol_name
