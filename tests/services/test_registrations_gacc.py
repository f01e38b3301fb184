"""GACC's side in the service: recommendation of several applications at once, batches, and the
registration GACC grants - its validity, its regime, and the extension a renewal brings."""

from datetime import date, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from certtrack.domain.calendar import add_years
from certtrack.domain.workflow import IllegalTransition
from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEvent,
    CorrectionRequest,
    GaccBatch,
    Notification,
    Registration,
    User,
)
from certtrack.services import (
    applications,
    audit,
    certificates,
    gacc,
    gacc_answers,
    registrar_queues,
    registrations,
)
from certtrack.services.applications import local_today
from certtrack.services.errors import NotFound, PermissionDenied, ValidationFailed
from certtrack.services.inputs import (
    ApplicationInput,
    BatchInput,
    GaccReturnInput,
    ProductInput,
    RegistrationInput,
)

from factories import (
    make_registration,
    make_submitted_application,
    make_user,
    move_to_state,
    recommended_on,
)


@pytest.fixture
def registrar(ctx):
    return make_user("registrar", "registrar@example.kz")


def _positive(n: int) -> list[Application]:
    found = []
    for i in range(n):
        _exporter, application = make_submitted_application(name=f"Exporter {i}", submit=False)
        found.append(move_to_state(application, "conclusion_positive"))
    return found


def _states(applications) -> list[str]:
    db.session.expire_all()
    return [db.session.get(Application, a.id).state for a in applications]


def _audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_several_applications_are_recommended_and_batched_together(registrar):
    chosen = _positive(3)
    gacc.recommend(registrar, [a.id for a in chosen], "Inspected in June")
    assert _states(chosen) == ["recommended"] * 3
    recommended_on(date(2026, 6, 30), [a.id for a in chosen])
    batch = gacc.submit_batch(registrar, BatchInput.from_mapping({"reference": "KZ-GACC-2026-014",
                                          "submitted_on": date(2026, 7, 1),
                                          "application_ids": [a.id for a in chosen[:2]]}))
    assert _states(chosen) == ["submitted_to_gacc", "submitted_to_gacc", "recommended"]
    assert {a.gacc_batch_id for a in db.session.scalars(select(Application).where(
        Application.state == "submitted_to_gacc"))} == {batch.id}
    queue, _page = registrar_queues.overview(registrar)
    assert (queue["to_recommend"]["count"], queue["to_batch"]["count"],
            queue["awaiting_gacc"]["count"]) == (0, 1, 2)


def test_one_application_no_longer_eligible_stops_the_whole_recommendation(registrar):
    chosen = _positive(3)
    move_to_state(chosen[2], "recommended")
    before = _audit_count()
    with pytest.raises(IllegalTransition):
        gacc.recommend(registrar, [a.id for a in chosen])
    assert _states(chosen) == ["conclusion_positive", "conclusion_positive", "recommended"]
    assert _audit_count() == before


def test_batch_needs_reference_date_and_applications(registrar):
    with pytest.raises(ValidationFailed) as raised:
        gacc.submit_batch(
            registrar, BatchInput.from_mapping({"reference": " ", "submitted_on": local_today() +
                                      timedelta(days=1), "application_ids": []}))
    assert set(raised.value.errors) == {"reference", "submitted_on", "application_id"}
    assert db.session.scalar(select(GaccBatch)) is None


def test_only_registrars_recommend(registrar):
    chosen = _positive(1)
    with pytest.raises(PermissionDenied):
        gacc.recommend(make_user("inspector"), [chosen[0].id])


@pytest.mark.parametrize(("listing", "regime"), [
    (date(2026, 5, 31), "248"), (date(2026, 6, 1), "280"),
])
def test_regime_follows_the_listing_date(registrar, listing, regime):
    *_, registration = make_registration(registrar, listing)
    assert registration.regime == regime
    assert registration.valid_from == listing
    assert registration.valid_to == add_years(listing, 5) - timedelta(days=1)


def test_an_establishment_already_registered_for_the_category_is_refused(registrar):
    """The registrar's check behind the exporter's: a second new application started while
    the first was not yet registered reaches GACC, and its listing is refused."""
    exporter, application, registration = make_registration(registrar, date(2026, 7, 1))
    registration.status = "expired"  # as if not yet registered when the second was started
    db.session.commit()
    again = gacc_application_like(exporter, application)
    registration.status = "active"
    db.session.commit()
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, again, RegistrationInput.from_mapping({
            "china_number": "CKAZ99999999999999", "listing_date": date(2026, 7, 2),
            "route": "under_guarantee"}))
    assert registration.china_number in raised.value.message


def gacc_application_like(exporter, application) -> Application:
    """A second application for the same establishment and category, awaiting GACC."""
    from certtrack.services import applications

    second = applications.create_application(exporter, ApplicationInput.from_mapping({
        "kind": "new", "gacc_category_code": application.gacc_category_code,
        "establishment_id": application.establishment_id}))
    return move_to_state(second, "submitted_to_gacc")


def _renewal_awaiting_gacc(registrar):
    """A meat registration in its renewal window (meat is on GACC's Order 280 renewal list: its
    renewal still takes an application) and its renewal application, sent to GACC:
    (registration, renewal application)."""
    valid_from = add_years(local_today() + timedelta(days=120), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(registrar, valid_from,
                                                          category="meat", product="beef_chilled")
    draft = registrations.start_renewal(exporter, registration)
    return registration, move_to_state(draft, "submitted_to_gacc")


def test_registering_a_renewal_extends_the_registration_without_a_gap(registrar):
    """Recording a renewal overwrote the number, the listing date and the start with the day's:
    the old number left the register and a certificate issued that day printed a validity
    starting years later."""
    registration, draft = _renewal_awaiting_gacc(registrar)
    number, listed, valid_from, old_valid_to = (registration.china_number,
                                                registration.listing_date,
                                                registration.valid_from, registration.valid_to)
    gacc.record_registration(registrar, draft, RegistrationInput.from_mapping({
        "china_number": number, "listing_date": local_today(), "route": "under_guarantee"}))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    renewed = db.session.get(Registration, registration.id)
    assert (renewed.china_number, renewed.listing_date, renewed.valid_from) == (
        number, listed, valid_from)
    assert renewed.valid_to == add_years(old_valid_to, 5)
    assert db.session.get(Application, draft.id).state == "registered"
    [event] = [e for e in audit.registration_history(renewed)
               if e.action == "registration_renewed"]
    assert (event.data["previous_valid_to"], event.data["valid_to"]) == (
        old_valid_to.isoformat(), add_years(old_valid_to, 5).isoformat())
    certificate = certificates.issue_certificate(registrar, renewed)
    assert (certificate.data["valid_from"], certificate.data["valid_to"]) == (
        valid_from.isoformat(), add_years(old_valid_to, 5).isoformat())
    assert certificates.certificate_status(certificate) == "valid"


def test_a_renewal_gacc_decides_after_the_last_valid_day_puts_the_registration_back(registrar):
    """The registration expired while its renewal, applied for in the window, was with GACC
    (domain.renewal); GACC's renewal could then never be recorded: "no longer in force; it
    cannot be extended", the application stuck with GACC for good."""
    from certtrack.models.base import utcnow
    from certtrack.services.daily import run_daily

    registration, draft = _renewal_awaiting_gacc(registrar)
    draft.submitted_at = utcnow()  # in the window
    db.session.commit()
    old_valid_to = registration.valid_to
    run_daily(old_valid_to + timedelta(days=1))
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "expired"
    gacc.record_registration(registrar, draft, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    db.session.expire_all()
    renewed = db.session.get(Registration, registration.id)
    assert (renewed.status, renewed.valid_to) == ("active", add_years(old_valid_to, 5))
    assert db.session.get(Application, draft.id).state == "registered"


def test_a_renewal_submitted_after_the_last_valid_day_does_not_revive_it(registrar):
    from certtrack.models.base import utcnow
    from certtrack.services.daily import run_daily

    registration, draft = _renewal_awaiting_gacc(registrar)
    run_daily(registration.valid_to + timedelta(days=1))
    draft.submitted_at = utcnow() + timedelta(days=200)  # after it ended
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        gacc.record_registration(registrar, draft, RegistrationInput.from_mapping({
            "china_number": registration.china_number, "listing_date": local_today(),
            "route": "under_guarantee"}))
    assert "no longer in force" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "expired"


def test_a_renewal_first_submitted_in_time_and_resubmitted_late_still_revives_it(registrar):
    """Returned by the inspector and sent again after the last valid day, a renewal applied
    for in the window counted as applied for in the daily run (the registration expired, not
    cancelled) and as too late when GACC renewed it: "no longer in force"."""
    from certtrack.models.base import utcnow
    from certtrack.services.audit import record_event
    from certtrack.services.daily import run_daily

    registration, draft = _renewal_awaiting_gacc(registrar)
    exporter = db.session.get(User, draft.created_by_id)
    record_event(exporter, "submit", object_type="application", object_id=draft.id,
                 application_id=draft.id, from_state="draft", to_state="submitted")
    db.session.commit()  # its first submission, today: in the window
    run_daily(registration.valid_to + timedelta(days=1))
    draft.submitted_at = utcnow() + timedelta(days=200)  # sent again after it ended
    db.session.commit()
    gacc.record_registration(registrar, draft, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "active"


def _offers(registrar) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == registrar.id).order_by(Notification.id)))


def test_a_recorded_renewal_offers_the_registrars_a_new_certificate(registrar):
    """Only the automatic renewal told the registrars that the certificate of export
    eligibility still printed the old validity: after a renewal they record, a Chinese
    customs officer verifying it read "expired" while the registration was in force."""
    registration, draft = _renewal_awaiting_gacc(registrar)
    other = make_user("registrar")
    assert _offers(other) == []  # no certificate yet: nothing to replace
    certificates.issue_certificate(registrar, registration)
    gacc.record_registration(registrar, draft, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    [offer] = [text for text in _offers(other) if "issue a replacement" in text]
    assert offer.startswith(f"China registration {registration.china_number} was renewed "
                            f"until ") and f"(application {draft.reference})" in offer


def _barley_added(registrar, exporter, registration, copied=None) -> Application:
    """A change of `registration` adding barley, accepted by GACC and recorded; `copied`, when
    given, the product codes the change's draft is to start from."""
    from factories import QUESTIONNAIRE

    change = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "change", "establishment_id": registration.establishment_id}))
    if copied is not None:
        assert [line.product_code for line in change.products] == copied
    applications.add_product(exporter, change, ProductInput.from_mapping(
        {"product_code": "barley", "annual_volume": 5000, "volume_unit": "t"}))
    move_to_state(change, "submitted_to_gacc")
    gacc.record_registration(registrar, change, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    return change


def test_an_accepted_change_offers_the_registrars_a_new_certificate(registrar):
    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    certificates.issue_certificate(registrar, registration)
    change = _barley_added(registrar, exporter, registration)
    assert (f"China registration {registration.china_number} covers the products of change "
            f"{change.reference} now; its certificate of export eligibility still lists the "
            "earlier ones: issue a replacement.") in _offers(registrar)


def test_a_change_starts_from_the_registrations_products_and_keeps_them_once_accepted(
        registrar):
    """A change listing the added barley alone was accepted as the registration's whole list:
    wheat was dropped from its certificate and its consignments, while the register kept wheat
    alone."""
    from certtrack.services import register
    from certtrack.services.consignments import gate
    from certtrack.services.print_context import certificate_context

    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    _barley_added(registrar, exporter, registration, copied=["wheat"])  # the exporter edits
    db.session.expire_all()
    registration = db.session.get(Registration, registration.id)
    assert [p.code for p in gate.registration_products(registration)] == ["wheat", "barley"]
    context = certificate_context(registration, number="KZ-CN-2026-000001",
                                  verification_url="https://example.kz/v", issued_on=local_today(),
                                  officer={})
    assert [line["hs_code"] for line in context["products"]] == ["1001", "1003"]
    [row] = register.search_register(product="barley").items
    assert [line.hs_code for line in row.products] == ["1001", "1003"]


def test_a_renewal_keeps_the_registrations_number(registrar):
    registration, draft = _renewal_awaiting_gacc(registrar)
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, draft, RegistrationInput.from_mapping({
            "china_number": "CKAZ99999999999999", "listing_date": local_today(),
            "route": "under_guarantee"}))
    assert raised.value.errors["china_number"] == [
        f"A renewal keeps the registration's number: GACC extends {registration.china_number}, "
        "it does not list the establishment under a new one."]
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).china_number == \
        registration.china_number
    assert db.session.get(Application, draft.id).state == "submitted_to_gacc"


def test_gacc_cannot_list_an_establishment_before_the_application_was_sent(registrar):
    [application] = _positive(1)
    gacc.recommend(registrar, [application.id], "Inspected in June")
    recommended_on(date(2026, 6, 30), [application.id])
    gacc.submit_batch(registrar, BatchInput.from_mapping({
        "reference": "KZ-GACC-2026-020", "submitted_on": date(2026, 8, 24),
        "application_ids": [application.id]}))
    entries = {"china_number": "CKAZ11012026000099", "route": "under_guarantee"}
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, application, RegistrationInput.from_mapping(
            {**entries, "listing_date": date(2026, 1, 1)}))
    assert raised.value.errors["listing_date"] == [
        "GACC listed the establishment after receiving the application: not before "
        "Aug 24, 2026, the day it was sent."]
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    registration = gacc.record_registration(registrar, application, RegistrationInput.from_mapping(
        {**entries, "listing_date": date(2026, 8, 24)}))
    assert registration.valid_from == date(2026, 8, 24)


def _sent_on_24_august(registrar, reference: str) -> Application:
    """A positive application recommended on 30 June 2026 and sent to GACC on 24 August."""
    [application] = _positive(1)
    gacc.recommend(registrar, [application.id], "Inspected in June")
    recommended_on(date(2026, 6, 30), [application.id])
    gacc.submit_batch(registrar, BatchInput.from_mapping({
        "reference": reference, "submitted_on": date(2026, 8, 24),
        "application_ids": [application.id]}))
    return application


def test_a_registration_cannot_take_effect_before_its_application_was_sent(registrar):
    """A "valid from" before the batch's day was taken: valid before GACC had the application."""
    application = _sent_on_24_august(registrar, "KZ-GACC-2026-021")
    entries = {"china_number": "CKAZ11012026000098", "route": "under_guarantee",
               "listing_date": date(2026, 9, 1)}
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, application, RegistrationInput.from_mapping(
            {**entries, "valid_from": date(2026, 8, 23)}))
    assert raised.value.errors == {"valid_from": [
        "A registration cannot take effect before its application was sent to GACC: not before "
        "Aug 24, 2026, the day it was sent."]}
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    registration = gacc.record_registration(registrar, application, RegistrationInput.from_mapping(
        {**entries, "valid_from": date(2026, 8, 24)}))
    assert registration.valid_from == date(2026, 8, 24)


def test_a_registration_starting_after_today_is_not_recorded_nor_certified(registrar):
    """A start 400 days ahead was taken, and its certificate was issued and verified "valid"
    for a registration not yet in force."""
    application = _sent_on_24_august(registrar, "KZ-GACC-2026-022")
    entries = {"china_number": "CKAZ11012026000099", "route": "under_guarantee",
               "listing_date": date(2026, 9, 1)}
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, application, RegistrationInput.from_mapping(
            {**entries, "valid_from": local_today() + timedelta(days=400)}))
    assert raised.value.errors == {"valid_from": [
        "A registration is recorded once in force: its start cannot be after today. Leave it "
        "empty for the listing date."]}
    registration = gacc.record_registration(registrar, application,
                                            RegistrationInput.from_mapping(entries))
    registration.valid_from = local_today() + timedelta(days=3)  # as an older version took it
    db.session.commit()
    assert certificates.issue_refusal(registration).startswith(
        f"Registration {registration.china_number} is in force from ")


def test_an_application_goes_back_to_gacc_only_with_the_exporters_answer(registrar):
    """Sent back a minute after GACC's requests were recorded, with no answer, the requests were
    marked answered all the same."""
    exporter, application = make_submitted_application(name="Answering Exporter", submit=False)
    move_to_state(application, "submitted_to_gacc")
    request = gacc.record_gacc_return(registrar, application, GaccReturnInput.from_mapping({
        "requests": "Floor plan of the drying unit"}))
    with pytest.raises(ValidationFailed) as raised:
        gacc.resubmit_to_gacc(registrar, application)
    assert raised.value.message == ("The exporter has not answered GACC's requests yet: the "
                                    "application goes back to GACC with the exporter's answer.")
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "gacc_returned"
    assert db.session.get(CorrectionRequest, request.id).resolved_at is None
    stranger, _other = make_submitted_application(name="Another Exporter", submit=False)
    with pytest.raises(NotFound):
        gacc_answers.answer_gacc_requests(stranger, application, "Not mine to answer")
    with pytest.raises(ValidationFailed):
        gacc_answers.answer_gacc_requests(exporter, application, "  ")
    gacc_answers.answer_gacc_requests(exporter, application, "Floor plan uploaded, version 2")
    gacc.resubmit_to_gacc(registrar, db.session.get(Application, application.id))
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "submitted_to_gacc"
    answered = db.session.get(CorrectionRequest, request.id)
    assert answered.resolved_at is not None
    assert answered.response == "Floor plan uploaded, version 2"


def test_a_batch_losing_the_race_to_another_tabs_names_what_that_batch_took(registrar,
                                                                             monkeypatch):
    """Sent while the other tab's batch was being recorded (past the checks before it), the
    batch refused at the transition says which applications went, in which batch, and by
    whom, and records nothing."""
    chosen = _positive(2)
    ids = [a.id for a in chosen]
    gacc.recommend(registrar, ids)
    recommended_on(date(2026, 6, 30), ids)
    colleague = make_user("registrar", "colleague@example.kz", full_name="Aigerim Registrar")
    gacc.submit_batch(colleague, BatchInput.from_mapping({
        "reference": "KZ-GACC-2026-014", "submitted_on": date(2026, 7, 1),
        "application_ids": ids[:1]}))
    monkeypatch.setattr(gacc, "batch_errors", lambda _actor, _data: {})  # checked before
    with pytest.raises(ValidationFailed) as raised:
        gacc.submit_batch(registrar, BatchInput.from_mapping({
            "reference": "KZ-GACC-2026-015", "submitted_on": date(2026, 7, 2),
            "application_ids": ids}))
    [said] = raised.value.errors["application_id"]
    assert said.startswith(f"Already sent to GACC: {chosen[0].reference}, in batch "
                           "KZ-GACC-2026-014, by Aigerim Registrar at ")
    assert _states(chosen) == ["submitted_to_gacc", "recommended"]
    assert db.session.scalar(select(func.count(GaccBatch.id))) == 1


def test_gaccs_requests_are_told_as_one_sentence(registrar):
    """Each request ended with its own full stop, so the notice read "2026 год.; Перевести"."""
    exporter, application = make_submitted_application(name="Listing Exporter", submit=False)
    move_to_state(application, "submitted_to_gacc")
    gacc.record_gacc_return(registrar, application, GaccReturnInput.from_mapping({
        "requests": "Residue plan for 2026.\nTranslate the HACCP plan into Chinese."}))
    db.session.commit()
    message = db.session.scalars(select(Notification.message).where(
        Notification.user_id == exporter.id, Notification.kind == "gacc_returned")).one()
    assert message == (f"GACC asks for corrections to application {application.reference}: "
                       "Residue plan for 2026; Translate the HACCP plan into Chinese")


def test_a_new_listing_after_a_missed_window_says_to_cancel_the_old_registration(registrar):
    """Its window closed unrenewed, the enterprise applied anew and GACC listed it: the
    registrar was told to "record a renewal instead", which could no longer be started."""
    from factories import QUESTIONNAIRE

    valid_from = add_years(local_today() + timedelta(days=60), -5) + timedelta(days=1)
    exporter, _original, registration = make_registration(
        registrar, valid_from, category="meat", product="beef_chilled")
    application = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "new", "establishment_id": registration.establishment_id,
         "gacc_category_code": "meat"}))
    move_to_state(application, "submitted_to_gacc")
    entries = RegistrationInput.from_mapping({
        "china_number": "CKAZ18PP1802010999", "listing_date": local_today(),
        "route": "under_guarantee"})
    with pytest.raises(ValidationFailed) as refused:
        gacc.record_registration(registrar, application, entries)
    assert refused.value.errors[""] == [
        f"This establishment is still registered for this category under "
        f"{registration.china_number} until {format_date(registration.valid_to)}, and that "
        "registration can no longer be renewed: cancel it on its page (the enterprise "
        "re-registered), then record this listing."]
