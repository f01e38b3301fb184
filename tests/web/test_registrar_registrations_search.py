"""The registrar's list of registrations finds an enterprise by its name in any language, in
any case, by its BIN or by the China number, as the public register does: it found the
English name alone, and no Cyrillic name typed in another case."""

from datetime import date

import pytest

from certtrack.extensions import db

from factories import make_registration, make_user
from forms import login

pytestmark = pytest.mark.engine  # run on PostgreSQL too (conftest.py)


@pytest.fixture
def listed(ctx, client):
    registrar = make_user("registrar", "registrar@example.kz")
    _exporter, _application, registration = make_registration(registrar, date(2026, 7, 1))
    _e, _a, other = make_registration(registrar, date(2026, 7, 2))
    enterprise = registration.enterprise
    enterprise.name_en, enterprise.name_kk = "Altai Honey LLP", "«Алтай Балы» ЖШС"
    enterprise.name_ru, enterprise.name_zh = "ТОО «Алтай Бал»", "阿尔泰蜂蜜有限责任公司"
    db.session.commit()
    login(client, registrar.email)
    return registration, other


@pytest.mark.parametrize("search", ["Altai", "altai honey", "Алтай Бал", "алтай бал", "АЛТАЙ",
                                    "阿尔泰蜂蜜", "Алтай Балы", "{bin}", "{number}"])
def test_any_name_the_list_shows_finds_the_registration(listed, client, search):
    registration, other = listed
    search = search.format(bin=registration.enterprise.bin, number=registration.china_number)
    page = client.get("/registrar/registrations", query_string={"q": search}).get_data(
        as_text=True)
    assert registration.china_number in page
    assert other.china_number not in page


def test_the_list_sorts_by_expiry_listing_or_number(listed, client):
    registration, other = listed  # listed on 1 and 2 July: the first expires first
    def order(sort=None):
        page = client.get("/registrar/registrations",
                          query_string={"sort": sort} if sort else {}).get_data(as_text=True)
        return sorted((registration.china_number, other.china_number), key=page.index)
    assert order() == order("expiry") == [registration.china_number, other.china_number]
    assert order("listed") == [other.china_number, registration.china_number]
    assert order("number") == sorted([registration.china_number, other.china_number])
    assert order("nonsense") == order()
