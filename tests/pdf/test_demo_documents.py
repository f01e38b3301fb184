"""`flask demo-documents` renders the demo certificate and dossier; their content is checked."""

import json
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from certtrack import create_app
from certtrack.demo.certificate import demo_certificate_context
from certtrack.pdf import certificate_json

KAZAKH_NAME = "«Талдықорған Ет-Сүт Кәсіпорны» ЖШС"
CHINESE_LABELS = ("证书编号", "签发日期", "企业名称", "生产企业及地址", "在华注册编号", "有效期",
                  "HS编码", "产品名称")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    outdir = tmp_path_factory.mktemp("demo-documents")
    result = app.test_cli_runner().invoke(args=["demo-documents", str(outdir)])
    assert result.exit_code == 0, result.output
    assert "certificate.pdf (1 page)" in result.output
    # Every statement its protocol requires still leaves the officer and the QR code on page 1.
    assert "phytosanitary-certificate.pdf (1 page)" in result.output
    assert "veterinary-certificate.pdf (1 page)" in result.output
    return outdir


@pytest.fixture(scope="module")
def certificate(demo_dir):
    return PdfReader(demo_dir / "certificate.pdf")


@pytest.fixture(scope="module")
def dossier(demo_dir):
    return PdfReader(demo_dir / "dossier.pdf")


def _text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _font_dicts(resources, seen):
    """Every font dictionary reachable from a resource dictionary, form XObjects included."""
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _font_dicts(xobject.get("/Resources"), seen)


def _unembedded_fonts(reader) -> list[str]:
    seen, missing, count = set(), [], 0
    for page in reader.pages:
        for font in _font_dicts(page.get("/Resources"), seen):
            count += 1
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not {"/FontFile", "/FontFile2", "/FontFile3"} & set(
                    descriptor.get_object()):
                missing.append(str(font.get("/BaseFont")))
    assert count, "no fonts found"
    return missing


def test_certificate_text_is_trilingual_with_the_kazakh_letters(certificate):
    assert len(certificate.pages) == 1
    text = _text(certificate)
    assert KAZAKH_NAME in text
    assert {"ә", "қ", "ү"} <= set(KAZAKH_NAME) and all(letter in text for letter in "әқү")
    for label in CHINESE_LABELS:
        assert label in text, label
    squeezed = "".join(text.split())  # the titles are letter-spaced
    assert "出口资格证书" in squeezed
    assert "CERTIFICATEOFEXPORTELIGIBILITY" in squeezed
    for hs_code, product in (("0201", "Салқындатылған сиыр еті"), ("0202", "冷冻牛肉"),
                             ("0204", "Mutton and lamb, frozen")):
        assert re.search(rf"\b{hs_code}\b", text), hs_code
        assert product in text
    assert "CKAZ0202MT24000715" in text
    assert "961141000023" in text
    assert "KZ-CN-2026-000042" in text


def test_every_font_is_embedded(certificate, dossier):
    assert _unembedded_fonts(certificate) == []
    assert _unembedded_fonts(dossier) == []


def test_qr_code_decodes_to_the_verification_url(demo_dir, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile",
                    str(demo_dir / "certificate.pdf"), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [demo_certificate_context()["verification_url"]]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode


def test_embedded_json_is_the_certificate_data(certificate):
    assert list(certificate.attachments) == ["certificate.json"]
    (content,) = certificate.attachments["certificate.json"]
    context = demo_certificate_context()
    assert content == certificate_json(context)
    data = json.loads(content)
    assert data["china_registration_number"] == context["china_registration_number"]
    assert data["valid_from"] == context["valid_from"].isoformat()
    assert data["enterprise"]["name"]["kk"] == KAZAKH_NAME


def test_certificate_declares_pdf_a_3b(certificate):
    root = certificate.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp)
    assert re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert root["/OutputIntents"]
    (filespec,) = {reference.idnum for reference in root["/AF"]}
    assert certificate.get_object(filespec)["/AFRelationship"] == "/Data"


def test_draft_preview_is_watermarked_and_carries_no_data(demo_dir):
    draft = PdfReader(demo_dir / "certificate-draft.pdf")
    text = _text(draft)
    assert "DRAFT" in text and "草稿" in text
    assert KAZAKH_NAME in text
    assert dict(draft.attachments) == {}
    # as the registrar's preview prints it: no issued number, no issued certificate's code
    assert "KZ-CN-2026-DRAFT" in text and "KZ-CN-2026-000042" not in text


def test_the_demo_certificate_is_issuable_and_its_host_is_a_reserved_one(certificate):
    """Its legal address was in Cyrillic only, which issuing refuses (GACC reads Latin or
    Chinese); its QR code led to certtrack.example.kz, a host someone may own."""
    text = " ".join(_text(certificate).split())
    assert "Zhetysu Region, Taldykorgan, Abai Street 12" in text and "Абай" not in text
    assert demo_certificate_context()["verification_url"].startswith(
        "https://certtrack.example/verify/")


def test_the_registrations_validity_is_printed_on_one_line(demo_dir):
    """"02.03.2026 –" ended a line and "01.03.2031" began the next."""  # demo dates since
    text = subprocess.run(["pdftotext", "-layout", str(demo_dir / "certificate.pdf"), "-"],
                          check=True, capture_output=True).stdout.decode()
    assert any("12.03.2026 – 11.03.2031" in line for line in text.splitlines())


def _toc_entries(reader) -> list[tuple[str, str, int]]:
    entries = []
    for page in reader.pages:
        text = page.extract_text()
        if not text.lstrip().startswith("Contents"):
            continue
        for line in text.splitlines():
            match = re.match(r"^(\d+(?:\.\d+)*)\s+(.+?)\s*\.{3,}\s*(\d+)$", line.strip())
            if match:
                entries.append((match[1], " ".join(match[2].split()), int(match[3])))
    return entries


def _first_page_with_heading(texts: list[str], heading: str, skip: set[int]) -> int | None:
    for number, text in enumerate(texts, start=1):
        if number in skip:
            continue
        if heading in {" ".join(line.split()) for line in text.splitlines()}:
            return number
    return None


def test_dossier_contents_page_numbers_match_the_headings(dossier):
    entries = _toc_entries(dossier)
    enterprises = [entry for entry in entries if re.fullmatch(r"3\.\d+", entry[0])]
    assert len(enterprises) == 3
    assert len(entries) == 3 + 3 * 9
    texts = [page.extract_text() for page in dossier.pages]  # each page's text read once
    toc_pages = {number for number, text in enumerate(texts, start=1)
                 if text.lstrip().startswith("Contents")}
    outline = {" ".join(item.title.split()): dossier.get_destination_page_number(item) + 1
               for item in _flatten(dossier.outline)}
    for number, title, page in entries:
        heading = f"{number} {title}"
        assert _first_page_with_heading(texts, heading, toc_pages) == page, heading
        assert outline[heading] == page, heading


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_dossier_pages_have_running_header_and_page_x_of_y(dossier):
    total = len(dossier.pages)
    assert total >= 10
    for number, page in enumerate(dossier.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert f"第 {number} 页，共 {total} 页" in text
        if number > 1:
            assert "Recommendation dossier · 推荐材料 · VET-REC-2026-03" in text
    last_text = dossier.pages[-1].extract_text()
    assert "3.3 Kapshagay Lamb LLP" in " ".join(last_text.split())


def test_dossier_lists_documents_with_their_sha256(dossier):
    text = "".join(_text(dossier).split())
    hashes = re.findall(r"[0-9a-f]{64}", text)
    assert len(hashes) == 3 * 7  # printed in two halves of 32 characters, rejoined above


def _pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("name, number, china_number, headings, words", [
    ("phytosanitary-certificate.pdf", "KZ-PC-2026-000123", "CKAZ1001GR25000342",
     ("PHYTOSANITARY CERTIFICATE", "植物检疫证书"),
     ("Dostyk", "Fumigation", "aluminium phosphide", "65.5", "新疆粮食进口有限公司",
      "Tilletia", "quarantine pests and weed seeds of concern to China",
      "Концентрация")),  # section III's headers in Kazakh too
    ("veterinary-certificate.pdf", "KZ-VC-2026-000045", "CKAZ0202MT24000715",
     ("兽医卫生证书",),
     ("Nur Zholy", "18 000 kg", "Container MSKU", "\u221218 °C", "霍尔果斯清真肉类贸易有限公司",
      "Yerlan Sadykov")),
])
def test_the_consignment_certificates_name_the_china_registration_number(
        demo_dir, name, number, china_number, headings, words):
    text = _pdftotext(demo_dir / name)
    assert number in text and china_number in text
    for word in headings + words:
        assert word in text, word
    attached = PdfReader(demo_dir / name).attachments["certificate.json"][0]
    assert china_number in attached.decode()


def test_a_long_chinese_name_stays_in_its_column_of_the_list_of_enterprises(demo_dir):
    """The first enterprise's Chinese name has 18 characters without a break: it wraps inside
    the enterprise's column instead of running over its BIN."""
    boxes = subprocess.run(["pdftotext", "-f", "3", "-l", "3", "-bbox",
                            str(demo_dir / "dossier.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                       r'yMax="[\d.]+">([^<]+)</word>', boxes)
    bin_left = min(float(left) for left, _, word in words if word == "961141000023")
    # The enterprise's name: it starts in its column (the establishment's Chinese name, in a
    # column further right, starts with the same city).
    name = [float(right) for left, right, word in words
            if word.startswith("塔尔迪库尔干") and float(left) < bin_left]
    assert name and max(name) < bin_left


@pytest.mark.parametrize("name", ["certificate.pdf", "phytosanitary-certificate.pdf",
                                  "veterinary-certificate.pdf"])
def test_the_printed_address_breaks_only_after_a_slash(demo_dir, name):
    """An officer types the printed address when the QR code will not scan: its lines end at
    a "/", so the number and the code are never cut at one of their hyphens."""
    text = subprocess.run(["pdftotext", str(demo_dir / name), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [line.strip() for line in text[text.index("https://"):].splitlines()]
    end = next(index for index, line in enumerate(lines) if not line.endswith("/"))
    address = "".join(lines[:end + 1])
    number, code = address.split("/")[-2:]
    assert re.fullmatch(r"KZ-(CN|PC|VC)-\d{4}-\d{6}", number), lines[:end + 1]
    assert re.fullmatch(r"([0-9A-Z]{4}-){5}[0-9A-Z]{4}", code), lines[:end + 1]


@pytest.mark.parametrize("name", ["certificate.pdf", "phytosanitary-certificate.pdf",
                                  "veterinary-certificate.pdf"])
def test_the_printed_address_opens_the_verification_page_from_the_pdf(demo_dir, name):
    """Read on a screen, the printed address was plain text: a customs officer copied it by
    hand. Each of its lines is now a link to the same page as the QR code."""
    text = subprocess.run(["pdftotext", str(demo_dir / name), "-"], check=True,
                          capture_output=True, text=True).stdout
    printed = text[text.index("https://"):].split()[0].rstrip("/")
    links = {annotation.get_object()["/A"]["/URI"]
             for page in PdfReader(demo_dir / name).pages
             for annotation in page.get("/Annots") or []
             if annotation.get_object()["/Subtype"] == "/Link"}
    assert len(links) == 1
    (link,) = links
    assert link.startswith(printed) and "/verify/" in link
    assert re.search(r"/KZ-(CN|PC|VC)-\d{4}-\d{6}/([0-9A-Z]{4}-){5}[0-9A-Z]{4}$", link)


@pytest.mark.parametrize(("name", "kazakh"), [
    ("phytosanitary-certificate.pdf", ("№:", "Кімге:", "Таза салмағы", "Орамдар")),
    ("veterinary-certificate.pdf", ("Таза салмағы", "Тауар коды, саны, орам саны",
                                    "Мен, төменде қол қойған ресми ветеринариялық дәрігер")),
])
def test_the_consignment_certificates_fixed_wording_is_in_kazakh_too(demo_dir, name, kazakh):
    text = "".join(subprocess.run(["pdftotext", str(demo_dir / name), "-"], check=True,
                                  capture_output=True, text=True).stdout.split())
    for words in kazakh:  # a narrow column wraps them: compared without white space
        assert "".join(words.split()) in text, words


def test_the_stamps_place_covers_no_printed_word(demo_dir):
    """The dashed circle where the stamp goes (18 mm, about 51 pt) stands beside the signature:
    no word of the officer's name, position or the statement lies under it."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(demo_dir / "certificate.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout
    words = [(float(x0), float(y0), float(x1), float(y1), word) for x0, y0, x1, y1, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                        r'yMax="([\d.]+)">([^<]+)</word>', boxes)]
    (x0, y0, x1, y1, _word), = [w for w in words if w[4] == "L.S."]
    cx, cy, radius = (x0 + x1) / 2, (y0 + y1) / 2, 25.5
    under = [w[4] for w in words if w[4] not in ("М.О.", "L.S.", "印章")
             and w[0] < cx + radius and w[2] > cx - radius
             and w[1] < cy + radius and w[3] > cy - radius]
    assert under == []


@pytest.mark.parametrize("name, origin", [
    ("phytosanitary-certificate.pdf", "Kokshetau 科克舍套, Akmola Region / 阿克莫拉州 / Ақмола "
                                      "облысы, Republic of Kazakhstan / 哈萨克斯坦共和国"),
    ("veterinary-certificate.pdf", "哈萨克斯坦共和国 / Republic of Kazakhstan — "
                                   "Taldykorgan 塔尔迪库尔干，杰特苏州 / Zhetysu Region / "
                                   "Жетісу облысы (KZ-33)"),
])
def test_the_place_of_origin_prints_in_english_and_chinese_before_its_region(demo_dir, name,
                                                                             origin):
    """"Kostanay Region / 科斯塔奈州 / Қостанай облысы, Kostanay district": the place followed
    the region's Kazakh name, as a note to it, and had no Chinese for the border to read."""
    text = " ".join(subprocess.run(["pdftotext", str(demo_dir / name), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert origin in text


def test_the_certifying_statement_says_the_same_in_each_language(demo_dir):
    """The Kazakh statement stopped before "including those for regulated non-quarantine
    pests", which the English and the Chinese certify."""
    text = " ".join(subprocess.run(["pdftotext", str(demo_dir / "phytosanitary-certificate.pdf"),
                                    "-"], check=True, capture_output=True, text=True)
                    .stdout.split())
    assert "including those for regulated non-quarantine pests" in text
    assert "包括有关限定的非检疫性有害生物的要求" in text
    assert "соның ішінде реттелетін карантиндік емес зиянды организмдер жөніндегі" in text


def test_the_dossiers_labels_keep_their_chinese_terms_whole_and_in_both_languages(dossier):
    """"检测日/期", "商业识别/号", "申/请编号": a narrow column broke a label's Chinese term
    between its characters; "Ref.", "Status", "Due" and "Closed" had no Chinese at all."""
    lines = [line.strip() for page in dossier.pages for line in page.extract_text().splitlines()]
    text = "\n".join(lines)
    for term in ("检测日期", "商业识别号", "申请编号", "上传日期", "生产企业"):
        assert term in text, term
    for label in ("Ref. · 编号", "Status · 状态", "Due · 期限", "Closed · 完成日期"):
        assert label in " ".join(text.split()), label


def test_an_enterprises_conclusion_is_not_alone_on_a_page(dossier):
    """Kapshagay's conclusion stood alone on the last page, cut off from its timeline."""
    pages = [page.extract_text() for page in dossier.pages]
    concluding = [text for text in pages if "Conclusion · 结论" in " ".join(text.split())]
    assert len(concluding) == 3
    for text in concluding:
        assert "When · 时间" in " ".join(text.split())


def test_the_demo_letter_says_in_english_what_it_says_in_chinese(dossier):
    """The demo's English letter was its own ("inspected on site by two state veterinary
    inspectors ... meet the requirements of China"), which its Chinese did not say."""
    text = " ".join(dossier.pages[0].extract_text().split())
    assert "Each establishment has been inspected by state inspectors of the competent " \
        "authority" in text and "各企业均已由主管部门国家检查员检查" in text
    assert "on site by two" not in text
