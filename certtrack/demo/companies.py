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
    """An establishment: key, type, region, Kazakh registration number, names, addresses. Names
    and addresses are in Kazakh, Russian, English and Chinese, "" where the exporter gave none
    (Kazakh and English are always given: the certificates China's border reads print the
    English), so that the certificates show what real ones show."""

    key: str
    type: str
    region_code: str
    kz_number: str
    names: tuple[str, str, str, str]  # kk, ru, en, zh
    addresses: tuple[str, str, str, str]  # kk, ru, en, zh


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
    exporter: tuple[str, str | None]  # full name, language (its pages' and e-mails')
    sites: tuple[Site, ...]
    committee: str = "phytosanitary"  # the inspection committee of its products


COMPANIES: tuple[Company, ...] = (
    Company("kostanay-astyk", "0312", 4567,
            ("Kostanay Astyk LLP", "«Қостанай Астық» ЖШС", "ТОО «Костанай Астык»",
             "科斯塔奈粮食有限责任公司"),
            "llp", "Serik Tulegenov", "KZ-39", "Kostanay, Baimagambetov Street 175",
            "+7 7142 555 101", ("Aliya Zhakupova", "ru"), (
                Site("kostanay", "elevator", "KZ-39", "KZ-39-PHY-0112",
                     ("Қостанай элеваторы",
                      "Костанайский элеватор",
                      "Kostanay elevator",
                      "科斯塔奈粮库"),
                     ("Қостанай қ., Өнеркәсіп көшесі, 30",
                      "г. Костанай, ул. Промышленная, 30",
                      "30 Promyshlennaya Street, Kostanay",
                      "科斯塔奈市工业街30号")),
                Site("rudny", "elevator", "KZ-39", "KZ-39-PHY-0147",
                     ("Рудный элеваторы",
                      "Рудненский элеватор",
                      "Rudny elevator",
                      "鲁德内粮库"),
                     ("Рудный қ., Құрылысшылар көшесі, 2",
                      "г. Рудный, ул. Строителей, 2",
                      "2 Stroiteley Street, Rudny",
                      "鲁德内市建设者街2号")),
                Site("zhitikara", "elevator", "KZ-39", "KZ-39-PHY-0163",
                     ("Жітіқара элеваторы",
                      "Житикаринский элеватор",
                      "Zhitikara elevator",
                      "日特卡拉粮库"),
                     ("Жітіқара қ., Элеватор көшесі, 1",
                      "г. Житикара, ул. Элеваторная, 1",
                      "1 Elevatornaya Street, Zhitikara",
                      "日特卡拉市埃列瓦托尔纳亚街1号")))),
    Company("esil-grain", "9807", 3141,
            ("Esil Grain Terminal JSC", "«Есіл Астық Терминалы» АҚ",
             "АО «Есиль Зерновой Терминал»", "伊希姆粮食码头股份公司"),
            "jsc", "Nurlan Abenov", "KZ-59", "Petropavl, Konstitutsii Kazakhstana Street 38",
            "+7 7152 555 202", ("Bauyrzhan Omarov", "ru"), (
                Site("petropavl", "elevator", "KZ-59", "KZ-59-PHY-0021",
                     ("Петропавл астық терминалы",
                      "Петропавловский зерновой терминал",
                      "Petropavl grain terminal",
                      "彼得罗巴甫尔粮食码头"),
                     ("Петропавл қ., Зауыт көшесі, 11",
                      "г. Петропавловск, ул. Заводская, 11",
                      "11 Zavodskaya Street, Petropavl",
                      "彼得罗巴甫尔市工厂街11号")),
                Site("taiynsha", "elevator", "KZ-59", "KZ-59-PHY-0058",
                     ("Тайынша элеваторы",
                      "Тайыншинский элеватор",
                      "Taiynsha elevator",
                      "泰因沙粮库"),
                     ("Тайынша қ., Вокзал көшесі, 5",
                      "г. Тайынша, ул. Вокзальная, 5",
                      "5 Vokzalnaya Street, Taiynsha",
                      "泰因沙市车站街5号")),
                Site("bulayevo", "elevator", "KZ-59", "KZ-59-PHY-0064",
                     ("Булаев элеваторы",
                      "Булаевский элеватор",
                      "Bulayevo elevator",
                      "布拉耶沃粮库"),
                     ("Булаев қ., Элеватор көшесі, 3",
                      "г. Булаево, ул. Элеваторная, 3",
                      "3 Elevatornaya Street, Bulayevo",
                      "布拉耶沃市埃列瓦托尔纳亚街3号")))),
    Company("kokshetau-un", "0409", 27182,
            ("Kokshetau Un LLP", "«Көкшетау Ұн» ЖШС", "ТОО «Кокшетау Ун»",
             "科克舍套面粉有限责任公司"),
            "llp", "Gulnara Iskakova", "KZ-11", "Kokshetau, Auezov Street 189",
            "+7 7162 555 303", ("Timur Sadykov", "ru"), (
                Site("kokshetau", "flour_mill", "KZ-11", "KZ-11-PHY-0230",
                     ("Көкшетау диірмені",
                      "Кокшетауская мельница",
                      "Kokshetau flour mill",
                      "科克舍套面粉厂"),
                     ("Көкшетау қ., Өнеркәсіп аймағы, 7",
                      "г. Кокшетау, промзона, 7",
                      "7 Industrial Zone, Kokshetau",
                      "科克舍套市工业区7号")),
                Site("shchuchinsk", "flour_mill", "KZ-11", "KZ-11-PHY-0244",
                     ("Щучинск диірмені",
                      "Щучинская мельница",
                      "Shchuchinsk flour mill",
                      "休钦斯克面粉厂"),
                     ("Щучинск қ., Абылай хан көшесі, 52",
                      "г. Щучинск, ул. Абылай хана, 52",
                      "52 Abylai Khan Street, Shchuchinsk",
                      "")))),
    Company("qyzyljar-oil", "1102", 16180,
            ("Qyzyljar Oil LLP", "«Қызылжар Май» ЖШС", "ТОО «Кызылжар Май»",
             "克孜勒扎尔油脂有限责任公司"),
            "llp", "Yerlan Mukanov", "KZ-59", "Petropavl, Ippodromnaya Street 14",
            "+7 7152 555 404", ("Dana Kuanysheva", "kk"), (
                Site("petropavl-oil", "oilseed_plant", "KZ-59", "KZ-59-PHY-0102",
                     ("Петропавл май зауыты",
                      "Петропавловский маслозавод",
                      "Petropavl oilseed plant",
                      "彼得罗巴甫尔油脂厂"),
                     ("Петропавл қ., Индустриалды көшесі, 8",
                      "г. Петропавловск, ул. Индустриальная, 8",
                      "8 Industrialnaya Street, Petropavl",
                      "彼得罗巴甫尔市工业路8号")),
                Site("mamlyutka", "oilseed_plant", "KZ-59", "KZ-59-PHY-0119",
                     ("Мамлют май сығу зауыты",
                      "Мамлютский маслоэкстракционный завод",
                      "Mamlyutka oil extraction plant",
                      "马姆柳特卡油脂浸出厂"),
                     ("Мамлют қ., Дала көшесі, 21",
                      "г. Мамлютка, ул. Степная, 21",
                      "21 Stepnaya Street, Mamlyutka",
                      "马姆柳特卡市草原街21号")))),
    Company("astana-zhem", "1503", 14142,
            ("Astana Zhem LLP", "«Астана Жем» ЖШС", "ТОО «Астана Жем»",
             "阿斯塔纳饲料有限责任公司"),
            "llp", "Askar Beisenov", "KZ-71", "Astana, Industrial Park 2, Building 12",
            "+7 7172 555 505", ("Zhanna Ermekova", "kk"), (
                Site("astana-feed", "feed_mill", "KZ-71", "KZ-71-PHY-0017",
                     ("Астана құрама жем зауыты",
                      "Астанинский комбикормовый завод",
                      "Astana feed mill",
                      "阿斯塔纳饲料厂"),
                     ("Астана қ., № 2 Индустриялық парк, 12-ғимарат",
                      "г. Астана, Индустриальный парк № 2, здание 12",
                      "Industrial Park 2, Building 12, Astana",
                      "阿斯塔纳市第二工业园12号楼")),
                Site("akkol-hay", "farm", "KZ-11", "KZ-11-PHY-0311",
                     ("Ақкөл жоңышқа шаруашылығы",
                      "Аккольское хозяйство люцерны",
                      "Akkol alfalfa farm",
                      "阿克科尔苜蓿农场"),
                     ("Ақкөл ауданы, Наумовка ауылы",
                      "Аккольский район, с. Наумовка",
                      "Naumovka village, Akkol District",
                      "")))),
    Company("atbasar-astyq", "0706", 2718,
            ("Atbasar Astyq LLP", "«Атбасар Астық» ЖШС", "ТОО «Атбасар Астык»",
             "阿特巴萨尔粮食有限责任公司"),
            "llp", "Kairat Zhumabekov", "KZ-11", "Atbasar, Tokhtarov Street 40",
            "+7 71643 5 5606", ("Marat Seitov", "kk"), (
                Site("atbasar", "elevator", "KZ-11", "KZ-11-PHY-0088",
                     ("Атбасар элеваторы",
                      "Атбасарский элеватор",
                      "Atbasar elevator",
                      "阿特巴萨尔粮库"),
                     ("Атбасар қ., Элеватор көшесі, 1",
                      "г. Атбасар, ул. Элеваторная, 1",
                      "1 Elevatornaya Street, Atbasar",
                      "阿特巴萨尔市埃列瓦托尔纳亚街1号")),
                Site("esil", "elevator", "KZ-11", "KZ-11-PHY-0091",
                     ("Есіл элеваторы",
                      "",
                      "Esil elevator",
                      "叶西尔粮库"),
                     ("Есіл қ., Темір жол көшесі, 9",
                      "",
                      "9 Temir Zhol Street, Esil",
                      "")))),
    Company("altai-bal", "0904", 17320,
            ("Altai Bal LLP", "«Алтай Балы» ЖШС", "ТОО «Алтай Бал»", "阿尔泰蜂蜜有限责任公司"),
            "llp", "Yerzhan Kasymov", "KZ-63", "Oskemen, Kabanbai Batyr Street 126",
            "+7 7232 555 707", ("Saule Nurgaliyeva", "kk"), (
                Site("katonkaragay", "farm", "KZ-63", "KZ-63-VET-0405",
                     ("Катонқарағай омартасы мен бал үйі",
                      "Катон-Карагайская пасека и медовый цех",
                      "Katonkaragay apiary and honey house",
                      "卡通卡拉盖养蜂场及蜂蜜加工间"),
                     ("Катонқарағай ауданы, Үрыл ауылы",
                      "Катон-Карагайский район, с. Урыль",
                      "Uryl village, Katonkaragay District",
                      "卡通卡拉盖区乌雷尔村")),
                Site("ridder", "farm", "KZ-63", "KZ-63-VET-0412",
                     ("Риддер бал үйі",
                      "Риддерский медовый цех",
                      "Ridder honey house",
                      "里德尔蜂蜜加工间"),
                     ("Риддер қ., Тау көшесі, 17",
                      "г. Риддер, ул. Горная, 17",
                      "17 Gornaya Street, Ridder",
                      ""))), committee="veterinary"),
    Company("alatau-sut", "1208", 22360,
            ("Alatau Sut LLP", "«Алатау Сүт» ЖШС", "ТОО «Алатау Сут»", "阿拉套乳业有限责任公司"),
            "llp", "Aigul Tokhtarova", "KZ-19", "Talgar, Konaev Street 55",
            "+7 72774 5 5808", ("Ruslan Amanov", "ru"), (
                Site("talgar", "farm", "KZ-19", "KZ-19-VET-0526",
                     ("Талғар сүт фермасы мен май зауыты",
                      "Талгарская молочная ферма и маслозавод",
                      "Talgar dairy farm and creamery",
                      "塔尔加尔奶牛场及乳品厂"),
                     ("Талғар ауданы, Панфилов ауылы",
                      "Талгарский район, с. Панфилово",
                      "Panfilov village, Talgar District",
                      "塔尔加尔区潘菲洛夫村")),
                Site("esik", "farm", "KZ-19", "KZ-19-VET-0531",
                     ("Есік сүт фермасы",
                      "Иссыкская молочная ферма",
                      "Esik dairy farm",
                      "伊塞克奶牛场"),
                     ("Есік қ., Абай көшесі, 3",
                      "г. Есик, ул. Абая, 3",
                      "3 Abai Street, Esik",
                      "伊塞克市阿拜街3号"))), committee="veterinary"),
    Company("taraz-et", "0105", 12345,
            ("Taraz Et LLP", "«Тараз Ет» ЖШС", "ТОО «Тараз Ет»", "塔拉兹肉类有限责任公司"),
            "llp", "Bolat Dzhaksybekov", "KZ-31", "Taraz, Tole Bi Street 96",
            "+7 7262 555 909", ("Aizhan Bekmurzayeva", "kk"), (
                Site("taraz", "slaughterhouse", "KZ-31", "KZ-31-VET-0611",
                     ("Тараз қой сою кәсіпорны",
                      "Таразская бойня мелкого рогатого скота",
                      "Taraz mutton slaughterhouse",
                      "塔拉兹羊屠宰厂"),
                     ("Тараз қ., № 3 өнеркәсіп аймағы",
                      "г. Тараз, промышленная зона № 3",
                      "Industrial Zone 3, Taraz",
                      "塔拉兹市第三工业区")),
                Site("shu", "slaughterhouse", "KZ-31", "KZ-31-VET-0618",
                     ("Шу мал сою кәсіпорны",
                      "Шуская бойня",
                      "Shu slaughterhouse",
                      "楚河屠宰厂"),
                     ("Шу қ., Вокзал көшесі, 44",
                      "г. Шу, ул. Вокзальная, 44",
                      "44 Vokzalnaya Street, Shu",
                      ""))), committee="veterinary"),
    Company("semey-beef", "0011", 5772,
            ("Semey Beef LLP", "«Семей Сиыр Еті» ЖШС", "ТОО «Семей Биф»",
             "塞梅伊牛肉有限责任公司"),
            "llp", "Dmitry Lavrov", "KZ-10", "Semey, Shakarim Avenue 120",
            "+7 7222 555 010", ("Yerbol Tursynov", "zh"), (
                Site("semey", "meat_processor", "KZ-10", "KZ-10-VET-0702",
                     ("Семей ет өңдеу зауыты",
                      "Семейский мясоперерабатывающий завод",
                      "Semey meat processing plant",
                      "塞梅伊肉类加工厂"),
                     ("Семей қ., Солтүстік өнеркәсіп аймағы, 6",
                      "г. Семей, Северная промзона, 6",
                      "6 North Industrial Zone, Semey",
                      "塞梅伊市北工业区6号")),
                Site("ayagoz", "slaughterhouse", "KZ-10", "KZ-10-VET-0715",
                     ("Аягөз мал сою кәсіпорны",
                      "Аягозская бойня",
                      "Ayagoz slaughterhouse",
                      "阿亚古兹屠宰厂"),
                     ("Аягөз қ., Бейбітшілік көшесі, 8",
                      "г. Аягоз, ул. Бейбитшилик, 8",
                      "8 Beibitshilik Street, Ayagoz",
                      "阿亚古兹市和平街8号"))), committee="veterinary"),
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
            **_languages("name", site.names), **_languages("address", site.addresses),
            "type": site.type, "region_code": site.region_code,
            "kz_registration_number": site.kz_number,
        })) for site in company.sites}


def _languages(field: str, values: tuple[str, str, str, str]) -> dict[str, str]:
    """A site's (kk, ru, en, zh) values as the establishment's fields: `name` is Kazakh."""
    kk, ru, en, zh = values
    return {field: kk, f"{field}_ru": ru, f"{field}_en": en, f"{field}_zh": zh}


def create_companies(template: User) -> dict[str, Exporter]:
    """Create every demo company with its exporter account; return them by company key."""
    created = {}
    for company in COMPANIES:
        full_name, locale = company.exporter
        user = _exporter_account(template, exporter_email(company), full_name, locale)
        created[company.key] = Exporter(user, company, _register(user, company))
    return created
