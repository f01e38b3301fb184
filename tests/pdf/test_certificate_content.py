"""The certificate of a real registration, as GACC reads it (pdftotext): the establishment in
every language the exporter gave and no other, and the particulars ISPM 12 and GACC expect."""

import io
import json
import subprocess
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from certtrack.demo.certificate import demo_certificate_context
from certtrack.extensions import db
from certtrack.models import Certificate, Registration, StoredPdf
from certtrack.pdf.contexts import to_json
from certtrack.services import certificates, enterprises, name_changes
from certtrack.services.applications import local_today
from certtrack.services.inputs import EstablishmentInput
from certtrack.services.issued_files import pdf_bytes

from factories import ESTABLISHMENT, make_registration, make_user

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "schemas" /
                     "certificate.schema.json").read_text(encoding="utf-8"))
KAZAKH = {"name": "Көкшетау элеваторы", "address": "Көкшетау қ., Элеватор көшесі, 2"}
CHINESE = {"name_zh": "科克舍套粮库", "address_zh": "科克舍套市粮库街2号"}


def _registration(registrar, languages: dict) -> Registration:
    """A registration listed a month ago whose establishment the exporter named as given (a
    change the registrar approved)."""
    exporter, _application, registration = make_registration(
        registrar, local_today() - timedelta(days=30))
    establishment = registration.establishment
    enterprises.update_establishment(exporter, establishment, EstablishmentInput.from_mapping(
        {**ESTABLISHMENT, **languages, "version": establishment.version}))
    # The establishment holds the registration: its new names wait for a registrar's approval.
    for request in name_changes.pending_requests():
        name_changes.decide(registrar, request.id, approve=True)
    return registration


def _issue(registrar, registration) -> tuple[Certificate, str]:
    certificate = certificates.issue_certificate(registrar, registration)
    content = pdf_bytes(db.session.get(StoredPdf, db.session.get(Certificate,
                                                                 certificate.id).pdf_id))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, check=True,
                          capture_output=True).stdout.decode()
    return certificate, text


def _line_after(text: str, needle: str) -> str:
    lines = text.splitlines()
    (index,) = [i for i, line in enumerate(lines) if needle in line]
    return lines[index + 1]


@pytest.fixture
def registrar(ctx):
    return make_user("registrar")


def test_an_establishment_named_in_kazakh_and_chinese_prints_both(registrar):
    registration = _registration(registrar, {**KAZAKH, **CHINESE})
    certificate, text = _issue(registrar, registration)
    for printed in (KAZAKH["name"], CHINESE["name_zh"], KAZAKH["address"], CHINESE["address_zh"]):
        assert printed in text, printed
    assert certificate.data["establishment"]["name"] == {"kk": KAZAKH["name"],
                                                         "zh": CHINESE["name_zh"]}
    assert CHINESE["name_zh"] in _line_after(text, KAZAKH["name"])  # no empty line between


def test_an_establishment_named_in_kazakh_only_prints_no_empty_line(registrar):
    registration = _registration(registrar, KAZAKH)
    certificate, text = _issue(registrar, registration)
    assert certificate.data["establishment"]["name"] == {"kk": KAZAKH["name"]}
    assert certificate.data["establishment"]["address"] == {"kk": KAZAKH["address"]}
    assert KAZAKH["address"] in _line_after(text, KAZAKH["name"])
    assert _line_after(text, KAZAKH["address"]).strip()
    assert " /  / " not in text and "/ /" not in text


def test_the_certificate_carries_what_gacc_and_ispm_12_ask_for(registrar):
    registration = _registration(registrar, {**KAZAKH, **CHINESE})
    certificate, text = _issue(registrar, registration)
    flat = " ".join(text.split())
    enterprise = registration.enterprise
    for printed in (
        "Exporting country", "Republic of Kazakhstan", "哈萨克斯坦共和国",
        "To 致", "中华人民共和国海关总署", "General Administration of Customs",
        "Date and place of issue", "Astana", "阿斯塔纳",
        "Mangilik El Avenue 8, House of Ministries, Astana",
        "Legal address", enterprise.address,
        "Type", "Grain elevator", "粮食仓储库",
        "Kazakh approval No.", registration.establishment.kz_registration_number,
        "GACC registration date", registration.listing_date.strftime("%d.%m.%Y"),
        "Legal basis", "Registration valid from – to",
        f"{registration.valid_from:%d.%m.%Y} – {registration.valid_to:%d.%m.%Y}",
        "This electronic document is equivalent to a document on paper",
    ):
        assert printed in flat, printed
    basis = {"248": "GACC Decree No. 248", "280": "GACC Order No. 280"}[registration.regime]
    assert basis in flat
    assert certificate.data["legal_basis"]["en"] == basis
    assert certificate.data["listed_on"] == registration.listing_date.isoformat()
    assert len(PdfReader(io.BytesIO(pdf_bytes(db.session.get(StoredPdf, db.session.get(
        Certificate, certificate.id).pdf_id)))).pages) == 1


def test_every_issued_certificate_validates_against_the_published_schema(registrar):
    issued = []
    registration = _registration(registrar, {**KAZAKH, **CHINESE})
    first = certificates.issue_certificate(registrar, registration)
    issued.append(first)
    issued.append(certificates.issue_certificate(registrar, registration, replaces=first,
                                                 reason="Address corrected"))
    issued.append(certificates.issue_certificate(registrar, _registration(registrar, KAZAKH)))
    for certificate in issued:
        data = db.session.get(Certificate, certificate.id).data
        jsonschema.validate(data, SCHEMA)
        reader = PdfReader(io.BytesIO(pdf_bytes(db.session.get(StoredPdf, db.session.get(
            Certificate, certificate.id).pdf_id))))
        (embedded,) = reader.attachments["certificate.json"]
        jsonschema.validate(json.loads(embedded), SCHEMA)
    assert issued[1].data["replaces"] == first.number
    jsonschema.validate(json.loads(to_json(demo_certificate_context())), SCHEMA)


@pytest.mark.parametrize("break_it", [
    lambda data: data.pop("schema_version"),
    lambda data: data["establishment"]["name"].update(zh=""),
    lambda data: data["officer"].update(name="Registrar"),
    lambda data: data.update(legal_basis={}),
])
def test_the_schema_refuses_a_certificate_missing_what_it_promises(break_it):
    data = json.loads(to_json(demo_certificate_context()))
    break_it(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_a_registration_under_order_280_cites_order_280(registrar):
    registration = _registration(registrar, KAZAKH)
    registration.regime = "280"
    db.session.commit()
    certificate, text = _issue(registrar, registration)
    assert "GACC Order No. 280" in " ".join(text.split())
    assert certificate.data["legal_basis"]["zh"] == "海关总署第280号令"


def test_a_replacement_names_the_certificate_it_replaces_unambiguously(registrar):
    """"替代证书 KZ-CN-2026-000006" read as "replacement certificate: …000006", the one it
    replaced; on the web page too."""
    registration = _registration(registrar, {**KAZAKH, **CHINESE})
    first = certificates.issue_certificate(registrar, registration)
    second = certificates.issue_certificate(registrar, registration, replaces=first,
                                            reason="Address corrected")
    content = pdf_bytes(db.session.get(StoredPdf, db.session.get(Certificate,
                                                                 second.id).pdf_id))
    text = subprocess.run(["pdftotext", "-", "-"], input=content, check=True,
                          capture_output=True).stdout.decode()
    assert "所替代的证书" in text and "替代证书" not in text.replace("所替代的证书", "")
    assert first.number in text
