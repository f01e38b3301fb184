"""Names, identifiers and addresses that look like Kazakh exporters' (deterministic per seed)."""

import random

from certtrack.domain.identifiers import bin_check_digit

# Latin and Kazakh Cyrillic spellings of the words enterprise names are built from.
PLACES = (
    ("Dala", "Дала"), ("Altyn", "Алтын"), ("Kokshe", "Көкше"), ("Saryarka", "Сарыарқа"),
    ("Zhetysu", "Жетісу"), ("Ertis", "Ертіс"), ("Tobyl", "Тобыл"), ("Esil", "Есіл"),
    ("Alatau", "Алатау"), ("Karatau", "Қаратау"), ("Kaspiy", "Каспий"), ("Aksu", "Ақсу"),
    ("Shygys", "Шығыс"), ("Batys", "Батыс"), ("Ontustik", "Оңтүстік"), ("Soltustik", "Солтүстік"),
    ("Berkut", "Бүркіт"), ("Aral", "Арал"), ("Balkhash", "Балқаш"), ("Ulytau", "Ұлытау"),
    ("Kazygurt", "Қазығұрт"), ("Bayterek", "Бәйтерек"), ("Tulpar", "Тұлпар"), ("Nura", "Нұра"),
)
TRADES = {
    "phytosanitary": (("Grain", "Астық"), ("Agro", "Агро"), ("Oil", "Май"), ("Feed", "Жем"),
                      ("Bread", "Нан"), ("Mill", "Диірмен"), ("Harvest", "Өнім")),
    "veterinary": (("Meat", "Ет"), ("Milk", "Сүт"), ("Honey", "Бал"), ("Livestock", "Мал"),
                   ("Beef", "Сиыр еті"), ("Dairy", "Сүт өнімдері")),
}
LEGAL_FORMS = (("llp", "LLP", "ЖШС", "ТОО"), ("jsc", "JSC", "АҚ", "АО"),
               ("peasant_farm", "Farm", "ШҚ", "КХ"), ("production_cooperative", "Cooperative",
                                                     "ӨК", "ПК"))
GIVEN = ("Arman", "Aigerim", "Nurlan", "Madina", "Yerlan", "Dana", "Bauyrzhan", "Aliya",
         "Serik", "Gulnara", "Timur", "Saule", "Daniyar", "Zhanna", "Askar", "Ainur")
FAMILY = ("Bekov", "Nurlanova", "Omarov", "Seitkali", "Abenov", "Zhaksybekova", "Kassymov",
          "Tulegenova", "Akhmetov", "Ospanova", "Iskakov", "Mukanova", "Sadykov", "Baimukhanova")
STREETS = ("Abai", "Dostyk", "Respublika", "Tauelsizdik", "Kabanbay batyr", "Satpayev",
           "Zheltoksan", "Bogenbay batyr", "Kenesary", "Auezov")


def make_bin(serial: int) -> str:
    """A valid 12-digit BIN of a resident legal entity, distinct for each serial (< 10^5)."""
    for year_month in range(1, 100):
        first11 = f"{(year_month % 25) + 1:02d}{(year_month % 12) + 1:02d}40{serial:05d}"
        check = bin_check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
    raise ValueError(f"no valid BIN for serial {serial}")


def enterprise_names(rng: random.Random, serial: int, committee: str) -> dict[str, str]:
    """Names in English, Kazakh, Russian and (for some) Chinese; unique thanks to `serial`."""
    place, place_kk = rng.choice(PLACES)
    trade, trade_kk = rng.choice(TRADES[committee])
    form, form_en, form_kk, form_ru = rng.choices(LEGAL_FORMS, weights=(70, 10, 15, 5))[0]
    names = {"name_en": f"{place} {trade} {serial} {form_en}",
             "name_kk": f"«{place_kk} {trade_kk} {serial}» {form_kk}" if rng.random() < 0.6 else "",
             "name_ru": f"{form_ru} «{place} {trade} {serial}»" if rng.random() < 0.5 else "",
             "name_zh": f"{place}{serial}有限责任公司" if rng.random() < 0.2 else ""}
    return {**names, "legal_form": form}


def person(rng: random.Random) -> str:
    """A plausible full name."""
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def address(rng: random.Random, town: str) -> str:
    """A street address in `town`."""
    return f"{town}, {rng.choice(STREETS)} street {rng.randint(1, 250)}"


def china_number(serial: int, category: str) -> str:
    """An 18-character China registration number: CKAZ + 14 upper-case letters and digits."""
    return f"CKAZ{category[:2].upper()}{serial:012d}"
