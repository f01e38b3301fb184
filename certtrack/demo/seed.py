"""Demo accounts and data for `make run`'s first start; never for production."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from certtrack.demo import clock, listing, stages
from certtrack.demo.certificate import DEMO_OFFICIALS
from certtrack.demo.companies import create_companies
from certtrack.demo.journey import GRAIN_LAB, VET_LAB, Cast, demo_pdf
from certtrack.extensions import db
from certtrack.models import User
from certtrack.services import (
    accounts,
    applications,
    documents,
    enterprises,
    gacc,
    laboratories,
    officials,
    two_factor,
)
from certtrack.services.applications import local_today
from certtrack.services.permissions import SYSTEM

DEMO_PASSWORD = "certtrack-demo-2026"  # noqa: S105 - printed on purpose; demo data only
DEMO_USERS = (
    ("admin", "admin@demo.certtrack.kz", "Aigerim Nurlanova", None, ()),
    ("registrar", "registrar@demo.certtrack.kz", "Rustem Abdrakhmanov", None, ()),
    ("inspector", "phyto@demo.certtrack.kz", "Inessa Sarsenbayeva", "phytosanitary",
     ("KZ-11", "KZ-39", "KZ-59", "KZ-71")),
    ("inspector", "vet@demo.certtrack.kz", "Vladimir Zhakypov", "veterinary",
     ("KZ-10", "KZ-19", "KZ-31", "KZ-33", "KZ-63", "KZ-75")),
    ("exporter", "exporter@demo.certtrack.kz", "Erlan Seitov", None, ()),
    ("exporter", "meat@demo.certtrack.kz", "Madina Seitkali", None, ()),
)
# The language of an account whose person the README's table names one for (its pages and
# e-mails); the others get the language they first sign in in.
DEMO_LANGUAGES = {"meat@demo.certtrack.kz": "ru"}
INSPECTORS = {"phytosanitary": "phyto@demo.certtrack.kz", "veterinary": "vet@demo.certtrack.kz"}
# Fixed TOTP secrets of the demo staff, printed by `seed-demo` (demo data only): add one to an
# authenticator app, or print a current code with `flask --app certtrack totp-code EMAIL`.
DEMO_TOTP_SECRETS = {
    "admin@demo.certtrack.kz": "DEMOADMINCERTTRACKKZAAAA",
    "registrar@demo.certtrack.kz": "DEMOREGISTRARCERTTRACKKZ",
    "phyto@demo.certtrack.kz": "DEMOPHYTOCERTTRACKKZAAAA",
    "vet@demo.certtrack.kz": "DEMOVETCERTTRACKKZAAAAAA",
}
__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_SECRETS", "DEMO_USERS",
           "ensure_demo_factors", "existing_demo_logins", "seed_demo"]


def _create_users() -> dict[str, User]:
    users = {}
    for role, email, name, committee, regions in DEMO_USERS:
        users[email] = accounts.create_user(SYSTEM, accounts.AccountInput(
            email=email, full_name=name, role=role, committee=committee,
            regions=list(regions), password=DEMO_PASSWORD, locale=DEMO_LANGUAGES.get(email),
        ))
    return users


def _official_profiles(users: dict[str, User]) -> None:
    """The registrar's and inspectors' names and positions as documents print them."""
    for email, official in DEMO_OFFICIALS.items():
        fields = {f"{kind}_{lang}": value for kind in ("name", "position")
                  for lang, value in official[kind].items()}
        officials.save_official_profile(users[email], officials.OfficialInput(**fields))


def _meat_exporter(user: User) -> None:
    """A second exporter with a beef application submitted on the last working day, so staff
    queues are not empty (it was submitted the minute `make run` started: "0 working days")."""
    with clock.story(days_ago=clock.last_working_day_ago()):
        _meat_application(user)


def _meat_application(user: User) -> None:
    enterprises.register_enterprise(user, enterprises.EnterpriseInput.from_mapping({
        "bin": "961141000023", "name_en": "Zhetysu Meat LLP", "name_kk": "«Жетісу Ет» ЖШС",
        "name_ru": "ТОО «Жетысу Мясо»", "name_zh": "杰特苏肉类有限责任公司",
        "legal_form": "llp", "legal_representative": "Madina Seitkali",
        "region_code": "KZ-33", "address": "Taldykorgan, Abai Street 12",
        "phone": "+7 7282 555 010", "email": "export@zhetysu-meat.kz",
    }))
    plant = enterprises.add_establishment(user, enterprises.EstablishmentInput.from_mapping({
        "name": "Талдықорған қасапханасы", "name_ru": "Талдыкорганская скотобойня",
        "name_en": "Taldykorgan slaughterhouse", "name_zh": "塔尔迪库尔干屠宰场",
        "type": "slaughterhouse", "region_code": "KZ-33",
        "address": "Жетісу облысы, Талдықорған қ., Өнеркәсіп аймағы, 4-үй",
        "address_en": "4 Industrial Zone, Taldykorgan, Zhetysu Region",
        "address_zh": "杰特苏州塔尔迪库尔干市工业区4号", "kz_registration_number": "KZ-33-VET-0042",
    }))
    application = applications.create_application(user, applications.ApplicationInput.from_mapping({
        "kind": "new", "establishment_id": plant.id, "gacc_category_code": "meat",
        "haccp_status": "certified", "haccp_details": "ISO 22000:2018 certificate No. 0457",
        "traceability": "Ear tags and batch numbers from farm to carcass",
        "production_capacity": 40, "storage_capacity": 600, "water_source": "municipal",
        "staff_count": 85, "last_inspection_date": None, "last_inspection_authority": "",
    }))
    applications.add_product(user, application, applications.ProductInput.from_mapping({
        "product_code": "beef_frozen", "annual_volume": 2500, "volume_unit": "t"}))
    for document_type in applications.required_document_types(application):
        documents.upload_document(user, application, document_type.code,
                                  io.BytesIO(demo_pdf(document_type.name_en,
                                                      application.enterprise.name_en,
                                                      application.reference)),
                                  f"{document_type.name_en}.pdf")
    applications.submit_application(user, application)


def _living_system(users: dict[str, User]) -> None:
    """Demo companies with applications in every state and registrations in every status."""
    exporters = create_companies(users["exporter@demo.certtrack.kz"])
    registrar = users["registrar@demo.certtrack.kz"]

    def casts(key: str) -> Cast:
        exporter = exporters[key]
        committee = exporter.company.committee
        return Cast(exporter.user, users[INSPECTORS[committee]], registrar, exporter.sites)

    stages.build(casts)
    listing.build(casts)


@contextmanager
def _dossiers_on_demand() -> Iterator[None]:
    """Recommending and batching render a dossier PDF each, seconds apiece: while seeding, the
    registrar's services skip them; a registrar generates them from the pages when wanted."""
    saved = getattr(gacc, "dossiers", None)
    if saved is None:  # no dossiers in this version of the registrar's services
        yield
        return
    gacc.dossiers = SimpleNamespace(after_recommendation=lambda _actor, _chosen: [],
                                    after_batch=lambda _actor, _batch: None)
    try:
        yield
    finally:
        gacc.dossiers = saved


def ensure_demo_factors() -> None:
    """Give each demo staff account without a second factor its fixed, printed secret."""
    users = db.session.scalars(select(User).where(User.email.in_(DEMO_TOTP_SECRETS)))
    for user in users:
        if not user.has_totp:
            two_factor.set_known_secret(user, DEMO_TOTP_SECRETS[user.email])


# The companies' exporters the README's table of demo logins points to (consignments in every
# state, a veterinary certificate, a renewal window, pages in Chinese), printed with the
# accounts above: the printout lists every login of the table, and a test compares the two.
FEATURED_EXPORTERS = ("kostanay-astyk@demo.certtrack.kz", "taraz-et@demo.certtrack.kz",
                      "altai-bal@demo.certtrack.kz", "semey-beef@demo.certtrack.kz")


def _logins() -> list[tuple[str, str]]:
    return [(role, email) for role, email, *_rest in DEMO_USERS] + [
        ("exporter", email) for email in FEATURED_EXPORTERS] + [
        ("laboratory", DEMO_LABORATORY), ("laboratory", DEMO_VET_LABORATORY)]


def existing_demo_logins() -> list[tuple[str, str]]:
    """The demo accounts present in the database, as (role, e-mail) pairs."""
    logins = _logins()
    present = set(db.session.scalars(select(User.email).where(
        User.email.in_([email for _role, email in logins]))))
    return [(role, email) for role, email in logins if email in present]


DEMO_LABORATORY = "lab@demo.certtrack.kz"
DEMO_VET_LABORATORY = "vet-lab@demo.certtrack.kz"


def _laboratory() -> None:
    """Two accredited laboratories and their accounts: a wheat sample waits at the grain
    laboratory for results, Semey's beef samples at the veterinary one."""
    grain = laboratories.create_laboratory(SYSTEM, laboratories.LaboratoryInput(
        name=GRAIN_LAB, name_kk="Астана астық сынау зертханасы",
        name_ru="Астанинская испытательная лаборатория зерна",
        name_zh="阿斯塔纳粮食检测实验室", accreditation_number="KZ.T.02.0457",
        accredited_until=local_today() + timedelta(days=700),
        parameters=["deoxynivalenol (DON)", "lead", "cadmium"],
        categories=["edible_grains", "milled_grain"]))
    veterinary = laboratories.create_laboratory(SYSTEM, laboratories.LaboratoryInput(
        name=VET_LAB, name_kk="Астана қ. Ұлттық ветеринариялық референттік орталығы",
        name_ru="Национальный референтный ветеринарный центр, Астана",
        name_zh="阿斯塔纳国家兽医参考中心", accreditation_number="KZ.T.02.1183",
        accredited_until=local_today() + timedelta(days=520),
        parameters=["lead", "cadmium", "clenbuterol", "ractopamine", "chloramphenicol",
                    "nitrofurans", "aflatoxin M1"],
        categories=["meat", "bee_products", "dairy"]))
    for email, name, lab in ((DEMO_LABORATORY, "Gulnara Tokhtarova", grain),
                             (DEMO_VET_LABORATORY, "Aliya Serikbayeva", veterinary)):
        accounts.create_user(SYSTEM, accounts.AccountInput(
            email=email, full_name=name, role="laboratory", laboratory_id=lab.id,
            password=DEMO_PASSWORD))


def seed_demo(only_if_empty: bool = False) -> dict | None:
    """Create the demo accounts and data; return the logins, or None when skipped.

    The demo exporter exporter@demo.certtrack.kz starts without an enterprise, so that the
    whole journey (register BIN 940140000385, add an establishment, apply) can be walked.
    Everything else goes through the services, as the command line calls them.
    """
    if only_if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        return None
    with _dossiers_on_demand():
        users = _create_users()
        _official_profiles(users)
        ensure_demo_factors()
        _meat_exporter(users["meat@demo.certtrack.kz"])
        _laboratory()  # before the stories: one sends it a sample
        _living_system(users)
    return {"password": DEMO_PASSWORD, "logins": existing_demo_logins()}
