"""Changing the language in the middle of a form: the page comes back in the new language with
what was typed still in its fields. It came back empty: a consignee and an address typed in
Chinese were gone once the exporter picked Russian."""

import pytest
from playwright.sync_api import expect
from test_phones import sign_in

pytestmark = pytest.mark.e2e

EXPORTER = "kostanay-astyk@demo.certtrack.kz"


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
