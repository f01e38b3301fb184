"""A consignment in a real browser: an exporter with a registration in force requests the
phytosanitary certificate of a wagon of wheat, the inspector inspects it, records a laboratory
result and a fumigation and issues it; the PDF's text says what China's border checks, and a
signed-out visitor who scans its QR code sees that it is valid and the registration's status."""

import re
import subprocess

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CONSIGNEE = "新疆粮食进口有限公司"
CONSIGNEE_ADDRESS = "乌鲁木齐市喀什西路88号"
WAGON = "Wagon 95123451, seal KZ 778812"


def _registration_in_force(server):
    """An enterprise with a wheat registration listed a month ago (through the services)."""
    from datetime import timedelta

    from certtrack.extensions import db
    from certtrack.services.applications import local_today

    from consignment_factories import listed_in_english
    from factories import make_registration, make_user

    with server.app.test_request_context():
        exporter, _application, registration = make_registration(
            make_user("registrar", "consignment-registrar@example.kz"),
            local_today() - timedelta(days=30), number="CKAZ1001GR26000777")
        listed_in_english(registration.establishment)  # as its certificate prints it
        found = (exporter.email, registration.china_number)
        db.session.remove()
    return found


def _choose(select, text: str) -> None:
    """Pick the option of a select whose label contains `text`, as a person reading it would."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value=value)


def _request(exporter, china_number: str) -> str:
    page = exporter.page
    page.get_by_role("link", name="Consignments").click()
    page.get_by_role("link", name="New consignment").click()
    form = page.locator("main form")
    _choose(form.get_by_label("China registration"), china_number)
    form.get_by_label("Consignee in China").fill(CONSIGNEE)
    form.get_by_label("Consignee's address").fill(CONSIGNEE_ADDRESS)
    form.get_by_label("Means of conveyance").select_option(label="Rail wagon")
    form.get_by_label("Point of entry").select_option(label="Dostyk – Alashankou")
    form.get_by_label("Region of origin").select_option(label="Akmola Region (KZ-11)")
    exporter.snap("consignment-request-form")
    exporter.button("Save draft", form)
    exporter.flash("Draft saved.")
    lot = page.locator("#add-lot form")
    _choose(lot.get_by_label("Product"), "1001")
    lot.get_by_label("Net weight").fill("65.5")
    lot.get_by_label("Gross weight").fill("65.7")
    lot.get_by_label("Unit").select_option(label="tonnes")
    lot.get_by_label("Number of packages").fill("1")
    lot.get_by_label("Kind of packages").select_option(label="In bulk")
    lot.get_by_label("Distinguishing marks (wagon, container and seal numbers)").fill(WAGON)
    exporter.button("Add lot", lot)
    exporter.flash("The lot was added.")
    page.locator("#submit").get_by_label("I understand, and I want to go ahead.").check()
    exporter.button("Submit", page.locator("#submit"))
    exporter.flash("The certificate is due by")
    expect(page.locator("#consignment-state")).to_have_text("Submitted")
    exporter.snap("consignment-submitted")
    return page.locator("h1").inner_text().removeprefix("Consignment ").strip()


def _inspect_and_issue(inspector, reference: str, today: str) -> str:
    page = inspector.page
    page.get_by_role("link", name="Consignments").click()
    page.get_by_role("link", name=reference).click()
    inspector.button("Start the inspection")
    inspector.flash("The inspection has started.")
    form = page.locator("#inspection form")
    form.get_by_label("Inspected on").fill(today)
    form.get_by_label("Place of inspection").fill("Dostyk station, track 4")
    form.get_by_label("Result").select_option(label="Satisfactory")
    inspector.button("Record the inspection", form)
    inspector.flash("The inspection was recorded.")
    form = page.locator("#laboratory form")
    _choose(form.get_by_label("Parameter"), "lead")
    form.get_by_label("Sample code").fill("S-1")
    form.get_by_label("Laboratory").fill("Kokshetau phytosanitary laboratory")
    form.get_by_label("Value").fill("0.04")
    form.get_by_label("Unit", exact=True).fill("mg/kg")
    form.get_by_label("Tested on").fill(today)
    inspector.button("Record the result", form)
    inspector.flash("The laboratory result was recorded.")
    for pest in ("Tilletia controversa", "Tilletia indica"):  # the wording rests on their tests
        form = page.locator("#laboratory form")
        _choose(form.get_by_label("Parameter"), pest)
        form.get_by_label("Sample code").fill("S-2")
        form.get_by_label("Laboratory").fill("Kokshetau phytosanitary laboratory")
        form.get_by_label("Detected").select_option(label="Not detected / absent")
        form.get_by_label("Tested on").fill(today)
        inspector.button("Record the result", form)
        inspector.flash("The laboratory result was recorded.")
    form = page.locator("#treatments form")
    form.get_by_label("Treatment", exact=True).select_option(label="Fumigation")
    form.get_by_label("Chemical (active ingredient)").fill("aluminium phosphide")
    form.get_by_label("Dose or concentration").fill("3 g/m³")
    form.get_by_label("Temperature, °C").fill("20")
    form.get_by_label("Duration", exact=True).fill("120 h")
    form.get_by_label("Date of treatment").fill(today)
    inspector.button("Record the treatment", form)
    inspector.flash("The treatment was recorded.")
    form = page.locator("#declarations form")  # every statement the protocol requires
    boxes = form.get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    for n in range(3):
        boxes.nth(n).check()
    inspector.button("Save the declarations", form)
    inspector.flash("The declarations were saved.")
    inspector.snap("consignment-inspected")
    page.locator("#issue").get_by_label("I understand, and I want to go ahead.").check()
    inspector.button("Issue the certificate", page.locator("#issue"))
    inspector.flash("is issued; the exporter is told.")
    number = re.search(r"Certificate (KZ-PC-\d{4}-\d{6}) is issued",
                       page.locator(".flashes").inner_text()).group(1)
    inspector.snap("consignment-certificate-issued")
    return number


def _download(person, number: str, tmp_path) -> bytes:
    with person.page.expect_download() as download:
        person.page.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename == f"{number}.pdf"
    path = tmp_path / f"{number}.pdf"
    download.value.save_as(path)
    return path.read_bytes()


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _scan_qr_code(path, tmp_path) -> str:
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode]
    return codes[0].text


def test_a_wheat_consignment_from_request_to_verification(new_person, live_server, tmp_path):
    email, china_number = _registration_in_force(live_server)
    exporter = new_person()
    exporter.sign_in(email)
    reference = _request(exporter, china_number)
    exporter.sign_out()
    inspector = new_person()
    inspector.sign_in("inspector@akmola.gov.kz")
    number = _inspect_and_issue(inspector, reference, live_server.today().isoformat())
    pdf = _download(inspector, number, tmp_path)
    inspector.sign_out()
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = _pdf_text(path)
    for expected in (CONSIGNEE, "Dostyk", "65.5", china_number, "Fumigation",
                     "aluminium phosphide", "PHYTOSANITARY CERTIFICATE", "植物检疫证书", number):
        assert expected in text, expected
    url = _scan_qr_code(path, tmp_path)
    assert url.startswith(f"{live_server.url}/verify/consignment/{number}/")
    visitor = new_person()
    visitor.page.goto(url)
    page = visitor.page
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.locator("#certificate-status")).to_have_text("Valid")
    expect(page.locator("#registration-status")).to_have_text("Active")
    expect(page.locator("main")).to_contain_text(china_number)
    visitor.snap("visitor-consignment-certificate-valid")
