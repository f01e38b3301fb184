"""Every dairy product China admits can get its veterinary certificate: a certificate rests
on a laboratory result, and milk powder, whey, butter and cheese had no limit to record one
against, so the inspector could only refuse them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import GaccCategory, Product
from certtrack.services.applications import local_today
from certtrack.services.consignments import drafts, issue
from certtrack.services.consignments.inputs import LotInput
from certtrack.services.errors import ValidationFailed
from certtrack.services.limits import limits_for_products

from consignment_factories import header, inspect_ready, listed_in_english
from factories import make_registration, make_user


def test_every_veterinary_product_with_a_protocol_has_a_limit_to_test_it_against(ctx):
    products = db.session.scalars(select(Product).join(
        GaccCategory, GaccCategory.code == Product.gacc_category_code).where(
        GaccCategory.committee == "veterinary", Product.protocol_status == "P"))
    assert [p.code for p in products if not limits_for_products([p.code])] == []


def test_a_cheese_consignment_gets_its_certificate(ctx):
    registrar = make_user("registrar")
    exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30), category="dairy", product="cheese")
    listed_in_english(registration.establishment)
    consignment = drafts.create_consignment(exporter, header(
        registration, conveyance="container", crossing_code="nur_zholy_khorgos",
        production_from=local_today() - timedelta(days=20), storage_temperature=Decimal("4")))
    drafts.add_lot(exporter, consignment, LotInput(
        product_code="cheese", net_weight=Decimal("12000"), gross_weight=Decimal("12900"),
        weight_unit="kg", packages_number=600, packages_kind="cartons",
        marks="Container MSKU 1234565, seal 004512"))
    drafts.submit_consignment(exporter, consignment)
    inspector = make_user("inspector", committee="veterinary", regions=["KZ-11"], official=True)
    inspect_ready(inspector, consignment)
    assert issue.issue_refusals(consignment) == []
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    assert [r["parameter"] for r in certificate.context["lab_results"]] == ["aflatoxin M1"]


def test_dairy_from_a_region_outside_the_fmd_free_zones_is_refused(ctx):
    """The dairy wording attests a zone free from foot-and-mouth disease and accepted by China;
    the dairy products had no zones, and a yoghurt consignment from Turkistan was certified."""

    exporter, _application, registration = make_registration(
        make_user("registrar"), local_today() - timedelta(days=30), region="KZ-61",
        category="dairy", product="yoghurt")
    with pytest.raises(ValidationFailed) as refused:
        drafts.create_consignment(exporter, header(
            registration, origin_region_code="KZ-61", conveyance="container",
            crossing_code="nur_zholy_khorgos",
            production_from=local_today() - timedelta(days=5), storage_temperature=Decimal("4")))
    assert "origin_region_code" in refused.value.errors
