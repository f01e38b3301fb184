"""Factories that build accounts, enterprises and applications through the services."""

import io

import pyotp

from certtrack.services import (
    accounts,
    applications,
    documents,
    enterprises,
    officials,
    two_factor,
)
from certtrack.services.enterprises import EnterpriseInput, EstablishmentInput
from certtrack.services.inputs import (
    ApplicationInput,
    OfficialInput,
    ProductInput,
    RegistrationInput,
)
from certtrack.services.permissions import SYSTEM

from forms import PASSWORD

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_user(role: str = "exporter", email: str | None = None, *, official: bool = False,
              **extra):
    """Create an account through the service, as an administrator would; `official`: an
    inspector with the official profile a consignment certificate prints."""
    email = email or f"{role}{make_user.counter}@example.kz"
    make_user.counter += 1
    data = {"email": email, "full_name": extra.pop("full_name", f"Test {role.title()}"),
            "role": role, "password": PASSWORD, "committee": None, "regions": []}
    if role == "inspector":
        data.update(committee="phytosanitary", regions=["KZ-11"])
    data.update(extra)
    user = accounts.create_user(SYSTEM, accounts.AccountInput.from_mapping(data))
    if user.role in two_factor.REQUIRED_FOR:  # staff sign in with an authenticator app
        two_factor.set_known_secret(user, pyotp.random_base32())
    if role == "inspector" and official:
        officials.save_official_profile(user, OfficialInput(
            name_kk="Айгүл Нұрбекова", name_en="Aigul Nurbekova",
            position_kk="Бас инспектор", position_en="Chief inspector"))
    return user


make_user.counter = 1

ENTERPRISE = {
    "bin": "940140000385", "name_en": "Steppe Grain LLP", "name_kk": "Дала Астығы ЖШС",
    "name_ru": "ТОО «Степное зерно»", "name_zh": "草原粮食有限责任公司", "legal_form": "llp",
    "legal_representative": "Arman Bekov", "region_code": "KZ-11",
    "address": "Kokshetau, Abai 1", "phone": "", "email": "",
}
ESTABLISHMENT = {"name": "Kokshetau elevator", "type": "elevator", "region_code": "KZ-11",
                 "address": "Kokshetau, Elevator 2", "kz_registration_number": "KZ-11-0001"}
QUESTIONNAIRE = {
    "kind": "new", "gacc_category_code": "edible_grains", "haccp_status": "certified",
    "haccp_details": "", "traceability": "Lot numbers", "production_capacity": 100,
    "storage_capacity": 5000, "water_source": "municipal", "staff_count": 25,
    "last_inspection_date": None, "last_inspection_authority": "",
}


def make_exporter_with_application(bin_="940140000385", email=None, complete=True):
    """An exporter, its enterprise and establishment, and a draft wheat application.

    With `complete`, the draft has a product and every required document, ready to submit.
    """
    user = make_user("exporter", email)
    enterprise = enterprises.register_enterprise(
        user, EnterpriseInput.from_mapping({**ENTERPRISE, "bin": bin_}))
    establishment = enterprises.add_establishment(
        user, EstablishmentInput.from_mapping(ESTABLISHMENT))
    application = applications.create_application(
        user, ApplicationInput.from_mapping(
            {**QUESTIONNAIRE, "establishment_id": establishment.id}))
    if complete:
        applications.add_product(user, application, ProductInput.from_mapping({
            "product_code": "wheat", "annual_volume": 1000, "volume_unit": "t"}))
        for document_type in applications.required_document_types(application):
            documents.upload_document(user, application, document_type.code,
                                      io.BytesIO(PDF_BYTES), f"{document_type.code}.pdf")
    return user, enterprise, establishment, application


def move_to_state(application, state: str):
    """Put an application straight into `state` in the database, skipping the workflow.

    For tests of a later stage (laboratory, conclusion) that do not exercise the earlier ones.
    """
    from certtrack.extensions import db

    application.state = str(state)
    db.session.commit()
    return application


def make_application_for_lab(state: str = "inspected", product: str = "wheat",
                             bin_: str = "940140000385", email: str | None = None):
    """An exporter's application for one product in KZ-11, put straight into `state`, and an
    inspector of the right committee and region: (exporter, inspector, application).

    Wheat goes to the phytosanitary committee; a meat product (beef_chilled, mutton…) to the
    veterinary one.
    """
    meat = product in ("beef_chilled", "beef_frozen", "mutton", "pork", "horse_meat", "offal")
    user = make_user("exporter", email)
    enterprises.register_enterprise(user, EnterpriseInput.from_mapping({**ENTERPRISE, "bin": bin_}))
    establishment = enterprises.add_establishment(
        user, EstablishmentInput.from_mapping(
            {**ESTABLISHMENT, "type": "slaughterhouse" if meat else "elevator"}))
    application = applications.create_application(user, ApplicationInput.from_mapping({
        **QUESTIONNAIRE, "gacc_category_code": "meat" if meat else "edible_grains",
        "establishment_id": establishment.id}))
    applications.add_product(user, application, ProductInput.from_mapping({
        "product_code": product, "annual_volume": 100, "volume_unit": "t"}))
    inspector = make_user("inspector", committee="veterinary" if meat else "phytosanitary")
    return user, inspector, move_to_state(application, state)


def make_bin(serial: int) -> str:
    """A valid BIN of a resident legal entity (head office), distinct for each serial."""
    from certtrack.domain.identifiers import bin_check_digit

    while True:
        first11 = f"2001400{serial:04d}"
        check = bin_check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
        serial += 5000


def make_submitted_application(exporter=None, *, name: str = "Steppe Grain LLP",
                               region: str = "KZ-11", category: str = "edible_grains",
                               product: str = "wheat", submit: bool = True):
    """A complete application of `category` at an establishment in `region`, submitted through
    the services (a draft with `submit=False`): (exporter, application).

    Without `exporter`, a new exporter and enterprise named `name` are made, with a BIN of
    their own; with one, the application is that exporter's.
    """
    if exporter is None:
        make_submitted_application.serial += 1
        exporter = make_user("exporter")
        enterprises.register_enterprise(exporter, EnterpriseInput.from_mapping({
            **ENTERPRISE, "bin": make_bin(make_submitted_application.serial), "name_en": name,
            "name_kk": "", "name_ru": "", "name_zh": "", "region_code": region}))
    establishment = enterprises.add_establishment(
        exporter, EstablishmentInput.from_mapping({**ESTABLISHMENT,
                                                             "region_code": region}))
    application = applications.create_application(exporter, ApplicationInput.from_mapping({
        **QUESTIONNAIRE, "gacc_category_code": category, "establishment_id": establishment.id}))
    applications.add_product(exporter, application, ProductInput.from_mapping({
        "product_code": product, "annual_volume": 10, "volume_unit": "t"}))
    for document_type in applications.required_document_types(application):
        documents.upload_document(exporter, application, document_type.code,
                                  io.BytesIO(PDF_BYTES), f"{document_type.code}.pdf")
    if submit:
        applications.submit_application(exporter, application)
    return exporter, application


make_submitted_application.serial = 0



def make_registration(registrar, listing_date, *, number: str | None = None,
                      category: str = "edible_grains", product: str = "wheat",
                      region: str = "KZ-11", valid_from=None):
    """A new enterprise's application registered by `registrar` through the GACC service, listed
    on `listing_date`: (exporter, application, registration)."""
    from certtrack.services import gacc

    make_registration.serial += 1
    exporter, application = make_submitted_application(
        name=f"Registered Enterprise {make_registration.serial}", region=region,
        category=category, product=product, submit=False)
    move_to_state(application, "submitted_to_gacc")
    registration = gacc.record_registration(registrar, application, RegistrationInput.from_mapping({
        "china_number": number or f"CKAZ{make_registration.serial:014d}",
        "listing_date": listing_date, "valid_from": valid_from, "route": "under_guarantee"}))
    return exporter, application, registration


make_registration.serial = 0


def make_certificate(registrar=None, **registration_options):
    """A registration listed a month ago and its issued certificate, through the services:
    (registrar, exporter, registration, certificate). A new registrar unless one is given."""
    from datetime import timedelta

    from certtrack.services import certificates
    from certtrack.services.applications import local_today

    registrar = registrar or make_user("registrar")
    exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30), **registration_options)
    certificate = certificates.issue_certificate(registrar, registration)
    return registrar, exporter, registration, certificate


def recommended_on(day, application_ids) -> None:
    """Date the recommendation of these applications to `day`, as if the registrar had made it
    then: a request to GACC and a listing may then be dated after it, in the past."""
    from datetime import UTC, datetime, time

    from sqlalchemy import select

    from certtrack.extensions import db
    from certtrack.models import Application

    for application in db.session.scalars(select(Application).where(
            Application.id.in_(list(application_ids)))):
        application.state_changed_at = datetime.combine(day, time(6), tzinfo=UTC)
    db.session.commit()
