"""Numbers as people type them: a text box read in the page's language. A browser's number box
emptied "1e400" or "0,05" before sending it, and the field then read as left blank."""

import re
from decimal import Decimal

import pytest
from flask import g
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models.consignment import ConsignmentLot

from consignment_factories import make_consignment
from forms import login, post


@pytest.fixture
def draft(ctx, client):
    exporter, _inspector, _registration, consignment = make_consignment("phyto", submit=False)
    login(client, exporter.email)
    return consignment


def _in(client, locale: str) -> None:
    assert post(client, "/language", {"locale": locale}).status_code == 302
    g.pop("_flask_babel", None)  # the test's application context outlives the requests


def _add_lot(client, consignment, **changes):
    lot = {"product_code": "wheat", "net_weight": "10", "gross_weight": "11",
           "weight_unit": "t", "packages_number": "1", "packages_kind": "bulk", **changes}
    return post(client, f"/exporter/consignments/{consignment.id}/lots", lot)


def _lots() -> list[ConsignmentLot]:
    db.session.expire_all()
    return db.session.scalars(select(ConsignmentLot).order_by(ConsignmentLot.id)).all()


def _error(response, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>',
                      response.get_data(as_text=True), re.S)
    return match.group(1).strip() if match else ""


@pytest.mark.parametrize(("locale", "net", "gross", "packages", "stored"), [
    ("ru", "1 000,5", "1\u00a0001,25", "1 200", (Decimal("1000.5"), Decimal("1001.25"), 1200)),
    ("kk", "0,5", "0.75", "3", (Decimal("0.5"), Decimal("0.75"), 3)),
    ("en", "1,000.5", "1001.25", "1,200", (Decimal("1000.5"), Decimal("1001.25"), 1200)),
    ("zh", "12.5", "13", "2", (Decimal("12.5"), Decimal("13"), 2)),
], ids=["ru", "kk", "en", "zh"])
def test_numbers_read_as_the_page_language_writes_them(draft, client, locale, net, gross,
                                                       packages, stored):
    _in(client, locale)
    before = len(_lots())
    response = _add_lot(client, draft, net_weight=net, gross_weight=gross,
                        packages_number=packages)
    assert response.status_code == 302
    lot = _lots()[before]
    assert (lot.net_weight, lot.gross_weight, lot.packages_number) == stored


def test_a_comma_that_the_language_does_not_use_is_refused_and_kept(draft, client):
    """In English "0,5" is not a number: said beside the field, nothing stored, "0,5" kept."""
    before = len(_lots())
    response = _add_lot(client, draft, net_weight="0,5")
    assert response.status_code == 422
    assert _error(response, "net_weight") == "Enter a number, such as 1,234.5."
    assert 'value="0,5"' in response.get_data(as_text=True)
    assert len(_lots()) == before


def test_letters_and_fractions_get_the_fields_own_message_in_russian(draft, client):
    _in(client, "ru")
    response = _add_lot(client, draft, net_weight="десять", packages_number="1,5")
    assert response.status_code == 422
    assert _error(response, "net_weight") == "Введите число, например 1\u00a0234,5."
    assert _error(response, "packages_number") == "Введите целое число, например 1\u00a0200."
    assert 'value="десять"' in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["1e400", "1e100000000", "Infinity", "NaN"])
def test_a_number_out_of_any_bound_is_said_to_be_so_not_missing(draft, client, typed):
    """A browser's number box sent "1e400" as nothing, and the page said it was required."""
    before = len(_lots())
    response = _add_lot(client, draft, net_weight=typed, packages_number=typed)
    assert response.status_code == 422
    # not a number as people write one (it read as 1000 when typed "1e3")
    assert _error(response, "net_weight") == "Enter a number, such as 1,234.5."
    assert _error(response, "packages_number") in ("Enter a number between 0 and 10,000,000.",
                                                   "Enter a whole number, such as 1,200.")
    assert len(_lots()) == before


def test_a_number_in_scientific_notation_is_refused(draft, client):
    """"1e3" was stored as 1000 beside a hint that asks for "1 234,5"."""
    _in(client, "ru")
    response = _add_lot(client, draft, net_weight="1e3")
    assert response.status_code == 422
    assert _error(response, "net_weight") == "Введите число, например 1\u00a0234,5."


@pytest.mark.parametrize(("locale", "typed", "message"), [
    ("kk", "50.000", "«50.000» екі түрлі оқылады: ондық бөлшекті үтірмен (50), мыңдықтарды "
                     "бос орынмен (50\u00a0000) жазыңыз."),
    ("ru", "1.250", "«1.250» читается двояко: пишите дробь через запятую (1,25), тысячи — "
                    "через пробел (1\u00a0250)."),
])
def test_a_dot_before_three_digits_reads_two_ways_where_a_comma_marks_decimals(
        draft, client, locale, typed, message):
    """"50.000" in Kazakh was stored as 50, where the exporter meant fifty thousand."""
    _in(client, locale)
    before = len(_lots())
    response = _add_lot(client, draft, net_weight=typed, gross_weight="100 000")
    assert response.status_code == 422
    assert _error(response, "net_weight") == message
    assert f'value="{typed}"' in response.get_data(as_text=True)
    assert len(_lots()) == before
    assert _add_lot(client, draft, net_weight="0.005").status_code == 302  # one way only


def test_the_boxes_are_text_with_the_phones_number_keypad(draft, client):
    page = client.get(f"/exporter/consignments/{draft.id}").get_data(as_text=True)
    net = re.search(r'<input[^>]*id="net_weight"[^>]*>', page).group(0)
    assert 'type="text"' in net and 'inputmode="decimal"' in net
    packages = re.search(r'<input[^>]*id="packages_number"[^>]*>', page).group(0)
    assert 'type="text"' in packages and 'inputmode="numeric"' in packages
    assert 'type="number"' not in page


def test_a_stored_number_is_shown_as_the_page_language_writes_it(ctx, client):
    """A temperature, which may be below zero, gets the full keyboard (a phone's decimal
    keypad has no minus sign); a stored -18.0 reads "-18" and in Russian "-2,5"."""
    exporter, _inspector, _registration, consignment = make_consignment("vet", submit=False)
    login(client, exporter.email)
    consignment.storage_temperature = Decimal("-2.5")
    db.session.commit()
    _in(client, "ru")
    page = client.get(f"/exporter/consignments/{consignment.id}/edit").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="storage_temperature"[^>]*>', page).group(0)
    assert 'value="-2,5"' in box and 'inputmode="text"' in box


def test_marks_in_cyrillic_are_refused_beside_the_field_and_kept(draft, client):
    """The certificate China's border reads printed "Вагон № 52345675, пломба ҚТЖ-0012345"
    on its Chinese verification page."""
    before = len(_lots())
    response = _add_lot(client, draft, marks="Вагон № 52345675, пломба ҚТЖ-0012345",
                        net_weight="-1")
    assert response.status_code == 422
    assert _error(response, "marks").startswith("Write the marks in Latin or Chinese script")
    assert _error(response, "net_weight")  # in one answer with the weight's
    assert "Вагон № 52345675" in response.get_data(as_text=True)
    assert len(_lots()) == before
    latin = _add_lot(client, draft, marks="Wagon No 52345675, seal KTZh-0012345")
    assert latin.status_code == 302


def test_no_package_is_refused_in_words_that_say_at_least_one(draft, client):
    """"-1" read "Enter a number between 0 and 10,000,000", and 0 was then refused too."""
    response = _add_lot(client, draft, packages_number="-1")
    assert _error(response, "packages_number") == "Enter a number between 1 and 10,000,000."


def test_a_weight_finer_than_it_is_kept_is_refused(draft, client):
    """0.0000001 t was accepted, stored as 0.000 and shown as "0 t"."""
    before = len(_lots())
    response = _add_lot(client, draft, net_weight="0.0000001", gross_weight="0.0000002")
    assert response.status_code == 422
    assert _error(response, "net_weight") == "Enter at most 3 digits after the decimal point."
    assert len(_lots()) == before
    assert _add_lot(client, draft, net_weight="0.001", gross_weight="0.002").status_code == 302


def test_a_temperature_that_is_not_a_number_gets_a_temperature_as_example(ctx, client):
    """Kazakh read "Enter a number, such as 1 234,5" under "Storage temperature, °C"."""
    exporter, _inspector, _registration, consignment = make_consignment("vet", submit=False)
    login(client, exporter.email)
    _in(client, "kk")
    page = client.get(f"/exporter/consignments/{consignment.id}/edit").get_data(as_text=True)
    form = {name: value for name, value in re.findall(
        r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    response = post(client, f"/exporter/consignments/{consignment.id}/edit",
                    {**form, "storage_temperature": "минус он сегіз"})
    assert response.status_code == 422
    assert _error(response, "storage_temperature") == "Санды енгізіңіз, мысалы: -18,5."
