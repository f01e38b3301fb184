"""Demo applications stopped at each stage before the conclusion: draft to laboratory testing."""

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

STORAGE_FINDING = (
    "major", "Storage conditions: clean, dry, moisture and temperature recorded",
    "Silo 4 had no temperature records for 12 days in October; grain moisture was not "
    "measured at intake.", "GACC Decree 248, Art. 7; phytosanitary protocol 2015, Art. 5")
LABEL_FINDING = (
    "minor", "Traceability demonstrated from a lot back to its supplier",
    "Two intake tickets did not show the supplying farm's BIN.",
    "GACC Decree 248, Art. 7(4)")
PEST_FINDING = (
    "major", "Pest control programme in place and monitored",
    "Bait stations in the bran store were not inspected since August; no contractor report.",
    "Feed protocol 2017, Art. 4")
DUST_FINDING = (
    "minor", "Storage conditions: clean, dry, moisture and temperature recorded",
    "Flour dust accumulated on the bagging line's cable trays.", "GB 13078 hygiene annex")


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
    """Barley with four documents accepted so far; honey with every document accepted."""
    kostanay = casts("kostanay-astyk")
    with clock.story(days_ago=26):
        application = submitted(kostanay, kostanay.sites["zhitikara"], "edible_grains",
                                (Line("barley", 25000), Line("wheat", 40000)))
        start_review(kostanay, application, accept=4)
    altai = casts("altai-bal")
    with clock.story(days_ago=12):
        application = submitted(altai, altai.sites["ridder"], "bee_products",
                                (Line("honey", 120),))
        start_review(altai, application)


def _returned(oil) -> None:
    linseed = submitted(oil, oil.sites["petropavl-oil"], "oilseeds", (Line("linseed", 30000),))
    clock.wait("check")
    review.start_review(oil.inspector, linseed)
    for document in review.reviewable_documents(linseed):
        rejected = document.document_type_code == "haccp"
        review.review_document(
            oil.inspector, linseed, document.id, "rejected" if rejected else "accepted",
            "This HACCP certificate covers the Mamlyutka plant, not the Petropavl plant."
            if rejected else "")
    clock.wait("review")
    review.return_for_corrections(
        oil.inspector, linseed,
        "Upload the HACCP certificate of the Petropavl oilseed plant.\n"
        "The process flow diagram does not show the seed cleaning line; add it.",
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
            "Sunflower seed is not covered by a phytosanitary protocol with China; "
            "GACC does not register establishments for it.")
    atbasar = casts("atbasar-astyq")
    with clock.story(days_ago=180):
        wheat = submitted(atbasar, atbasar.sites["esil"], "edible_grains",
                          (Line("wheat", 9000),))
        clock.wait("check")
        applications.withdraw_application(atbasar.exporter, wheat,
                                          "We will apply again after the elevator's renovation.")


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
            "storage_conditions": "No temperature records for silo 4 in October."},
            summary="On-site inspection of the elevator; two findings recorded.")
    feed = casts("astana-zhem")
    with clock.story(days_ago=55):
        bran = draft(feed.exporter, feed.sites["astana-feed"], "feed",
                     (Line("wheat_bran", 20000),))
        clock.wait("prepare")
        applications.submit_application(feed.exporter, bran)
        start_review(feed, bran)
        findings = inspect(feed, bran, findings=(PEST_FINDING, DUST_FINDING), answers_no={
            "pest_control": "Bait stations not inspected since August."})
        corrective_actions_due(feed, bran, findings, (
            "Contract a licensed pest control company and keep its monthly reports.",
            "Clean the bagging line and add it to the weekly cleaning plan."))
        upload_evidence(feed, bran, findings[1], "cleaning-plan",
                        "Weekly cleaning plan signed by the production manager.")


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
        f"Deoxynivalenol (DON) 1200 µg/kg in sample {samples[0].code} exceeds China's limit "
        "of 1000 µg/kg (GB 2761). The lot may not be exported to China.")


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
        take_samples(semey, beef)
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

