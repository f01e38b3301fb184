"""Demo applications stopped at each stage before the conclusion: draft to laboratory testing.

Staff write in Russian or Kazakh, as Kazakh inspectors do (the phytosanitary inspector of the demo
in Russian), and so do the exporters, each in their own language.
"""

from decimal import Decimal

from certtrack.demo import clock
from certtrack.demo.journey import (
    GRAIN_LAB,
    Line,
    corrective_actions_due,
    draft,
    inspect,
    record_results,
    schedule,
    start_review,
    submitted,
    take_samples,
    to_inspected,
    upload_evidence,
)
from certtrack.services import applications, conclusions, review

# Findings as the inspector writes them (Russian), then their English for the dossier to GACC.
STORAGE = ("Условия хранения: чистота, сухость, учёт влажности и температуры",
           "Storage: clean and dry, moisture and temperature recorded")
STORAGE_FINDING = (
    "major", STORAGE[0],
    "В силосе № 4 нет записей температуры за 12 дней октября; влажность зерна при приёмке не "
    "измерялась.", "Приказ ГТУ КНР № 248, ст. 7; фитосанитарный протокол 2015 г., ст. 5",
    STORAGE[1], "Silo No. 4 has no temperature records for 12 days of October; the moisture "
    "of the grain was not measured on intake.")
LABEL_FINDING = (
    "minor", "Прослеживаемость партии до поставщика",
    "В двух приёмных квитанциях не указан БИН хозяйства-поставщика.",
    "Приказ ГТУ КНР № 248, ст. 7, п. 4", "Traceability of each lot to its supplier",
    "Two intake receipts do not give the supplying farm's BIN.")
PEST_FINDING = (
    "major", "Программа борьбы с вредителями внедрена и контролируется",
    "Приманочные станции на складе отрубей не проверялись с августа; отчётов подрядчика нет.",
    "Протокол по кормам 2017 г., ст. 4", "A pest control programme is in place and monitored",
    "The bait stations of the bran store have not been checked since August; there are no "
    "contractor's reports.")
DUST_FINDING = (
    "minor", STORAGE[0],
    "На кабельных лотках линии фасовки скопилась мучная пыль.",
    "GB 13078, гигиенические требования", STORAGE[1],
    "Flour dust has built up on the cable trays of the packing line.")


def draft_and_submitted(casts) -> None:
    """Draft: an incomplete barley draft. Submitted: soybeans waiting for the phyto inspector."""
    esil = casts("esil-grain")
    with clock.story(days_ago=9):
        draft(esil.exporter, esil.sites["taiynsha"], "edible_grains",
              (Line("barley", 18000),), documents_uploaded=3)
    oil = casts("qyzyljar-oil")
    with clock.story(days_ago=34):  # waiting for its completeness check for weeks: overdue
        submitted(oil, oil.sites["petropavl-oil"], "oilseeds", (Line("soybeans", 12000),))


def under_review(casts) -> None:
    """Barley with four documents accepted so far. (The honey renewal under review, of a
    registration, is played with the registrations: demo.listing.)"""
    kostanay = casts("kostanay-astyk")
    with clock.story(days_ago=26):
        application = submitted(kostanay, kostanay.sites["zhitikara"], "edible_grains",
                                (Line("barley", 25000), Line("wheat", 40000)))
        start_review(kostanay, application, accept=4)


def _returned(oil) -> None:
    linseed = submitted(oil, oil.sites["petropavl-oil"], "oilseeds", (Line("linseed", 30000),))
    clock.wait("check")
    review.start_review(oil.inspector, linseed)
    for document in review.reviewable_documents(linseed):
        rejected = document.document_type_code == "haccp"
        review.review_document(
            oil.inspector, linseed, document.id, "rejected" if rejected else "accepted",
            "Сертификат HACCP выдан на Мамлютский завод, а не на Петропавловский."
            if rejected else "")
    clock.wait("review")
    review.return_for_corrections(
        oil.inspector, linseed,
        "Загрузите сертификат HACCP Петропавловского маслозавода.\n"
        "На технологической схеме нет линии очистки семян, добавьте её.",
        review.default_response_deadline())


def returned_rejected_withdrawn(casts) -> None:
    """Linseed returned with deficiencies (HACCP rejected); sunflower seed rejected (no protocol);
    a wheat application withdrawn by its exporter."""
    oil = casts("qyzyljar-oil")
    with clock.story(days_ago=30):
        _returned(oil)
    with clock.story(days_ago=290):
        sunflower = submitted(oil, oil.sites["mamlyutka"], "oilseeds",
                              (Line("sunflower_seed", 15000),))
        clock.wait("check")
        review.start_review(oil.inspector, sunflower)
        clock.wait("review")
        review.reject_application(
            oil.inspector, sunflower,
            "Семена подсолнечника не входят в фитосанитарный протокол с КНР; "
            "ГТУ КНР не регистрирует предприятия по этому продукту.")
    atbasar = casts("atbasar-astyq")
    with clock.story(days_ago=180):
        wheat = submitted(atbasar, atbasar.sites["esil"], "edible_grains",
                          (Line("wheat", 9000),))
        clock.wait("check")
        applications.withdraw_application(atbasar.exporter, wheat,
                                          "Подадим заявку снова после реконструкции элеватора.")


def inspection_scheduled(casts) -> None:
    """A video inspection of an alfalfa farm and an on-site one of a dairy farm, both ahead."""
    feed = casts("astana-zhem")
    with clock.story(days_ago=21):
        hay = submitted(feed, feed.sites["akkol-hay"], "feed", (Line("alfalfa_hay", 6000),))
        start_review(feed, hay)
        schedule(feed, hay, mode="video", working_days=4)
    dairy = casts("alatau-sut")
    with clock.story(days_ago=28):
        cheese = submitted(dairy, dairy.sites["esik"], "dairy",
                           (Line("cheese", 800), Line("butter", 400)))
        start_review(dairy, cheese)
        schedule(dairy, cheese, mode="on_site", working_days=6)


def inspected_and_corrective(casts) -> None:
    """Wheat inspected with a major and a minor finding; wheat bran in corrective actions, with
    evidence uploaded for one finding and awaited for the other."""
    esil = casts("esil-grain")
    with clock.story(days_ago=40):
        wheat = draft(esil.exporter, esil.sites["bulayevo"], "edible_grains",
                      (Line("wheat", 60000),))
        to_inspected(esil, wheat, findings=(STORAGE_FINDING, LABEL_FINDING), answers_no={
            "storage_conditions": "Нет записей температуры по силосу № 4 за октябрь."},
            summary="Выездная проверка элеватора; выявлены два несоответствия.",
            summary_en="On-site inspection of the elevator; two nonconformities found.")
    feed = casts("astana-zhem")
    with clock.story(days_ago=55):
        bran = draft(feed.exporter, feed.sites["astana-feed"], "feed",
                     (Line("wheat_bran", 20000),))
        clock.wait("prepare")
        applications.submit_application(feed.exporter, bran)
        start_review(feed, bran)
        findings = inspect(feed, bran, findings=(PEST_FINDING, DUST_FINDING), answers_no={
            "pest_control": "Приманочные станции не проверялись с августа."})
        corrective_actions_due(feed, bran, findings, (
            ("Заключить договор с лицензированной дезинсекционной организацией и хранить её "
             "ежемесячные отчёты.",
             "Contract a licensed pest control company and keep its monthly reports."),
            ("Очистить линию фасовки и внести её в еженедельный график уборки.",
             "Clean the packing line and add it to the weekly cleaning schedule.")))
        upload_evidence(feed, bran, findings[1], "тазалау-кестесі",  # its exporter writes Kazakh
                        "Өндіріс меңгерушісі қол қойған апта сайынғы тазалау кестесі.")


def _negative(atbasar) -> None:
    wheat = draft(atbasar.exporter, atbasar.sites["atbasar"], "edible_grains",
                  (Line("wheat", 50000),))
    to_inspected(atbasar, wheat)
    samples = take_samples(atbasar, wheat)
    record_results(atbasar, wheat, samples, measured={
        "deoxynivalenol (DON)": {"value": Decimal("1200"), "unit": "µg/kg"}})
    clock.wait("conclusion")
    conclusions.conclude_negative(
        atbasar.inspector, wheat,
        f"В пробе {samples[0].code} дезоксиниваленол (ДОН) 1200 мкг/кг при допустимом уровне "
        "КНР 1000 мкг/кг (GB 2761); зерно элеватора не соответствует требованиям КНР.")


def laboratory_stages(casts) -> None:
    """Wheat and beef samples at the laboratory (some results in); chilled beef whose results
    have expired; wheat with DON above the limit, concluded negatively."""
    kostanay = casts("kostanay-astyk")
    with clock.story(days_ago=62):
        wheat = draft(kostanay.exporter, kostanay.sites["rudny"], "edible_grains",
                      (Line("wheat", 35000),))
        to_inspected(kostanay, wheat)
        # sent to the accredited laboratory, whose account posts the rest of the results
        record_results(kostanay, wheat, take_samples(kostanay, wheat, GRAIN_LAB), count=2)
    semey = casts("semey-beef")
    with clock.story(days_ago=45):
        beef = draft(semey.exporter, semey.sites["semey"], "meat", (Line("beef_frozen", 3000),))
        to_inspected(semey, beef)
        take_samples(semey, beef)  # waiting at the laboratory, whose account posts the results
    # Chilled beef: results valid 30 days, recorded about two months ago and never concluded on;
    # they have expired, and the positive conclusion waits for new samples.
    with clock.story(days_ago=120):
        chilled = draft(semey.exporter, semey.sites["semey"], "meat",
                        (Line("beef_chilled", 800),))
        to_inspected(semey, chilled)
        record_results(semey, chilled, take_samples(semey, chilled), valid_days=30)
    with clock.story(days_ago=240):
        _negative(casts("atbasar-astyq"))


def build(casts) -> None:
    """Every stage up to laboratory testing; `casts(company_key)` gives a Cast with sites."""
    draft_and_submitted(casts)
    under_review(casts)
    returned_rejected_withdrawn(casts)
    inspection_scheduled(casts)
    inspected_and_corrective(casts)
    laboratory_stages(casts)

