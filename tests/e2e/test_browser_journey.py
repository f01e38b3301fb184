"""The whole story in a real browser: an exporter applies, an inspector works the application,
a registrar registers it and issues the certificate, and a visitor who scans the QR code sees
that it is valid. Every step is done through the pages, as a person would, and photographed."""

import hashlib
import re
import subprocess
from datetime import date

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from certtrack.domain.calendar import load_calendar
from certtrack.services.reference import reference_dir

from factories import PDF_BYTES

pytestmark = pytest.mark.e2e

BIN = "940140000385"
NAMES = {
    "Legal name in English": "Steppe Grain LLP",
    "Legal name in Kazakh": "Қазақ Дала Әлем Астығы Үйі ЖШС",
    "Legal name in Russian": "ТОО «Степное зерно»",
    "Legal name in Chinese": "草原粮食有限责任公司",
}
CHINA_NUMBER = "CKAZ11A0012026WH01"
# The wheat parameters limits.csv marks required, with compliant results as a laboratory reports
# them: (text of the parameter in the list, value, unit) or (text, None, None) for "not detected".
LAB_RESULTS = (
    ("deoxynivalenol (DON)", "180", "µg/kg"),
    ("lead", "0.04", "mg/kg"),
    ("cadmium", "0.02", "mg/kg"),
    ("aflatoxin B1", "0.8", "µg/kg"),
    ("Tilletia controversa", None, None),
)


def _register_enterprise(exporter):
    page = exporter.page
    expect(page.locator("h1")).to_contain_text("Welcome, Aigerim Nurlanovna")
    exporter.snap("exporter-welcome")
    page.get_by_role("link", name="Register your enterprise").click()
    form = page.locator("main form")
    form.get_by_label("BIN").fill(BIN)
    form.get_by_label("Legal form").select_option(label="Limited liability partnership (LLP)")
    form.get_by_label("Legal representative").fill("Arman Bekov")
    for label, name in NAMES.items():
        form.get_by_label(label).fill(name)
    form.get_by_label("Region").select_option(label="Akmola Region (KZ-11)")
    form.get_by_label("Legal address").fill("Kokshetau, Abai street 1")
    exporter.snap("exporter-enterprise-form")
    exporter.button("Register", form)
    exporter.flash("Your enterprise is registered. Now add an establishment.")


def _add_establishment(exporter):
    page = exporter.page
    expect(page.locator("h1")).to_have_text("Add an establishment")
    form = page.locator("main form")
    form.get_by_label("Name in Kazakh").fill("Kokshetau elevator")
    form.get_by_label("Name in Chinese").fill("科克舍套粮库")
    form.get_by_label("Type").select_option(label="Grain elevator")
    form.get_by_label("Region").select_option(label="Akmola Region (KZ-11)")
    form.get_by_label("Address in Kazakh").fill("Kokshetau, Elevator street 2")
    form.get_by_label("Kazakh registration or accounting number").fill("KZ-11-0001")
    exporter.button("Save", form)
    exporter.flash("The establishment was added.")
    expect(page.locator("main")).to_contain_text(NAMES["Legal name in Kazakh"])
    expect(page.locator("main table")).to_contain_text("Kokshetau elevator")
    exporter.snap("exporter-enterprise-and-establishment")


def _create_application(exporter) -> str:
    page = exporter.page
    page.get_by_role("navigation").get_by_role("link", name="Applications").click()
    page.get_by_role("link", name="New application").first.click()
    form = page.locator("main form")
    form.get_by_label("Kind of application").select_option(label="New registration")
    form.get_by_label("Establishment").select_option(label="Kokshetau elevator")
    form.get_by_label("GACC product category").select_option(label="Edible grains")
    form.get_by_label("HACCP", exact=True).select_option(label="HACCP certified")
    form.get_by_label("Traceability procedure").fill("Lot numbers from farm to silo")
    form.get_by_label("Production capacity, tonnes per day").fill("400")
    form.get_by_label("Storage capacity, tonnes").fill("5000")
    form.get_by_label("Water source").select_option(label="Municipal supply")
    form.get_by_label("Staff").fill("25")
    exporter.button("Save draft", form)
    exporter.flash("Draft saved. Add products and documents, then submit.")
    exporter.state("Draft")
    heading = page.locator("h1").inner_text()
    exporter.snap("exporter-draft")
    return heading.removeprefix("Application ").strip()


def _add_wheat(exporter):
    page = exporter.page
    page.get_by_label("Search the catalogue by name or HS code").fill("wheat")
    exporter.button("Search")
    product = page.get_by_label("Product", exact=True)
    expect(product.locator("option")).to_have_text(["1001 — Wheat"])
    product.select_option(label="1001 — Wheat")
    page.get_by_label("Annual volume").fill("12000")
    page.get_by_label("Unit").select_option(label="tonnes")
    exporter.snap("exporter-catalogue-search")
    exporter.button("Add product")
    exporter.flash("The product was added.")
    expect(page.locator("main table").first).to_contain_text("Wheat")


def _upload_documents(exporter) -> int:
    page = exporter.page
    choices = page.get_by_label("Document", exact=True).locator("option").all_inner_texts()
    required = [text for text in choices if not text.endswith("(optional)")]
    assert len(required) >= 4, choices
    for number, document in enumerate(required, start=1):
        page.get_by_label("Document", exact=True).select_option(label=document)
        page.get_by_label("File (PDF, JPEG or PNG)").set_input_files(
            {"name": f"document-{number}.pdf", "mimeType": "application/pdf",
             "buffer": PDF_BYTES})
        exporter.button("Upload")
        exporter.flash(f"“document-{number}.pdf” was uploaded.")
    expect(page.locator("main")).to_contain_text("Ready to submit")
    exporter.snap("exporter-documents-uploaded")
    return len(required)


def _submit(exporter):
    submit = exporter.page.locator("#submit")
    submit.get_by_label("I understand, and I want to go ahead.").check()
    exporter.button("Submit application", submit)
    exporter.flash("The application was submitted.")
    exporter.state("Submitted")
    exporter.snap("exporter-submitted")


def exporter_applies(new_person) -> str:
    exporter = new_person()
    exporter.sign_in("aigerim@steppe-grain.kz")
    _register_enterprise(exporter)
    _add_establishment(exporter)
    reference = _create_application(exporter)
    _add_wheat(exporter)
    _upload_documents(exporter)
    _submit(exporter)
    exporter.sign_out()
    return reference


def _review_documents(inspector, reference: str):
    page = inspector.page
    expect(page.locator("h1")).to_have_text("Work queue")
    row = page.locator("table.queue tbody tr", has_text=reference)
    expect(row).to_contain_text(NAMES["Legal name in English"])
    expect(row).to_contain_text("Submitted")
    inspector.snap("inspector-work-queue")
    row.get_by_role("link", name=reference).click()
    inspector.button("Start the completeness check")
    inspector.flash("The completeness check has started.")
    inspector.state("Under review")
    rows = page.locator("#completeness tbody tr")
    for index in range(rows.count()):
        inspector.button("Accept", rows.nth(index))
        inspector.flash("The document decision was recorded.")
    for text in rows.locator("td:nth-child(3)").all_inner_texts():
        assert text.strip() == "Accepted"
    inspector.snap("inspector-documents-accepted")


def _inspect(inspector, today: str):
    page = inspector.page
    schedule = page.locator("#action-schedule_inspection")
    schedule.get_by_label("Mode").select_option(label="On-site inspection")
    schedule.get_by_label("Date").fill(today)
    schedule.get_by_label("Inspectors").select_option(label="Daulet Seitkali (Akmola Region)")
    calendar = load_calendar(reference_dir() / "holidays.csv")
    if not calendar.is_working_day(date.fromisoformat(today)):  # a run on a day off
        schedule.get_by_label("Outside working hours", exact=True).check()
        schedule.get_by_label("Why outside working hours").fill("Test run on a day off")
    inspector.button("Schedule the inspection", schedule)
    inspector.flash("The inspection is scheduled and the exporter notified.")
    inspector.state("Inspection scheduled")
    inspector.snap("inspector-inspection-scheduled")
    record = page.locator("#action-record_inspection")
    record.get_by_label("Inspected on").fill(today)
    for answer in record.locator("select[name^='answer_']").all():
        answer.select_option(label="Yes")
    record.get_by_label("Summary", exact=True).fill("Элеватор чистый и сухой; живых насекомых нет.")
    record.get_by_label("Summary for the dossier").fill(
        "Elevator clean and dry; no live insects found.")
    record.get_by_label("I understand, and I want to go ahead.").check()
    inspector.button("Record the inspection", record)
    inspector.flash("The inspection was recorded.")
    inspector.state("Inspected")
    inspector.snap("inspector-inspection-recorded")


def _record_sample(inspector, today: str):
    page = inspector.page
    card = page.locator("#panel-laboratory .card", has_text="Record a sample")
    card.get_by_label("Sample code").fill("AKM-2026-001")
    card.get_by_label("Product").select_option(label="Wheat")
    card.get_by_label("Taken on").fill(today)
    card.get_by_label("Matrix").fill("wheat grain")
    card.get_by_label("Laboratory").fill("National Reference Laboratory, Astana")
    inspector.button("Record sample", card)
    inspector.flash("Sample AKM-2026-001 was recorded.")
    send = page.locator("form[action$='/send-to-lab']")
    send.get_by_label("I understand, and I want to go ahead.").check()
    inspector.button("Send samples to the laboratory", send)
    inspector.flash("1 sample was sent to the laboratory.")
    inspector.state("Laboratory testing")
    inspector.snap("inspector-sample-sent")


def _enter_results(inspector, today: str):
    page = inspector.page
    page.get_by_role("link", name="Enter results for sample AKM-2026-001").click()
    for parameter, value, unit in LAB_RESULTS:
        chooser = page.get_by_label("Parameter")
        choice = chooser.locator("option", has_text=parameter)
        chooser.select_option(value=choice.get_attribute("value"))
        if value is None:
            page.get_by_label("Detected").select_option(label="Not detected / absent")
        else:
            page.get_by_label("Value").fill(value)
            page.get_by_label("Unit").fill(unit)
        page.get_by_label("Method").fill("GB 5009")
        page.get_by_label("Tested on").fill(today)
        inspector.button("Record result")
        inspector.flash(parameter)
        expect(page.locator(".flash-success")).to_be_visible()
    results = page.locator("main table tbody tr")
    expect(results).to_have_count(len(LAB_RESULTS))
    for verdict in results.locator("td:nth-child(5) .badge").all_inner_texts():
        assert verdict == "Compliant"
    inspector.snap("inspector-laboratory-results")
    page.get_by_role("link", name=re.compile(r"Application ")).click()


def _conclude(inspector):
    complete = inspector.page.locator("form[action$='/lab-results-complete']")
    complete.get_by_label("I understand, and I want to go ahead.").check()
    inspector.button("Close laboratory testing", complete)
    inspector.flash("Laboratory testing is complete; the exporter was notified.")
    inspector.state("Inspected")
    conclusion = inspector.page.locator("section#panel-conclusion")
    expect(conclusion).to_contain_text("every required laboratory result is valid and compliant")
    conclusion.get_by_label("Conclusion").fill(
        "The elevator meets the requirements for export of wheat to China.")
    positive = conclusion.locator("form[action$='/conclusion/positive']")
    positive.get_by_label("I understand, and I want to go ahead.").check()
    inspector.button("Positive conclusion", positive)
    inspector.flash("The positive conclusion was recorded.")
    inspector.state("Positive conclusion")
    inspector.snap("inspector-positive-conclusion")


def inspector_works_it(new_person, reference: str):
    inspector = new_person()
    inspector.sign_in("inspector@akmola.gov.kz")
    today = inspector.server.today().isoformat()
    _review_documents(inspector, reference)
    _inspect(inspector, today)
    _record_sample(inspector, today)
    _enter_results(inspector, today)
    _conclude(inspector)
    inspector.sign_out()


def _recommend_and_batch(registrar, reference: str, today: str):
    page = registrar.page
    expect(page.locator("h1")).to_have_text("Registrar queue")
    to_recommend = page.locator("#to-recommend")
    to_recommend.get_by_label(reference).check()
    registrar.snap("registrar-queue")
    to_recommend.get_by_label("I understand, and I want to go ahead.").check()
    registrar.button("Recommend the ticked applications", to_recommend)
    registrar.flash("1 application recommended to GACC.")
    to_batch = page.locator("#to-batch")
    expect(to_batch).to_contain_text("Recommended to GACC")
    to_batch.get_by_label(reference).check()
    to_batch.get_by_label("Batch reference").fill("KZ-GACC-2026-014")
    to_batch.get_by_label("Sent to GACC on").fill(today)
    to_batch.get_by_label("I understand, and I want to go ahead.").check()
    registrar.button("Send the ticked applications to GACC as one batch", to_batch)
    registrar.flash("Batch KZ-GACC-2026-014 sent to GACC.")
    expect(page.locator("main table")).to_contain_text("Submitted to GACC")
    registrar.snap("registrar-gacc-batch")


def _record_registration(registrar, reference: str, today: str):
    page = registrar.page
    page.get_by_role("link", name=reference).click()
    registrar.state("Submitted to GACC")
    page.get_by_role("link", name="Record the registration").click()
    form = page.locator("main form")
    form.get_by_label("China registration number").fill(CHINA_NUMBER)
    form.get_by_label("Listing date").fill(today)
    form.get_by_label("Route").select_option(
        label="Under the guarantee of the Kazakh authority")
    form.get_by_label("I understand, and I want to go ahead.").check()
    registrar.snap("registrar-registration-form")
    registrar.button("Record the registration", form)
    registrar.flash(f"Registration {CHINA_NUMBER} recorded")
    registrar.state("Registered in China")
    expect(page.locator("#registration-panel")).to_contain_text(CHINA_NUMBER)
    registrar.snap("registrar-registered")


def registrar_registers(new_person, reference: str):
    registrar = new_person()
    registrar.sign_in("registrar@minagri.gov.kz")
    today = registrar.server.today().isoformat()
    _recommend_and_batch(registrar, reference, today)
    _record_registration(registrar, reference, today)
    return registrar


def _issue_certificate(registrar) -> str:
    page = registrar.page
    page.locator("#registration-panel").get_by_role("link", name=CHINA_NUMBER).click()
    expect(page.locator("h1")).to_have_text(f"China registration {CHINA_NUMBER}")
    certificates = page.locator("#certificates")
    expect(certificates).to_contain_text("No certificate has been issued for this registration.")
    registrar.snap("registrar-registration-before-issue")
    certificates.get_by_label("I understand, and I want to go ahead.").check()
    registrar.button("Issue the certificate", certificates)
    registrar.flash("is issued; the exporter is told.")
    flash = page.locator(".flashes").inner_text()
    number = re.search(r"Certificate (KZ-CN-\d{4}-\d{6}) is issued", flash).group(1)
    row = certificates.locator("tbody tr", has_text=number)
    expect(row.locator(".badge")).to_have_text("Valid")
    registrar.snap("registrar-certificate-issued")
    return number


def _download_certificate(registrar, number: str, tmp_path) -> bytes:
    row = registrar.page.locator("#certificates tbody tr", has_text=number)
    with registrar.page.expect_download() as download:
        row.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == f"{number}.pdf"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert row.locator("code.hash").inner_text().strip() == hashlib.sha256(content).hexdigest()
    return content


def _scan_qr_code(pdf: bytes, tmp_path, shot) -> str:
    """What a phone's camera reads from the printed certificate: the QR code's text."""
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "certificate.pdf"), str(tmp_path / "page")], check=True)
    shot.save_image(tmp_path / "page.png", "issued-certificate-pdf")
    with Image.open(tmp_path / "page.png") as image:
        codes = zxingcpp.read_barcodes(image)
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode]
    return codes[0].text


def _stored_verification_url(server, number: str) -> str:
    from certtrack.extensions import db
    from certtrack.models import Certificate
    from certtrack.services.notifications import verification_url

    with server.app.app_context():
        certificate = db.session.query(Certificate).filter_by(number=number).one()
        return verification_url(certificate.number, certificate.verification_code)


def visitor_verifies(new_person, number: str, pdf: bytes, tmp_path):
    visitor = new_person()
    server = visitor.server
    url = _scan_qr_code(pdf, tmp_path, visitor.shot)
    assert url == _stored_verification_url(server, number)
    assert url.startswith(f"{server.url}/verify/{number}/")
    visitor.page.goto(url)
    page = visitor.page
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.locator("#certificate-status")).to_have_text("Valid")
    expect(page.locator("main")).to_contain_text("This certificate is genuine and in force today.")
    for text in (number, CHINA_NUMBER, NAMES["Legal name in Kazakh"], "Wheat"):
        expect(page.locator("main")).to_contain_text(text)
    assert page.locator("#issued-sha256").inner_text().strip() == hashlib.sha256(pdf).hexdigest()
    visitor.snap("visitor-verification-valid")
    check = page.locator("#check-pdf")
    check.get_by_label("The PDF you received").set_input_files(
        {"name": f"{number}.pdf", "mimeType": "application/pdf", "buffer": pdf})
    visitor.button("Compare", check)
    expect(page.locator("#pdf-result")).to_contain_text("Identical")
    expect(page.locator("#certificate-status")).to_have_text("Valid")
    visitor.snap("visitor-pdf-identical")
    visitor.context.close()


def test_the_whole_story_in_a_real_browser(new_person, tmp_path):
    reference = exporter_applies(new_person)
    inspector_works_it(new_person, reference)
    registrar = registrar_registers(new_person, reference)
    number = _issue_certificate(registrar)
    pdf = _download_certificate(registrar, number, tmp_path)
    registrar.sign_out()
    visitor_verifies(new_person, number, pdf, tmp_path)
