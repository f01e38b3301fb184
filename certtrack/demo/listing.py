"""Demo applications from the conclusion to GACC's decision, and registrations in each status.

The registrar records GACC's letters in Russian and writes the committee's own reasons in Kazakh.
"""

from datetime import date, timedelta

from certtrack.demo import clock, consignments
from certtrack.demo.journey import Cast, Line, draft, renewal, start_review, to_positive
from certtrack.domain.calendar import add_months
from certtrack.models import Application, Registration
from certtrack.services import certificates, daily, gacc, registrations, status_changes
from certtrack.services.applications import local_today, submit_application

BATCH_LEAD = timedelta(days=60)  # a request reaches GACC about two months before the listing
RENEWAL_DAYS_AGO = 25  # the Ridder honey house applies for renewal, inside its window
ONE_DAY = timedelta(days=1)


def _batch(cast: Cast, applications: list[Application], submitted_on: date) -> None:
    gacc.submit_batch(cast.registrar, gacc.BatchInput.from_mapping({
        "reference": f"MSH-GACC-{submitted_on:%Y%m%d}-{applications[0].id:04d}",
        "submitted_on": submitted_on, "application_ids": [a.id for a in applications]}))


def _gacc_decisions(chosen: list[tuple[Cast, Application]], today: date) -> None:
    """Recommend the chosen four, send three to GACC; GACC returns one and refuses another."""
    registrar = chosen[0][0].registrar
    apps = [application for _cast, application in chosen]
    gacc.recommend(registrar, [a.id for a in apps])
    clock.move_to(today - timedelta(days=105))
    _batch(chosen[0][0], apps[1:], local_today())
    # GACC's requests, 45 days ago with 30 days to answer: the answer is overdue.
    clock.move_to(today - timedelta(days=45))
    gacc.record_gacc_return(registrar, apps[2], gacc.GaccReturnInput.from_mapping({
        "requests": "Представить план мониторинга остатков в сыром молоке на 2026 год.\n"
                    "Перевести план HACCP распылительной сушилки на китайский язык.",
        "response_deadline": local_today() + timedelta(days=30)}))
    clock.move_to(today - timedelta(days=10))
    gacc.record_gacc_refusal(registrar, apps[3], gacc.GaccRefusalInput.from_mapping({
        "reasons": "По итогам видеоинспекции ГТУ КНР: в убойном цехе не разделены чистая и "
                   "грязная зоны; предприятие в реестр не включено."}))


def gacc_stages(casts) -> None:
    """Positive conclusion, recommended, and a GACC batch of three: one awaiting GACC, one
    returned with GACC's requests, one refused."""
    today = local_today()
    flour = casts("kokshetau-un")
    with clock.story(days_ago=66):  # its seven stages end before the present
        to_positive(flour, draft(flour.exporter, flour.sites["kokshetau"], "milled_grain",
                                 (Line("wheat_flour", 24000),)))
    feed, dairy, meat = casts("astana-zhem"), casts("alatau-sut"), casts("taraz-et")
    chosen = []
    for days_ago, cast, site, category, line in (
            (250, feed, "astana-feed", "feed", Line("rapeseed_meal", 40000)),
            (235, flour, "shchuchinsk", "milled_grain", Line("wheat_flour", 15000)),
            (260, dairy, "talgar", "dairy", Line("milk_powder", 2500)),
            (245, meat, "shu", "meat", Line("mutton", 1800))):
        with clock.story(days_ago=days_ago):
            application = draft(cast.exporter, cast.sites[site], category, (line,))
            to_positive(cast, application)
            chosen.append((cast, application))
    with clock.story(days_ago=160):
        _gacc_decisions(chosen, today)


def _registered(cast: Cast, site: str, category: str, line: Line, listing_date: date,
                route: str = "under_guarantee") -> Registration:
    """An application taken all the way to a registration listed on `listing_date`: its story
    starts about five months before the listing, so that each step comes after the one before
    (an application listed years ago was made years ago)."""
    days_ago = (local_today() - listing_date).days + BATCH_LEAD.days + 90
    with clock.story(days_ago=days_ago):
        application = draft(cast.exporter, cast.sites[site], category, (line,))
        to_positive(cast, application)
        clock.wait("recommendation")
        gacc.recommend(cast.registrar, [application.id])
        sent_on = max(listing_date - BATCH_LEAD, local_today())  # never before the recommendation
        clock.move_to(sent_on)
        _batch(cast, [application], sent_on)
        clock.move_to(listing_date)
        hs_code = application.products[0].product.hs_code[:4]
        return gacc.record_registration(
            cast.registrar, application, gacc.RegistrationInput.from_mapping({
            "china_number": f"CKAZ{hs_code}{listing_date:%Y}{application.id:06d}",
            "listing_date": listing_date, "route": route}))


def _certificate(registrar, registration: Registration, days_ago: int) -> None:
    with clock.story(days_ago=days_ago):
        certificates.issue_certificate(registrar, registration)


def _suspend(cast: Cast, registration: Registration, waiting, today: date) -> None:
    """GACC suspends the meat registration 20 days ago, until 25 days from today (the
    registrar's dashboard names it among the suspensions ending); the waiting consignment is
    refused."""
    with clock.story(days_ago=20):
        status_changes.change_status(cast.registrar, registration, "suspend",
                                    status_changes.StatusChangeInput.from_mapping({
            "authority": "gacc", "suspended_from": local_today(),
            "suspended_until": today + timedelta(days=25),
            "reason": "Қорғаста тексерілген "
                      "партияда окситетрациклин шекті деңгейден асқан; тексеру аяқталғанша "
                      "экспорт тоқтатылды."}))
        clock.wait("consignment")
        consignments.refuse_after_suspension(cast, waiting)


def _listings(casts, today: date) -> dict[str, Registration]:
    """The registrations of `registered`, by status story, each listed on its day."""
    kostanay, esil, altai = casts("kostanay-astyk"), casts("esil-grain"), casts("altai-bal")
    taraz, atbasar, semey = casts("taraz-et"), casts("atbasar-astyq"), casts("semey-beef")
    return {
        "active": _registered(kostanay, "kostanay", "edible_grains", Line("wheat", 80000),
                              today - timedelta(days=150), route="after_gacc_inspection"),
        "active_honey": _registered(altai, "katonkaragay", "bee_products", Line("honey", 200),
                                    today - timedelta(days=75)),
        # Listed 56 months ago under Decree 248, ends in 4 months under Order 280: bee products
        # are on GACC's renewal list, so the window (12 to 3 months before) is open.
        "renewal_window": _registered(altai, "ridder", "bee_products", Line("honey", 150),
                                      add_months(today, -56)),
        # Listed 54 months ago, meat on the list: the window opened 6 months ago and its
        # exporter has not applied yet, so the registrations page offers the renewal.
        "renewal_not_begun": _registered(semey, "ayagoz", "meat", Line("beef_frozen", 2500),
                                         add_months(today, -54)),
        # Listed 56 months ago too, but edible grains are off the list: renewed automatically.
        "automatic": _registered(esil, "petropavl", "edible_grains", Line("wheat", 120000),
                                 add_months(today, -56)),
        "suspended": _registered(taraz, "taraz", "meat", Line("mutton", 2400),
                                 add_months(today, -16)),
        # Its five years ended before Order 280 took effect (2026-06-01), so Decree 248 applied
        # and the daily job expires it. (Edible grains ending later renew automatically.)
        "expired": _registered(atbasar, "atbasar", "edible_grains", Line("wheat", 45000),
                               min(add_months(today, -61), date(2021, 5, 1))),
    }


def registered(casts) -> dict[str, Registration]:
    """Registrations: active (Order 280 and 248), two in their renewal window (one's renewal
    under review, the other's not begun), one renewed automatically at its end, one suspended
    until a date ahead, and one expired by the daily job; returned by status story. The daily
    job runs on the past nights it had work, as the worker ran it then, then today."""
    today = local_today()
    kostanay, altai = casts("kostanay-astyk"), casts("altai-bal")
    taraz, atbasar = casts("taraz-et"), casts("atbasar-astyq")
    made = _listings(casts, today)
    # Certificates, so that the public register and the verification page have something to
    # show: the suspended one answers "suspended" when verified, the expired registration's
    # (issued two months before its end) "expired".
    # Issued in the order of their days, so that their numbers follow the calendar.
    before_end = _days_before_end(made["expired"], today)
    for days_ago, cast, registration in sorted([
            (before_end, atbasar, made["expired"]), (200, taraz, made["suspended"]),
            (140, kostanay, made["active"])], key=lambda issue: -issue[0]):
        _certificate(cast.registrar, registration, days_ago=days_ago)
    _replaced_and_revoked(altai, made["active_honey"])
    consignments.grain(kostanay, made["active"])
    _change_awaiting_gacc(kostanay, today)
    waiting = consignments.meat_before_suspension(taraz, made["suspended"])
    _suspend(taraz, made["suspended"], waiting, today)
    _renewal_and_nights(altai, made, today)
    return made


def _change_awaiting_gacc(cast: Cast, today: date) -> None:
    """Kostanay's wheat registration, listed 150 days ago: its exporter applies to add barley
    to it (a change), the change is inspected and recommended, and sent to GACC 12 days ago,
    whose decision it awaits."""
    with clock.story(days_ago=110):
        application = draft(cast.exporter, cast.sites["kostanay"], "edible_grains",
                            (Line("barley", 30000),), kind="change")
        to_positive(cast, application)
        clock.wait("recommendation")
        gacc.recommend(cast.registrar, [application.id])
        clock.move_to(max(today - timedelta(days=12), local_today()))
        _batch(cast, [application], local_today())


def _days_before_end(registration: Registration, today: date) -> int:
    """How many days ago the expired registration's certificate is issued: two months before
    its end, but not before certtrack recorded it (its 2021 listing predates certtrack, which
    recorded it in its first months), and before its last valid day."""
    recorded = registration.created_at.astimezone(clock.zone()).date() + timedelta(days=1)
    day = min(max(registration.valid_to - timedelta(days=60), recorded),
              registration.valid_to - timedelta(days=1))
    return (today - day).days


def _replaced_and_revoked(cast: Cast, registration: Registration) -> None:
    """The honey registration's first certificate replaced (its product list was wrong), and
    the replacement revoked for a certificate issued by mistake: /verify answers 'replaced'
    and 'revoked' for them, and the registration has no certificate in force."""
    with clock.story(days_ago=60):
        first = certificates.issue_certificate(cast.registrar, registration)
        clock.wait("consignment")
        second = certificates.issue_certificate(
            cast.registrar, registration, replaces=first,
            reason="Сертификатта өтінімде жоқ ұялы бал көрсетілген.")
        clock.wait("consignment")
        certificates.revoke_certificate(
            cast.registrar, second, "Кәсіпорынның жаңа мекенжайы ҚХР Кеден бас "
                                    "басқармасында тіркелгенге дейін қателесіп берілді; "
                                    "жаңа сертификат басқарма растағаннан кейін беріледі.")


def _renewal_under_review(cast: Cast, registration: Registration) -> None:
    """The Ridder honey house, listed 56 months ago, applies to renew its registration inside
    the window; the veterinary inspector checks the documents."""
    with clock.story(days_ago=RENEWAL_DAYS_AGO):
        application = renewal(cast.exporter, registration)
        clock.wait("prepare")
        submit_application(cast.exporter, application)
        start_review(cast, application)


def _nights_with_work(made: dict[str, Registration], last: date) -> list[date]:
    """The nights up to `last` on which the daily job has work with the demo's registrations,
    as their renewal rule gives them: each reminder day of a renewal window, the day after the
    last valid day, the day after a suspension ends. (On the other nights it would only sign
    the audit chain's head: hundreds of signatures, seconds of seeding, for nothing to see.)"""
    days = set()
    for registration in made.values():
        days.update(registrations.renewal(registration, last).reminders)
        days.add(registration.valid_to + ONE_DAY)
        if registration.suspended_until is not None:
            days.add(registration.suspended_until + ONE_DAY)
    return sorted(day for day in days if day <= last)


def _daily_runs(nights: list[date]) -> None:
    """Run the daily job early on each of `nights`, as the worker ran it then."""
    for day in nights:
        with clock.night_of(day):
            daily.run_daily(day)


def _renewal_and_nights(altai: Cast, made: dict[str, Registration], today: date) -> None:
    """The daily job on the past nights it had work (a window's reminders on their days, an
    expiry on the day after the last valid day), the honey renewal in its place among them (the
    reminders stop once it is begun), then today's run."""
    nights = _nights_with_work(made, today - ONE_DAY)
    started = clock.first_day(RENEWAL_DAYS_AGO)
    _daily_runs([day for day in nights if day <= started])
    _renewal_under_review(altai, made["renewal_window"])
    _daily_runs([day for day in nights if day > started])
    daily.run_daily(today)


def build(casts) -> dict[str, Registration]:
    """The GACC stages and the registrations; `casts(company_key)` gives a Cast with sites."""
    gacc_stages(casts)
    return registered(casts)
