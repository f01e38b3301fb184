"""A change of a registration China holds (domain.md §3, kind "change"): once GACC accepts it,
the registrar records it, the registration keeps its number and validity and covers the
change's products from then on. Before, a change could be filed, inspected and sent to GACC,
and its registration could not be recorded: "already registered for this category"."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application, Notification, Registration
from certtrack.services import applications, gacc, registrations
from certtrack.services.applications import local_today
from certtrack.services.consignments.drafts import registration_products
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import ApplicationInput, ProductInput, RegistrationInput

from factories import QUESTIONNAIRE, make_registration, make_user
from forms import login, post


def _change_draft():
    """A wheat registration listed 400 days ago and a draft changing it:
    (registrar, exporter, registration, change)."""
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(
        registrar, local_today() - timedelta(days=400))
    change = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "change", "establishment_id": registration.establishment_id,
         "gacc_category_code": registration.gacc_category_code}))
    return registrar, exporter, registration, change


def _change_awaiting_gacc():
    """The draft of _change_draft() adding barley to the wheat it starts from, sent to GACC."""
    registrar, exporter, registration, change = _change_draft()
    applications.add_product(exporter, change, ProductInput.from_mapping(
        {"product_code": "barley", "annual_volume": 5000, "volume_unit": "t"}))
    change.state = "submitted_to_gacc"
    db.session.commit()
    return registrar, exporter, registration, change


def test_the_registrar_records_gaccs_acceptance_of_a_change(ctx, client):
    registrar, exporter, registration, change = _change_awaiting_gacc()
    number, valid = registration.china_number, (registration.valid_from, registration.valid_to)
    assert [p.code for p in registration_products(registration)] == ["wheat"]

    registration.route = "after_gacc_inspection"  # not the form's first choice
    db.session.commit()
    login(client, registrar.email)
    address = f"/registrar/applications/{change.id}/registration"
    page = client.get(address).get_data(as_text=True)
    assert f"This application changes China registration {number}" in page
    assert f'value="{number}"' in page  # the number it keeps, filled in
    # neither a start to give (the validity is kept) nor another route than the registration's
    assert 'name="valid_from"' not in page and "valid for 5 years" not in page
    assert re.search(rf'<option selected value="{registration.route}"|<option value="'
                     rf'{registration.route}" selected', page)
    recorded = post(client, address, {"confirm": "y", "china_number": number,
                                      "listing_date": local_today().isoformat(),
                                      "route": "after_gacc_inspection"})
    assert recorded.status_code == 302

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    kept = db.session.get(Registration, registration.id)
    assert (kept.china_number, (kept.valid_from, kept.valid_to)) == (number, valid)
    done = db.session.get(Application, change.id)
    assert (done.state, done.change_of_id) == ("registered", registration.id)
    assert [p.code for p in registration_products(kept)] == ["wheat", "barley"]
    told = db.session.scalars(select(Notification.message).where(
        Notification.user_id == exporter.id, Notification.kind == "registered")
        .order_by(Notification.id)).all()
    assert told[-1].startswith(
        f"GACC accepted the change of application {change.reference}: registration {number}")

    staff = client.get(f"/registrar/applications/{change.id}").get_data(as_text=True)
    assert f"<dt>Changes</dt><dd><code>{number}</code>" in staff
    # the registration's page says what it covers now (it listed no product)
    page = client.get(f"/registrar/registrations/{registration.id}").get_data(as_text=True)
    covered = page.split('id="covered-products">')[1].split("</dd>")[0]
    assert "Wheat (HS 1001)" in covered and "Barley (HS 1003)" in covered


def test_a_change_keeps_the_registrations_number_and_validity(ctx):
    registrar, _exporter, registration, change = _change_awaiting_gacc()
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, change, RegistrationInput.from_mapping({
            "china_number": "CKAZ99999999999999", "listing_date": local_today(),
            "valid_from": local_today(), "route": "under_guarantee"}))
    assert raised.value.errors["china_number"] == [
        f"A change keeps the registration's number: GACC amends {registration.china_number}, "
        "it does not list the establishment under a new one."]
    assert raised.value.errors["valid_from"][0].startswith(
        "A change keeps the registration's validity")
    db.session.expire_all()
    assert db.session.get(Application, change.id).state == "submitted_to_gacc"


def test_a_change_of_a_registration_no_longer_in_force_is_not_recorded(ctx):
    registrar, _exporter, registration, change = _change_awaiting_gacc()
    registration.status = "revoked"
    db.session.commit()
    assert registrations.registration_of(change) is None
    with pytest.raises(ValidationFailed) as raised:
        gacc.record_registration(registrar, change, RegistrationInput.from_mapping({
            "china_number": registration.china_number, "listing_date": local_today(),
            "route": "under_guarantee"}))
    assert raised.value.errors[""] == [
        "The registration this application changes is no longer in force; GACC's acceptance "
        "of the change cannot be recorded."]


def test_a_change_draft_names_the_registration_it_changes(ctx, client):
    """The exporter's draft of a change said "Kind: Change" and nothing of which registration:
    only the registrar's page named it, from the GACC stage on."""
    _registrar, exporter, registration, change = _change_draft()
    login(client, exporter.email)
    page = client.get(f"/exporter/applications/{change.id}").get_data(as_text=True)
    shown = page.split('id="changes-registration">')[1].split("</dd>")[0]
    assert f"<code>{registration.china_number}</code>" in shown and "valid until" in shown
    assert "it starts with those the registration covers now" in page


def test_a_renewal_after_an_accepted_change_renews_the_changed_products(ctx):
    """The renewal's draft copied the original application's products: renewing a meat
    registration whose change had added frozen beef dropped it (and a product the change
    removed would have come back)."""
    registrar = make_user("registrar")
    exporter, _original, registration = make_registration(  # its renewal window is open
        registrar, local_today() + timedelta(days=170) - timedelta(days=5 * 365 + 1),
        category="meat", product="beef_chilled")
    change = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "change", "establishment_id": registration.establishment_id,
         "gacc_category_code": "meat", "staff_count": 240}))
    [chilled] = change.products  # it starts from the registration's; the change replaces it
    applications.remove_product(exporter, change, chilled.id)
    for code, volume in (("beef_frozen", 900), ("mutton", 300)):
        applications.add_product(exporter, change, ProductInput.from_mapping(
            {"product_code": code, "annual_volume": volume, "volume_unit": "t"}))
    change.state = "submitted_to_gacc"
    db.session.commit()
    gacc.record_registration(registrar, change, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))

    draft = registrations.start_renewal(exporter, registration)
    assert [(line.product_code, line.annual_volume) for line in draft.products] == [
        ("beef_frozen", 900), ("mutton", 300)]
    assert draft.staff_count == 240  # the questionnaire as the change left it


def test_a_lot_the_registration_no_longer_covers_bars_its_certificate(ctx, client):
    """Whether the registration covers a lot's product was checked when the lot was added
    only: a wheat certificate was issued after a change left the registration covering
    barley alone."""
    from certtrack.services.consignments import issue

    from consignment_factories import inspect_ready, make_consignment

    exporter, inspector, registration, consignment = make_consignment("phyto")  # wheat
    change = applications.create_application(exporter, ApplicationInput.from_mapping(
        {**QUESTIONNAIRE, "kind": "change", "establishment_id": registration.establishment_id,
         "gacc_category_code": registration.gacc_category_code}))
    [wheat] = change.products  # it starts from the registration's: barley instead of wheat
    applications.remove_product(exporter, change, wheat.id)
    applications.add_product(exporter, change, ProductInput.from_mapping(
        {"product_code": "barley", "annual_volume": 5000, "volume_unit": "t"}))
    change.state = "submitted_to_gacc"
    db.session.commit()
    gacc.record_registration(make_user("registrar"), change, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    inspect_ready(inspector, consignment)

    said = (f"China registration {registration.china_number} no longer covers Wheat "
            "(HS 1001): remove its lot.")
    assert said in issue.issue_refusals(consignment)
    with pytest.raises(ValidationFailed) as refused:
        issue.issue_consignment_certificate(inspector, consignment)
    assert said in refused.value.errors[""]
    login(client, inspector.email)
    page = client.get(f"/inspector/consignments/{consignment.id}").get_data(as_text=True)
    assert said in page.split('id="issue-blockers"')[1].split("</ul>")[0]  # before the button


@pytest.mark.engine  # a search: run on PostgreSQL too (conftest.py)
def test_the_register_finds_a_changed_registration_by_the_products_it_covers_now(ctx, client):
    """A change that replaced wheat with barley: the public register's wheat search still
    listed it, its row showing barley alone, and a buyer of wheat wrote to a barley supplier."""
    registrar, exporter, registration, change = _change_draft()
    [wheat] = change.products  # it starts from the registration's: barley instead of wheat
    applications.remove_product(exporter, change, wheat.id)
    applications.add_product(exporter, change, ProductInput.from_mapping(
        {"product_code": "barley", "annual_volume": 5000, "volume_unit": "t"}))
    row = f'<code>{registration.china_number}</code>'
    assert row in client.get("/register?product=wheat").get_data(as_text=True)
    change.state = "submitted_to_gacc"
    db.session.commit()
    gacc.record_registration(registrar, change, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    assert row not in client.get("/register?product=wheat").get_data(as_text=True)
    assert row in client.get("/register?product=barley").get_data(as_text=True)
    assert registration.china_number not in client.get(
        "/register.csv?product=wheat").get_data(as_text=True)


def test_a_certificate_marks_the_products_a_later_change_removed(ctx, client):
    """After a change replaced wheat with barley, the certificate's page read "valid …
    Products: wheat" while the register showed barley alone."""
    from certtrack.services import certificates

    registrar, exporter, registration, change = _change_draft()
    certificate = certificates.issue_certificate(registrar, registration)
    path = f"/verify/{certificate.number}/{certificate.verification_code}"
    assert 'id="uncovered"' not in client.get(path).get_data(as_text=True)
    [wheat] = change.products
    applications.remove_product(exporter, change, wheat.id)
    applications.add_product(exporter, change, ProductInput.from_mapping(
        {"product_code": "barley", "annual_volume": 5000, "volume_unit": "t"}))
    change.state = "submitted_to_gacc"
    db.session.commit()
    gacc.record_registration(registrar, change, RegistrationInput.from_mapping({
        "china_number": registration.china_number, "listing_date": local_today(),
        "route": "under_guarantee"}))
    page = client.get(path).get_data(as_text=True)
    assert 'id="certificate-status">Valid<' in page and 'id="uncovered"' in page
    assert ('<li><code>1001</code> Wheat <strong class="uncovered">no longer covered</strong>'
            '</li>') in page
    answer = client.get("/api/v1/public/verify", query_string={
        "number": certificate.number, "code": certificate.verification_code}).get_json()
    assert answer["products"] == [{"hs_code": "1001", "name": "Wheat", "covered": False}]
