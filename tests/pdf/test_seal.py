"""The electronic seal (PAdES): poppler's pdfsig and pyHanko's validator both see one intact
seal by the authority; one changed byte breaks it for both; sealing keeps PDF/A-3b intact."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from certtrack import create_app
from certtrack.demo.certificate import demo_certificate_context
from certtrack.demo.dossier import demo_dossier_context
from certtrack.pdf import render_certificate, render_dossier
from certtrack.pdf.seal import check_seal, seal_pdf
from certtrack.pdf.seal_keys import DEVELOPMENT_SEAL_NAME, PKCS12_FILE
from certtrack.services import seal


@pytest.fixture(scope="module")
def seal_app():
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret-key",
                       "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture(scope="module")
def documents(seal_app, tmp_path_factory):
    """The demo certificate as rendered for the development seal, then as sealed at issue,
    both written to files."""
    folder = tmp_path_factory.mktemp("sealed")
    with seal_app.app_context():
        plain = render_certificate(demo_certificate_context(), development_seal=True)
        sealed = seal.issue_sealed(render_certificate, demo_certificate_context())
        roots = seal.seal_key().trust_roots
    (folder / "plain.pdf").write_bytes(plain.content)
    (folder / "sealed.pdf").write_bytes(sealed.content)
    return folder, plain, sealed, roots


def _pdfsig(path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True,
                          check=False).stdout


def _one_byte_changed(content: bytes) -> bytes:
    """The file with one byte of a compressed page stream flipped: still a PDF, not the one
    sealed."""
    at = content.index(b"stream\n", len(content) // 3) + len(b"stream\n") + 20
    changed = bytearray(content)
    changed[at] ^= 0x01
    return bytes(changed)


def test_pdfsig_lists_one_valid_signature_by_the_authority(documents):
    folder = documents[0]
    report = _pdfsig(folder / "sealed.pdf")
    assert "Signature #1" in report and "Signature #2" not in report
    assert f"Signer Certificate Common Name: {DEVELOPMENT_SEAL_NAME}" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Signing Time:" in report
    assert "Signature #1" not in _pdfsig(folder / "plain.pdf")


def test_pyhanko_reports_the_seal_intact_and_by_whom(documents):
    _folder, plain, sealed, roots = documents
    check = check_seal(sealed.content, roots)
    assert (check.result, check.signer) == ("intact", DEVELOPMENT_SEAL_NAME)
    assert check.development and check.signed_at
    assert check_seal(sealed.content, ()).result == "untrusted"
    assert check_seal(plain.content, roots).result == "unsealed"
    assert check_seal(b"%PDF-1.7 but nothing else", roots).result == "unreadable"


def test_one_changed_byte_breaks_the_seal_for_both_tools(documents, tmp_path):
    _folder, _plain, sealed, roots = documents
    changed = _one_byte_changed(sealed.content)
    assert len(changed) == len(sealed.content) and changed != sealed.content
    path = tmp_path / "changed.pdf"
    path.write_bytes(changed)
    report = _pdfsig(path)
    assert "Signature #1" in report and "Signature is Valid" not in report
    assert "Digest Mismatch" in report
    assert check_seal(changed, roots).result == "altered"
    assert check_seal(sealed.content + b"%appended\n", roots).result == "altered"


def test_sealing_appends_and_keeps_the_pdf_a_3b_document_as_rendered(documents):
    _folder, plain, sealed, _roots = documents
    assert sealed.content.startswith(plain.content)  # an incremental update only
    before, after = PdfReader(_folder_file(documents, "plain.pdf")), \
        PdfReader(_folder_file(documents, "sealed.pdf"))
    assert after.metadata == before.metadata
    root, old_root = after.trailer["/Root"], before.trailer["/Root"]
    assert root["/Metadata"].get_object().get_data() == \
        old_root["/Metadata"].get_object().get_data()
    intents = [(i["/S"], i.raw_get("/DestOutputProfile").idnum) for i in root["/OutputIntents"]]
    assert intents == [(i["/S"], i.raw_get("/DestOutputProfile").idnum)
                       for i in old_root["/OutputIntents"]] and intents
    assert [r.idnum for r in root["/AF"]] == [r.idnum for r in old_root["/AF"]]
    assert list(after.attachments) == ["certificate.json"]
    assert after.attachments["certificate.json"] == before.attachments["certificate.json"]
    (field,) = root["/AcroForm"]["/Fields"]
    widget = field.get_object()
    assert widget["/FT"] == "/Sig" and widget["/F"] & 4  # printed, so PDF/A allows it
    assert [float(x) for x in widget["/Rect"]] == [0, 0, 0, 0]  # no appearance needed
    assert sealed.pages == plain.pages == 1


def _folder_file(documents, name):
    return documents[0] / name


def test_the_development_seal_is_printed_on_every_page_it_seals(documents):
    sealed_text = PdfReader(_folder_file(documents, "sealed.pdf")).pages[0].extract_text()
    unmarked = render_certificate(demo_certificate_context()).content
    plain_text = PdfReader(io.BytesIO(unmarked)).pages[0].extract_text()
    assert "DEVELOPMENT SEAL — NOT VALID FOR EXPORT" in sealed_text
    assert "开发测试印章" in sealed_text
    assert "DEVELOPMENT SEAL" not in plain_text


def test_the_development_seal_reads_on_one_line_above_the_dossiers_running_header(seal_app):
    """The dossier's pages after the first carry a running header in the top margin; the
    banner stays one line above it, not a narrow column squeezed between its two halves."""
    with seal_app.app_context():
        dossier = render_dossier(demo_dossier_context(), development_seal=True)
    pages = PdfReader(io.BytesIO(dossier.content)).pages
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "DEVELOPMENT SEAL — NOT VALID FOR EXPORT · 开发测试印章 — 不得用于出口 · " \
               "ӘЗІРЛЕУ МӨРІ — ЭКСПОРТҚА ЖАРАМСЫЗ" in text, number
        if number > 1:
            assert "Recommendation dossier · 推荐材料" in text, number


def test_init_seal_creates_the_development_seal_once(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SEAL_FOLDER": str(tmp_path / "seal")})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-seal"])
    assert first.exit_code == 0 and "Development seal created" in first.output
    key_file = tmp_path / "seal" / PKCS12_FILE
    made = key_file.read_bytes()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = runner.invoke(args=["init-seal"])
    assert again.exit_code == 0 and "already" in again.output
    assert key_file.read_bytes() == made
    with app.app_context():
        assert seal.seal_key().name == DEVELOPMENT_SEAL_NAME and seal.seal_key().development


def test_a_missing_seal_stops_the_issue_with_a_clear_message(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SEAL_FOLDER": str(tmp_path / "none")})
    with app.app_context(), pytest.raises(seal.SealUnavailable, match="init-seal"):
        seal.issue_sealed(render_certificate, demo_certificate_context())


def test_a_pkcs12_file_with_a_passphrase_seals_as_the_authority(documents, development_seal,
                                                                  tmp_path):
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        pkcs12,
    )

    key, cert, cas = pkcs12.load_key_and_certificates(
        (development_seal / PKCS12_FILE).read_bytes(), None)
    protected = tmp_path / "authority.p12"
    protected.write_bytes(pkcs12.serialize_key_and_certificates(
        b"authority", key, cert, cas, BestAvailableEncryption(b"1234")))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SEAL_PKCS12_PATH": str(protected), "SEAL_PKCS12_PASSPHRASE": 1234})
    with app.app_context():
        assert not seal.development_seal_in_use()
        sealed = seal_pdf(documents[1], seal.seal_key())
        assert check_seal(sealed.content, seal.seal_key().trust_roots).result == "intact"
    wrong = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "SEAL_PKCS12_PATH": str(protected), "SEAL_PKCS12_PASSPHRASE": "nope"})
    with wrong.app_context(), pytest.raises(seal.SealUnavailable):
        seal.seal_key()


def test_an_elliptic_curve_seal_from_a_pkcs12_file_seals_intact(documents, tmp_path):
    """An authority's seal on a P-256 key signs through pyHanko's own path (the key kept
    parsed between signatures is for RSA): a document sealed twice in turn is intact twice."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    def certificate(common_name, key, issuer=None, issuer_key=None):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        return (x509.CertificateBuilder().subject_name(name)
                .issuer_name(issuer.subject if issuer else name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None),
                               critical=True)
                .add_extension(x509.KeyUsage(
                    digital_signature=issuer is not None, content_commitment=issuer is not None,
                    key_encipherment=False, data_encipherment=False, key_agreement=False,
                    key_cert_sign=issuer is None, crl_sign=issuer is None, encipher_only=False,
                    decipher_only=False), critical=True)
                .sign(issuer_key or key, hashes.SHA256()))

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("Committee CA (P-256)", ca_key)
    path = tmp_path / "ec.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ec", key, certificate("Committee seal (P-256)", key, ca, ca_key), [ca],
        NoEncryption()))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SEAL_PKCS12_PATH": str(path)})
    with app.app_context():
        key_of_app = seal.seal_key()
        checks = [check_seal(seal_pdf(document, key_of_app).content, key_of_app.trust_roots)
                  for document in (documents[1], documents[1])]
    assert [(check.result, check.signer) for check in checks] == [
        ("intact", "Committee seal (P-256)")] * 2


def test_the_development_seal_signs_one_document_after_another_intact(documents, seal_app):
    """The seal's key is parsed once and kept: each of three documents sealed in turn with
    the same loaded seal is intact and different from the others."""
    with seal_app.app_context():
        key = seal.seal_key()
        sealed = [seal_pdf(documents[1], key) for _ in range(3)]
    assert len({document.sha256 for document in sealed}) == 3
    assert {check_seal(document.content, key.trust_roots).result for document in sealed} == {
        "intact"}


def test_a_seal_file_replaced_is_read_again_by_the_next_application(development_seal, tmp_path):
    """The seal read from a file is kept for the process while the file is unchanged; a file
    replaced (a renewed seal certificate) is what the next application seals with."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

    from certtrack.pdf.seal_keys import _certificate

    key, cert, cas = pkcs12.load_key_and_certificates(
        (development_seal / PKCS12_FILE).read_bytes(), None)
    path = tmp_path / "authority.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"a", key, cert, cas,
                                                           NoEncryption()))
    config = {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
              "SEAL_PKCS12_PATH": str(path)}

    def seal_name():
        with create_app(config).app_context():
            return seal.seal_key().name

    assert seal_name() == seal_name() == DEVELOPMENT_SEAL_NAME
    renewed_key, renewed = _certificate("Committee seal 2027", None, None)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"a", renewed_key, renewed, cas,
                                                           NoEncryption()))
    assert seal_name() == "Committee seal 2027"


def test_the_pdf_is_created_at_the_start_of_its_day_of_issue_in_kazakhstan(documents,
                                                                          seal_app):
    """It read 00:00 UTC of the day of issue: sealed at 04:26 in Astana (23:26 UTC the evening
    before), the PDF said it was created after its seal."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    _folder, plain, sealed, _roots = documents
    issued_on = demo_certificate_context()["issued_on"]
    zone = ZoneInfo(seal_app.config["BABEL_DEFAULT_TIMEZONE"])
    for pdf in (plain, sealed):
        created = PdfReader(io.BytesIO(pdf.content)).metadata.creation_date
        assert created == dt.datetime.combine(issued_on, dt.time(), tzinfo=zone)
        assert created.utcoffset() == dt.timedelta(hours=5)
