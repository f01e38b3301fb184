"""A form keeps what was entered when something else happens on its page: the language changes
(the page came back in the new language with the form empty: a consignee and an address typed
in Chinese were gone once the exporter picked Russian), or the chosen file is too large (the
server's 413 came on a page of its own, and the document's type chosen was lost)."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from test_phones import sign_in

from certtrack.extensions import db
from certtrack.models import Application, Registration, User

pytestmark = pytest.mark.e2e

EXPORTER = "kostanay-astyk@demo.certtrack.kz"
EXPORTER_WITH_DRAFT = "esil-grain@demo.certtrack.kz"


def test_what_was_typed_stays_when_the_language_changes(demo_server, browser):
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, demo_server, EXPORTER)
    page.goto(demo_server.url + "/exporter/consignments/new")
    page.locator("#consignee_name").fill("Harbin Grain Trading Co., Ltd.")
    page.locator("#consignee_address").fill("18 Songhua Road, Harbin")
    conveyance = page.locator("#conveyance")
    chosen = conveyance.locator("option").nth(2).get_attribute("value")
    conveyance.select_option(chosen)
    page.locator("#lang-select").select_option("zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    expect(page.locator("#consignee_name")).to_have_value("Harbin Grain Trading Co., Ltd.")
    expect(page.locator("#consignee_address")).to_have_value("18 Songhua Road, Harbin")
    expect(page.locator("#conveyance")).to_have_value(chosen)
    page.reload()  # put back once, after the change of language only
    expect(page.locator("#consignee_name")).to_have_value("")
    page.locator("#lang-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_a_file_too_large_is_said_beside_its_field_and_the_form_stays(demo_server, browser):
    with demo_server.app.app_context():
        draft = db.session.scalar(select(Application.id).join(
            User, User.enterprise_id == Application.enterprise_id).where(
            User.email == EXPORTER_WITH_DRAFT, Application.state == "draft")
            .order_by(Application.id))
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, EXPORTER_WITH_DRAFT)
    url = f"{demo_server.url}/exporter/applications/{draft}"
    page.goto(url)
    if page.locator("html").get_attribute("lang") != "en":  # the account reads Russian
        page.locator("#lang-select").select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    chooser = page.locator("#document_type")
    chosen = chooser.locator("option").nth(3).get_attribute("value")
    chooser.select_option(chosen)
    page.locator("#file").set_input_files({"name": "scan.pdf", "mimeType": "application/pdf",
                                           "buffer": b"%PDF-1.4\n" + b"0" * (21 * 1048576)})
    note = page.locator("#file-size-error")
    expect(note).to_have_text(
        "This file is larger than 20 MB, the most accepted: choose a smaller file.")
    page.locator("#file").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    assert page.url == url
    expect(chooser).to_have_value(chosen)
    expect(page.locator("#file")).to_have_attribute("aria-invalid", "true")
    page.locator("#file").set_input_files({"name": "scan.pdf", "mimeType": "application/pdf",
                                           "buffer": b"%PDF-1.4\n"})
    expect(note).to_have_count(0)
    context.close()


def test_a_ticked_confirmation_is_not_kept_across_a_change_of_language(demo_server, browser):
    """A reader who changes the language to read a step's consequence ticks its box again once
    it is read; the reason typed is kept."""
    with demo_server.app.app_context():
        active = db.session.scalar(select(Registration.id).where(
            Registration.status == "active").order_by(Registration.id))
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, "registrar@demo.certtrack.kz")
    page.goto(f"{demo_server.url}/registrar/registrations/{active}")
    page.locator("details:has(form[action$='/suspend']) > summary").click()
    suspend = page.locator("form[action$='/suspend']")
    suspend.locator("textarea[name='reason']").fill("Residues above China's limit in a lot")
    suspend.locator("input[name='confirm']").check()
    target = "zh" if page.locator("html").get_attribute("lang") != "zh" else "kk"
    page.locator("#lang-select").select_option(target)
    expect(page.locator("html")).to_have_attribute("lang", target)
    suspend = page.locator("form[action$='/suspend']")
    expect(suspend.locator("textarea[name='reason']")).to_have_value(
        "Residues above China's limit in a lot")
    expect(suspend.locator("input[name='confirm']")).not_to_be_checked()
    page.locator("#lang-select").select_option("en")
    context.close()
