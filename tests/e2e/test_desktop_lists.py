"""Desktop screens in Kazakh, whose words are long: a reference or a BIN in the registrar's lists
is read and typed whole, never broken across lines, and the header keeps its order."""

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


HEADER = """(() => {
  const right = document.querySelector('.topbar-right').getBoundingClientRect();
  const links = Array.from(document.querySelectorAll('.topbar nav a'));
  return {below: links.every(a => a.getBoundingClientRect().top >= right.bottom),
          broken: links.filter(a => a.getClientRects().length > 1).map(a => a.textContent),
          brandTop: document.querySelector('.brand').getBoundingClientRect().top};
})()"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_administrators_six_links_in_kazakh_keep_the_header_in_order(
        demo_server, browser, width):
    """Signed in, the name, language and "Sign out" stand beside the brand and the links on a
    row below: six long Kazakh links no longer push them onto a ragged second line."""
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, "admin@demo.certtrack.kz")
    page.locator("#lang-select").select_option("kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    header = page.evaluate(HEADER)
    assert header["below"] and header["broken"] == []
    assert header["brandTop"] >= 6  # not glued to the window's top edge
    context.close()
