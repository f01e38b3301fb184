"""Desktop screens in Kazakh, whose words are long: a reference or a BIN in the registrar's lists
is read and typed whole, never broken across lines, and the header keeps its order."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from test_phones import sign_in

from certtrack.extensions import db
from certtrack.models import Application, Sample

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
          right: [right.top, right.bottom],
          tops: links.map(a => Math.round(a.getBoundingClientRect().top)),
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
    page.wait_for_load_state("load")  # the stylesheet applied before anything is measured
    header = page.evaluate(HEADER)
    assert header["below"], header
    assert header["broken"] == [], header
    assert header["brandTop"] >= 6, header  # not glued to the window's top edge
    context.close()


BROKEN_SHORT_WORDS = """Array.from(document.querySelectorAll('main .table td, main .table th'))
  .filter(cell => cell.children.length === 0
                  && /^[\\u4e00-\\u9fff]{2,4}$/.test(cell.textContent.trim()))
  .filter(cell => { const range = document.createRange(); range.selectNodeContents(cell);
                    return range.getClientRects().length > 1; })
  .map(cell => cell.textContent.trim())"""


@pytest.mark.parametrize(("email", "path"), [
    ("altai-bal@demo.certtrack.kz", "/exporter/registrations"),
    ("registrar@demo.certtrack.kz", "/registrar/"),
])
def test_short_chinese_words_stay_whole_in_table_columns(demo_server, browser, email, path):
    """A category or a column's name of two to four characters is never split over lines by a
    long column beside it (蜂产品 was printed 蜂 / 产 / 品); nor is a certificate's number."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, email)
    page.locator("#lang-select").select_option("zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    page.goto(demo_server.url + path)
    assert page.evaluate("document.querySelectorAll('main .table td').length") > 5
    assert page.evaluate(BROKEN_SHORT_WORDS) == []
    assert page.evaluate(BROKEN_REFERENCES.replace("main td.ref > a, main span.ref",
                                                   "main .ref")) == []
    context.close()


TOO_WIDE = "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


@pytest.mark.parametrize(("email", "paths"), [
    ("registrar@demo.certtrack.kz", ["/registrar/"]),
    ("phyto@demo.certtrack.kz", ["/inspector/?show=all"]),
    (None, ["/register"]),
])
def test_long_russian_state_names_wrap_inside_the_page(demo_server, browser, email, paths):
    """"Рекомендована к регистрации в ГТУ КНР (GACC)" in a badge that never wrapped pushed the
    registrar's table, the inspector's and the register past a 1280-pixel window."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if email:
        sign_in(page, demo_server, email)
    else:
        page.goto(demo_server.url + "/")
    page.locator("#lang-select").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    for path in paths:
        page.goto(demo_server.url + path)
        assert not page.evaluate(TOO_WIDE), path
    context.close()


def test_the_laboratory_results_scroll_in_their_own_box_not_the_page(demo_server, browser):
    """Nine columns in Kazakh were wider than the inspector's card at 1280 pixels: the last
    heading, "Жарамдылық мерзімі", was cut at the window's edge and the page scrolled
    sideways (a result's long source, on the negative conclusion's application)."""
    with demo_server.app.app_context():
        tested = db.session.scalars(select(Application.id).join(Sample).distinct()
                                    .order_by(Application.id)).all()
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, demo_server, "phyto@demo.certtrack.kz")
    page.locator("#lang-select").select_option("kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    shown = []
    for application_id in tested:  # the phytosanitary inspector's; the others answer 404
        answer = page.goto(f"{demo_server.url}/inspector/applications/{application_id}")
        if answer.status == 200 and page.get_by_role(
                "columnheader", name="Жарамдылық мерзімі").count():
            shown.append(application_id)
            assert not page.evaluate(TOO_WIDE), application_id
    assert len(shown) >= 3, shown
    context.close()
