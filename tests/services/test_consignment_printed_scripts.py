"""A certificate read at China's border prints no Cyrillic but in the authority's language: an
exporter's legal address, an establishment's name or address entered before English was asked
for (a Cyrillic-only one) printed as they stood on the phytosanitary and veterinary
certificates, and the legal address on the certificate of export eligibility."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from certtrack.extensions import db
from certtrack.pdf import consignment_html
from certtrack.services import certificates, enterprises, name_changes
from certtrack.services.consignments import drafts, issue, status
from certtrack.services.consignments.printing import thaw
from certtrack.services.errors import ValidationFailed
from certtrack.services.inputs import EnterpriseInput, EstablishmentInput
from certtrack.services.issued_files import pdf_bytes

from consignment_factories import inspect_ready, make_consignment
from factories import ENTERPRISE, ESTABLISHMENT, make_user

CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
LEGACY_ADDRESS = "Жітіқара қ., Байтұрсынұлы көшесі, 14"


def _legacy(registration) -> None:
    """The enterprise and establishment as a database from before the rule holds them."""
    registration.enterprise.address = LEGACY_ADDRESS
    establishment = registration.establishment
    establishment.name, establishment.address = "Тобыл астық қоймасы", "Тобыл қ., Өзен жағасы, 7"
    establishment.name_en = establishment.address_en = ""
    db.session.commit()


def _written_in_english(exporter, registrar, registration) -> None:
    enterprise, establishment = registration.enterprise, registration.establishment
    enterprises.update_enterprise(exporter, enterprise, EnterpriseInput.from_mapping({
        **ENTERPRISE, "name_en": enterprise.name_en, "bin": enterprise.bin,
        "name_kk": "", "name_ru": "", "name_zh": "", "region_code": enterprise.region_code,
        "address": "14 Baitursynuly Street, Zhitikara", "version": enterprise.version}))
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping({
        **ESTABLISHMENT, "region_code": establishment.region_code, "name": establishment.name,
        "address": establishment.address, "name_en": "Tobyl grain store",
        "address_en": "7 Riverside, Tobyl", "version": establishment.version}))
    for request in name_changes.pending_requests():  # they hold a registration
        name_changes.decide(registrar, request.id, approve=True)


def _authority_words(html: str) -> set[str]:
    """Every Cyrillic word the print sets in the authority's languages (Kazakh, Russian), and
    in the development seal's banner, which says in Kazakh too that it is no certificate."""
    spans = re.findall(r'<(\w+)[^>]*lang="(?:kk|ru)"[^>]*>(.*?)</\1>', html, re.S)
    banner = re.findall(r'class="development-banner">(.*?)</div>', html, re.S)
    return {word for text in [text for _tag, text in spans] + banner
            for word in CYRILLIC.findall(text)}


def _pdf_words(content: bytes) -> set[str]:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return set(CYRILLIC.findall(text))


@pytest.mark.real_pdf
@pytest.mark.parametrize("kind", ["phyto", "vet"])
def test_a_consignment_certificate_prints_no_cyrillic_of_the_exporter(ctx, kind):
    exporter, inspector, registration, consignment = make_consignment(kind, submit=False)
    _legacy(registration)
    with pytest.raises(ValidationFailed) as refused:
        drafts.submit_consignment(exporter, consignment)
    assert refused.value.errors[""] == [
        "The enterprise's legal address is not written in Latin or Chinese script, as the "
        "certificates China's border reads print it: write it so on the enterprise's page "
        "(Edit profile).",
        "Establishment Тобыл астық қоймасы has no name in English, which the certificates "
        "China's border reads print: add it on the enterprise's page, under Establishments (a "
        "registered establishment's waits for the registrar's approval).",
        "Establishment Тобыл астық қоймасы has no address in English, which the certificates "
        "China's border reads print: add it on the enterprise's page, under Establishments (a "
        "registered establishment's waits for the registrar's approval)."]
    assert consignment.state == "draft"
    _written_in_english(exporter, make_user("registrar"), registration)
    drafts.submit_consignment(exporter, consignment)
    inspect_ready(inspector, consignment)
    certificate = issue.issue_consignment_certificate(inspector, consignment)
    printed = _pdf_words(pdf_bytes(status.stored_pdf(certificate)))
    assert "Tobyl grain store" in certificate.context["establishment"]["name"]
    assert printed and printed <= _authority_words(consignment_html(
        thaw(certificate.context), development_seal=True))
    assert not {"Жітіқара", "Байтұрсынұлы", "Тобыл", "қоймасы"} & printed


@pytest.mark.real_pdf
def test_the_certificate_of_export_eligibility_prints_no_cyrillic_legal_address(ctx):
    exporter, _inspector, registration, _consignment = make_consignment(submit=False)
    registrar = make_user("registrar")
    _legacy(registration)
    with pytest.raises(ValidationFailed) as refused:
        certificates.issue_certificate(registrar, registration)
    assert "legal address is not written in Latin or Chinese script" in str(refused.value.errors)
    _written_in_english(exporter, registrar, registration)
    certificate = certificates.issue_certificate(registrar, registration)
    printed = _pdf_words(pdf_bytes(certificates.stored_pdf(certificate)))
    assert "Жітіқара" not in printed and "Байтұрсынұлы" not in printed


def test_a_new_enterprise_writes_its_legal_address_and_english_name_in_latin(ctx):
    exporter = make_user("exporter")
    with pytest.raises(ValidationFailed) as refused:
        enterprises.register_enterprise(exporter, EnterpriseInput.from_mapping({
            **ENTERPRISE, "name_en": "Дала Астығы LLP", "address": LEGACY_ADDRESS}))
    assert set(refused.value.errors) == {"name_en", "address"}
    assert exporter.enterprise_id is None
    enterprise = enterprises.register_enterprise(exporter, EnterpriseInput.from_mapping(ENTERPRISE))
    assert enterprise.address == "Kokshetau, Abai 1"
