"""Demo enterprises, their establishments and exporter accounts, registered through the services."""

from typing import NamedTuple

from certtrack.domain.identifiers import bin_check_digit
from certtrack.domain.workflow import Role
from certtrack.extensions import db
from certtrack.models import Establishment, User
from certtrack.services import enterprises
from certtrack.services.audit import record_event
from certtrack.services.permissions import SYSTEM
from certtrack.services.transaction import transaction

DEMO_DOMAIN = "demo.certtrack.kz"


class Site(NamedTuple):
    """An establishment: key, name, type, region, address, Kazakh registration number."""

    key: str
    name: str
    type: str
    region_code: str
    address: str
    kz_number: str


class Company(NamedTuple):
    """A demo enterprise, its BIN seed (YYMM, serial), its exporter and its establishments."""

    key: str
    registered: str  # YYMM of state registration: the first four digits of the BIN
    serial: int
    names: tuple[str, str, str, str]  # en, kk, ru, zh
    legal_form: str
    representative: str
    region_code: str
    address: str
    phone: str
    exporter: tuple[str, str | None]  # full name, language
    sites: tuple[Site, ...]
    committee: str = "phytosanitary"  # the inspection committee of its products


COMPANIES: tuple[Company, ...] = (
    Company("kostanay-astyk", "0312", 4567,
            ("Kostanay Astyk LLP", "«Қостанай Астық» ЖШС", "ТОО «Костанай Астык»",
             "科斯塔奈粮食有限责任公司"),
            "llp", "Serik Tulegenov", "KZ-39", "Kostanay, Baimagambetov Street 175",
            "+7 7142 555 101", ("Aliya Zhakupova", "ru"), (
                Site("kostanay", "Kostanay elevator", "elevator", "KZ-39",
                     "Kostanay, Promyshlennaya Street 30", "KZ-39-PHY-0112"),
                Site("rudny", "Rudny elevator", "elevator", "KZ-39",
                     "Rudny, Stroiteley Street 2", "KZ-39-PHY-0147"),
                Site("zhitikara", "Zhitikara elevator", "elevator", "KZ-39",
                     "Zhitikara, Elevatornaya Street 1", "KZ-39-PHY-0163"))),
    Company("esil-grain", "9807", 3141,
            ("Esil Grain Terminal JSC", "«Есіл Астық Терминалы» АҚ",
             "АО «Есиль Зерновой Терминал»", "伊希姆粮食码头股份公司"),
            "jsc", "Nurlan Abenov", "KZ-59", "Petropavl, Konstitutsii Kazakhstana Street 38",
            "+7 7152 555 202", ("Bauyrzhan Omarov", None), (
                Site("petropavl", "Petropavl grain terminal", "elevator", "KZ-59",
                     "Petropavl, Zavodskaya Street 11", "KZ-59-PHY-0021"),
                Site("taiynsha", "Taiynsha elevator", "elevator", "KZ-59",
                     "Taiynsha, Vokzalnaya Street 5", "KZ-59-PHY-0058"),
                Site("bulayevo", "Bulayevo elevator", "elevator", "KZ-59",
                     "Bulayevo, Elevatornaya Street 3", "KZ-59-PHY-0064"))),
    Company("kokshetau-un", "0409", 27182,
            ("Kokshetau Un LLP", "«Көкшетау Ұн» ЖШС", "ТОО «Кокшетау Ун»",
             "科克舍套面粉有限责任公司"),
            "llp", "Gulnara Iskakova", "KZ-11", "Kokshetau, Auezov Street 189",
            "+7 7162 555 303", ("Timur Sadykov", None), (
                Site("kokshetau", "Kokshetau flour mill", "flour_mill", "KZ-11",
                     "Kokshetau, Promzona 7", "KZ-11-PHY-0230"),
                Site("shchuchinsk", "Shchuchinsk flour mill", "flour_mill", "KZ-11",
                     "Shchuchinsk, Lenina Street 52", "KZ-11-PHY-0244"))),
    Company("qyzyljar-oil", "1102", 16180,
            ("Qyzyljar Oil LLP", "«Қызылжар Май» ЖШС", "ТОО «Кызылжар Май»",
             "克孜勒扎尔油脂有限责任公司"),
            "llp", "Yerlan Mukanov", "KZ-59", "Petropavl, Ippodromnaya Street 14",
            "+7 7152 555 404", ("Dana Kuanysheva", None), (
                Site("petropavl-oil", "Petropavl oilseed plant", "oilseed_plant", "KZ-59",
                     "Petropavl, Industrialnaya Street 8", "KZ-59-PHY-0102"),
                Site("mamlyutka", "Mamlyutka oil extraction plant", "oilseed_plant", "KZ-59",
                     "Mamlyutka, Stepnaya Street 21", "KZ-59-PHY-0119"))),
    Company("astana-zhem", "1503", 14142,
            ("Astana Zhem LLP", "«Астана Жем» ЖШС", "ТОО «Астана Жем»",
             "阿斯塔纳饲料有限责任公司"),
            "llp", "Askar Beisenov", "KZ-71", "Astana, Industrial Park 2, Building 12",
            "+7 7172 555 505", ("Zhanna Ermekova", "kk"), (
                Site("astana-feed", "Astana feed mill", "feed_mill", "KZ-71",
                     "Astana, Industrial Park 2, Building 12", "KZ-71-PHY-0017"),
                Site("akkol-hay", "Akkol alfalfa farm", "farm", "KZ-11",
                     "Akkol district, Naumovka village", "KZ-11-PHY-0311"))),
    Company("atbasar-astyq", "0706", 2718,
            ("Atbasar Astyq LLP", "«Атбасар Астық» ЖШС", "ТОО «Атбасар Астык»",
             "阿特巴萨尔粮食有限责任公司"),
            "llp", "Kairat Zhumabekov", "KZ-11", "Atbasar, Tokhtarov Street 40",
            "+7 71643 5 5606", ("Marat Seitov", None), (
                Site("atbasar", "Atbasar elevator", "elevator", "KZ-11",
                     "Atbasar, Elevatornaya Street 1", "KZ-11-PHY-0088"),
                Site("esil", "Esil elevator", "elevator", "KZ-11",
                     "Esil, Zheleznodorozhnaya Street 9", "KZ-11-PHY-0091"))),
    Company("altai-bal", "0904", 17320,
            ("Altai Bal LLP", "«Алтай Балы» ЖШС", "ТОО «Алтай Бал»", "阿尔泰蜂蜜有限责任公司"),
            "llp", "Yerzhan Kasymov", "KZ-63", "Oskemen, Kabanbai Batyr Street 126",
            "+7 7232 555 707", ("Saule Nurgaliyeva", "kk"), (
                Site("katonkaragay", "Katonkaragay apiary and honey house", "farm", "KZ-63",
                     "Katonkaragay district, Uryl village", "KZ-63-VET-0405"),
                Site("ridder", "Ridder honey house", "farm", "KZ-63",
                     "Ridder, Gornaya Street 17", "KZ-63-VET-0412")), committee="veterinary"),
    Company("alatau-sut", "1208", 22360,
            ("Alatau Sut LLP", "«Алатау Сүт» ЖШС", "ТОО «Алатау Сут»", "阿拉套乳业有限责任公司"),
            "llp", "Aigul Tokhtarova", "KZ-19", "Talgar, Konaev Street 55",
            "+7 72774 5 5808", ("Ruslan Amanov", "ru"), (
                Site("talgar", "Talgar dairy farm and creamery", "farm", "KZ-19",
                     "Talgar district, Panfilov village", "KZ-19-VET-0526"),
                Site("esik", "Esik dairy farm", "farm", "KZ-19",
                     "Esik, Abai Street 3", "KZ-19-VET-0531")), committee="veterinary"),
    Company("taraz-et", "0105", 12345,
            ("Taraz Et LLP", "«Тараз Ет» ЖШС", "ТОО «Тараз Ет»", "塔拉兹肉类有限责任公司"),
            "llp", "Bolat Dzhaksybekov", "KZ-31", "Taraz, Tole Bi Street 96",
            "+7 7262 555 909", ("Aizhan Bekmurzayeva", None), (
                Site("taraz", "Taraz mutton slaughterhouse", "slaughterhouse", "KZ-31",
                     "Taraz, Industrial zone 3", "KZ-31-VET-0611"),
                Site("shu", "Shu slaughterhouse", "slaughterhouse", "KZ-31",
                     "Shu, Vokzalnaya Street 44", "KZ-31-VET-0618")), committee="veterinary"),
    Company("semey-beef", "0011", 5772,
            ("Semey Beef LLP", "«Семей Сиыр Еті» ЖШС", "ТОО «Семей Биф»",
             "塞米伊牛肉有限责任公司"),
            "llp", "Dmitry Lavrov", "KZ-10", "Semey, Shakarim Avenue 120",
            "+7 7222 555 010", ("Yerbol Tursynov", "zh"), (
                Site("semey", "Semey meat processing plant", "meat_processor", "KZ-10",
                     "Semey, Severnaya promzona 6", "KZ-10-VET-0702"),), committee="veterinary"),
)


class Exporter(NamedTuple):
    """A demo exporter account, its company and its establishments by key."""

    user: User
    company: Company
    sites: dict[str, Establishment]


def demo_bin(registered: str, serial: int) -> str:
    """Take a YYMM and a serial; return a valid resident-LLP BIN (type 4, head office 0).

    A serial whose check digit does not exist is skipped for the next one.
    """
    while True:
        first11 = f"{registered}40{serial:05d}"
        digit = bin_check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
        serial += 1


def exporter_email(company: Company) -> str:
    """The sign-in of a company's demo exporter, e.g. taraz-et@demo.certtrack.kz."""
    return f"{company.key}@{DEMO_DOMAIN}"


def _exporter_account(template: User, email: str, full_name: str, locale: str | None) -> User:
    """An exporter with the demo password: the template's hash is reused (scrypt is slow and
    the password is the same), with the audit row accounts.create_user writes."""
    with transaction():
        user = User(email=email, full_name=full_name, role=Role.exporter, locale=locale,
                    password_hash=template.password_hash)
        db.session.add(user)
        db.session.flush()
        record_event(SYSTEM, "user_created", object_type="user", object_id=user.id,
                     data={"email": email, "role": Role.exporter.value})
    return user


def _register(user: User, company: Company) -> dict[str, Establishment]:
    en, kk, ru, zh = company.names
    enterprises.register_enterprise(user, enterprises.EnterpriseInput.from_mapping({
        "bin": demo_bin(company.registered, company.serial), "name_en": en, "name_kk": kk,
        "name_ru": ru, "name_zh": zh, "legal_form": company.legal_form,
        "legal_representative": company.representative, "region_code": company.region_code,
        "address": company.address, "phone": company.phone,
        "email": f"export@{company.key}.kz",
    }))
    return {site.key: enterprises.add_establishment(
        user, enterprises.EstablishmentInput.from_mapping({
        "name": site.name, "type": site.type, "region_code": site.region_code,
        "address": site.address, "kz_registration_number": site.kz_number,
    })) for site in company.sites}


def create_companies(template: User) -> dict[str, Exporter]:
    """Create every demo company with its exporter account; return them by company key."""
    created = {}
    for company in COMPANIES:
        full_name, locale = company.exporter
        user = _exporter_account(template, exporter_email(company), full_name, locale)
        created[company.key] = Exporter(user, company, _register(user, company))
    return created
