"""Factories that build accounts, enterprises and applications through the services."""

import io

from certtrack.services import accounts, applications, documents, enterprises

from forms import PASSWORD

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_user(role: str = "exporter", email: str | None = None, **extra):
    """Create an account through the service, as an administrator would."""
    email = email or f"{role}{make_user.counter}@example.kz"
    make_user.counter += 1
    data = {"email": email, "full_name": extra.pop("full_name", f"Test {role.title()}"),
            "role": role, "password": PASSWORD, "committee": None, "regions": []}
    if role == "inspector":
        data.update(committee="phytosanitary", regions=["KZ-11"])
    data.update(extra)
    return accounts.create_user(None, data)


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
    enterprise = enterprises.register_enterprise(user, {**ENTERPRISE, "bin": bin_})
    establishment = enterprises.add_establishment(user, ESTABLISHMENT)
    application = applications.create_application(
        user, {**QUESTIONNAIRE, "establishment_id": establishment.id})
    if complete:
        applications.add_product(user, application, {
            "product_code": "wheat", "annual_volume": 1000, "volume_unit": "t"})
        for document_type in applications.required_document_types(application):
            documents.upload_document(user, application, document_type.code,
                                      io.BytesIO(PDF_BYTES), f"{document_type.code}.pdf")
    return user, enterprise, establishment, application
