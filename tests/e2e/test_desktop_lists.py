"""The registrar's lists on a desktop screen in Kazakh, whose words are long: a reference or a
BIN is read and typed whole, never broken across lines."""

import pytest
from playwright.sync_api import expect
from test_phones import sign_in

pytestmark = pytest.mark.e2e

BROKEN_REFERENCES = """Array.from(document.querySelectorAll('main td.ref > a, main span.ref'))
  .filter(element => element.getClientRects().length > 1).map(element => element.textContent)"""


def test_references_and_bins_stay_whole_in_the_registrars_lists(demo_server, browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, "registrar@demo.certtrack.kz")
    page.locator("#lang-select").select_option("kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.goto(demo_server.url + "/registrar/")
    assert page.locator("main td.ref > a").count() > 10
    assert page.evaluate(BROKEN_REFERENCES) == []
    context.close()
