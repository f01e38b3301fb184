"""The exporter's journey on a phone: at 360×740 no page scrolls sideways, the navigation
collapses behind a menu button (a disclosure button, or without JavaScript a checkbox's label),
the language list stays in the header, and tables become stacked rows that name each value."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from certtrack.demo.seed import DEMO_PASSWORD
from certtrack.extensions import db
from certtrack.models import (
    Application,
    Consignment,
    ConsignmentCertificate,
    Inspection,
    User,
)

from forms import totp_code

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
IPHONE = {"width": 390, "height": 844}
EXPORTER = "kostanay-astyk@demo.certtrack.kz"
NEWCOMER = "exporter@demo.certtrack.kz"  # no enterprise yet: the first steps of the journey
FIXED_PAGES = ["/exporter/", "/exporter/enterprise", "/exporter/enterprise/edit",
               "/exporter/establishments/new", "/exporter/applications/new",
               "/exporter/applications/new?find=seed",
               "/exporter/registrations", "/exporter/consignments/",
               "/exporter/consignments/new", "/notifications", "/account"]
PUBLIC_PAGES = ["/", "/login", "/register", "/verify", "/help/terms"]


def exporter_pages(app, email: str = EXPORTER) -> list[str]:
    """Every page of the exporter's journey, with their own applications and consignments."""
    with app.app_context():
        enterprise_id = db.session.scalar(select(User.enterprise_id).where(User.email == email))
        applications = db.session.scalars(select(Application.id).where(
            Application.enterprise_id == enterprise_id).order_by(Application.id)).all()
        consignments = db.session.scalars(select(Consignment.id).where(
            Consignment.enterprise_id == enterprise_id).order_by(Consignment.id)).all()
        drafts = db.session.scalars(select(Application.id).where(
            Application.enterprise_id == enterprise_id, Application.state == "draft")).all()
    return (FIXED_PAGES + [f"/exporter/applications/{i}" for i in applications]
            + [f"/exporter/applications/{i}/edit" for i in drafts]
            + [f"/exporter/consignments/{i}" for i in consignments])


def sign_in(page, server, email: str) -> None:
    """Signed in as `email` (with the cookies of the module's first sign-in of the account)."""
    server.resume(page, email, _sign_in_with_the_form)


def _sign_in_with_the_form(page, server, email: str) -> None:
    page.goto(server.url + "/login")
    form = page.locator("main form")
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Password").fill(DEMO_PASSWORD)
    form.get_by_label("Authentication code").fill(totp_code(server.app, email))
    form.get_by_role("button", name="Sign in").click()
    # The sign-in page has a heading too: wait for the signed-in page itself, and for its script,
    # so that a language chosen next is not chosen on the page being left.
    expect(page.locator("header.signed-in")).to_be_attached()
    page.wait_for_load_state("load")


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="en-US", viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _too_wide(page, url: str, paths: list[str], squeezed_cells: bool = False) -> dict[str, int]:
    """The pages wider than the phone, by width; with `squeezed_cells`, also the number of
    squeezed cells of each page that has any (SQUEEZED_CELLS), read on the same load."""
    wide = {}
    for path in paths:
        response = page.goto(url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
        if squeezed_cells and (squeezed := page.evaluate(SQUEEZED_CELLS)):
            wide[f"{path} squeezed cells"] = squeezed
    return wide


def _rows_wider_than_the_phone(rows) -> list[float]:
    """The widths of the rows wider than the phone's screen, all read in one call to the page
    (one call per row took seconds on a registration's hundred certificates)."""
    return rows.evaluate_all("rows => rows.map(row => row.getBoundingClientRect().width)"
                             f".filter(width => width > {PHONE['width']})")


def test_no_page_of_the_exporters_journey_scrolls_sideways_on_a_phone(demo_server, phone):
    assert _too_wide(phone, demo_server.url, PUBLIC_PAGES) == {}
    sign_in(phone, demo_server, EXPORTER)
    paths = exporter_pages(demo_server.app)
    assert len(paths) > 20
    assert _too_wide(phone, demo_server.url, paths) == {}
    assert not demo_server.errors, demo_server.errors


def test_a_newcomers_first_steps_fit_a_phone(demo_server, phone):
    sign_in(phone, demo_server, NEWCOMER)
    assert _too_wide(phone, demo_server.url, ["/exporter/", "/exporter/enterprise/new"]) == {}


def test_the_navigation_collapses_behind_a_menu_that_needs_no_javascript(demo_server, phone):
    sign_in(phone, demo_server, EXPORTER)
    phone.goto(demo_server.url + "/exporter/")
    navigation = phone.locator("header nav")
    expect(navigation).to_be_hidden()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator("header label.menu-button").click()
    expect(navigation).to_be_visible()
    navigation.locator("a[href='/exporter/consignments/']").click()
    expect(phone.locator("main table")).to_be_visible()
    assert phone.url.endswith("/exporter/consignments/")


def test_the_menu_is_a_button_that_says_whether_it_is_open(demo_server, browser):
    """The menu's control was a visually hidden checkbox: a screen reader announced a checkbox,
    not a button, and never whether the menu was open."""
    context = browser.new_context(locale="en-US", viewport=IPHONE)
    page = context.new_page()
    sign_in(page, demo_server, NEWCOMER)  # in English: the browser's language
    page.goto(demo_server.url + "/exporter/")
    button = page.get_by_role("button", name="Menu", exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = page.locator("#" + button.get_attribute("aria-controls"))
    link = menu.locator("a[href='/exporter/consignments/']")
    expect(link).to_be_hidden()
    assert page.get_by_role("checkbox").count() == 0  # the fallback is gone with the script
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    page.keyboard.press("Tab")  # from the button to the menu's first link
    expect(menu.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    link.click()
    expect(page).to_have_url(demo_server.url + "/exporter/consignments/")
    context.close()


OVERLAPS = """(() => {
  const boxes = ['.brand', '.lang-label', '#lang-select', '#menu-button']
    .map(selector => [selector, document.querySelector(selector).getBoundingClientRect()]);
  const found = [];
  boxes.forEach(([a, one], i) => boxes.slice(i + 1).forEach(([b, other]) => {
    if (one.left < other.right && other.left < one.right && one.top < other.bottom
        && other.top < one.bottom) found.push(`${a} over ${b}`);
  }));
  boxes.forEach(([a, box]) => {
    if (box.width === 0 || box.left < 0 || box.right > window.innerWidth) found.push(`${a} out`);
  });
  return found;
})()"""


@pytest.mark.parametrize("language", ["kk", "zh"])
def test_the_language_list_stays_in_the_header_of_a_phone(demo_server, browser, shot, language):
    """On a phone the language list was inside the menu, behind a button named in the page's
    language: a visitor who does not read it could not find it. Now it is beside the brand,
    named in every language, and nothing overlaps."""
    context = browser.new_context(locale="en-US", viewport=IPHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/verify")
    choice = page.locator("#lang-select")
    expect(choice).to_be_visible()
    choice.select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Menu")).to_have_count(0)  # named in the page's words
    expect(page.locator("#menu-button")).to_have_attribute("aria-expanded", "false")
    for name in ("Language", "Тіл", "Язык", "语言"):
        expect(page.get_by_role("combobox", name=name)).to_be_visible()
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= IPHONE["width"]
    shot(page, f"phone-header-{language}")
    page.locator("#menu-button").click()
    assert page.evaluate(OVERLAPS) == []
    shot(page, f"phone-menu-open-{language}")
    context.close()


def test_tables_become_stacked_rows_that_name_each_value(demo_server, phone):
    sign_in(phone, demo_server, EXPORTER)
    phone.goto(demo_server.url + "/exporter/consignments/")
    cell = phone.locator("main table tbody tr").first.locator("td").nth(1)
    label = cell.get_attribute("data-label")
    assert label
    before = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label in before
    row = phone.locator("main table tbody tr").first.bounding_box()
    assert row["width"] <= PHONE["width"]


@pytest.mark.parametrize(("email", "path", "named"), [
    ("phyto@demo.certtrack.kz", "/inspector/?show=all", "Deadline"),
    ("phyto@demo.certtrack.kz", "/inspector/consignments/?show=all", "Deadline"),
    # The registrar's queues and every application: four tables, ticked from a phone too.
    ("registrar@demo.certtrack.kz", "/registrar/", "In this stage"),
    # Its registrations scrolled sideways, status and validity out of sight.
    ("registrar@demo.certtrack.kz", "/registrar/registrations", "Valid"),
])
def test_staff_queues_are_stacked_rows_on_a_phone(demo_server, phone, email, path, named):
    """An inspector on site works from a phone: the queue scrolled sideways in a box of 356
    pixels for 1,173 of table, status, deadline and assignee out of sight."""
    sign_in(phone, demo_server, email)
    phone.goto(demo_server.url + path)
    rows = phone.locator("main table tbody tr")
    assert rows.count() > 1
    labels = rows.first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert all(labels) and named in labels
    assert _rows_wider_than_the_phone(rows) == []


# The lists whose filters offer long option texts: a select is as wide as its longest option,
# which in Kazakh ("Барлық санаттар", whole category names) outgrew a phone.
FILTERED_LISTS = {None: ["/register", "/register?status=suspended"],
                  "phyto@demo.certtrack.kz": ["/inspector/", "/inspector/?show=all"],
                  "registrar@demo.certtrack.kz": ["/registrar/", "/registrar/registrations"],
                  "admin@demo.certtrack.kz": ["/admin/users", "/admin/limits/",
                                              "/admin/market-access/"]}
# The cells of a table that scrolls in its own box (not stacked) narrower than a short word:
# the table shrank its columns to a letter each instead of scrolling.
SQUEEZED_CELLS = """Array.from(document.querySelectorAll('main table:not(.table-stack) td'))
  .filter(td => td.textContent.trim().length > 3 && td.getBoundingClientRect().width < 48)
  .length"""


def test_the_lists_and_their_tables_fit_a_phone_in_every_language(demo_server, browser):
    """Filters fit the screen, and a staff table scrolls in its own box with its words whole."""
    wide = {}
    for email, paths in FILTERED_LISTS.items():  # one sign-in each: a code works once
        context = browser.new_context(locale="en-US", viewport=PHONE)
        page = context.new_page()
        if email:
            sign_in(page, demo_server, email)
        for locale in ("kk", "zh", "ru", "en"):
            page.goto(demo_server.url + "/")
            page.locator("#lang-select").select_option(locale)  # the page submits the choice
            expect(page.locator("html")).to_have_attribute("lang", locale)
            wide.update({f"{locale} {path}": width for path, width in _too_wide(
                page, demo_server.url, paths, squeezed_cells=True).items()})
        context.close()
    assert wide == {}


# Each filter's name and its field, on a phone: the name's box above the field's, never beside.
LABELS_BESIDE_FIELDS = """Array.from(document.querySelectorAll('main form.filters label[for]'))
  .filter(label => { const field = document.getElementById(label.htmlFor);
                     return field && field.getBoundingClientRect().top
                                     < label.getBoundingClientRect().bottom - 1; })
  .map(label => label.textContent.trim())"""


@pytest.mark.parametrize("language", ["kk", "zh"])
def test_each_filter_of_the_register_names_its_field_above_it_on_a_phone(
        demo_server, browser, language):
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/register")
    page.locator("#lang-select").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.wait_for_load_state("load")  # the stylesheet applied before anything is measured
    assert page.locator("main form.filters label[for]").count() == 4
    assert page.evaluate(LABELS_BESIDE_FIELDS) == []
    context.close()


def test_the_registers_filter_lists_are_as_easy_to_touch_as_its_boxes(demo_server, phone):
    """The category and region lists were the browser's own: 13 px text, 19 px high."""
    phone.goto(demo_server.url + "/register")
    sizes = phone.locator("main form.filters select").evaluate_all(
        "lists => lists.map(s => [parseFloat(getComputedStyle(s).fontSize),"
        " s.getBoundingClientRect().height])")
    assert sizes and all(font >= 16 and height >= 36 for font, height in sizes), sizes


def test_the_completeness_check_and_the_dashboards_overdue_table_are_stacked_rows(
        demo_server, phone):
    """Both tables were wider than a phone (691 px in Kazakh): the Accept and Reject buttons
    and the overdue consignments' deadlines were out of sight."""
    with demo_server.app.app_context():
        under_review = db.session.scalar(select(Application.id).where(
            Application.state == "under_review").order_by(Application.id).limit(1))
    sign_in(phone, demo_server, "phyto@demo.certtrack.kz")
    phone.goto(demo_server.url + f"/inspector/applications/{under_review}")
    rows = phone.locator("#completeness table tbody tr")
    assert rows.count() > 1
    assert _rows_wider_than_the_phone(rows) == []
    assert "Document" in rows.first.locator("td").first.get_attribute("data-label")
    phone.context.clear_cookies()
    sign_in(phone, demo_server, "registrar@demo.certtrack.kz")
    phone.goto(demo_server.url + "/dashboard")
    rows = phone.locator("#overdue-consignments tbody tr")
    assert rows.count() >= 1
    assert _rows_wider_than_the_phone(rows) == []


def test_a_laboratory_reads_its_samples_results_on_a_phone(demo_server, phone):
    """The results table scrolled sideways in its box: the verdict and the limit off screen."""
    sign_in(phone, demo_server, "lab@demo.certtrack.kz")
    expect(phone.locator("#samples a").first).to_be_visible()
    phone.locator("#samples a").first.click()
    phone.wait_for_load_state("load")
    rows = phone.locator("main table tbody tr")
    assert rows.count() >= 2  # the demo's two results of the sample
    labels = rows.first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert all(labels) and "Verdict" in labels
    assert _rows_wider_than_the_phone(rows) == []


def test_a_registrations_certificates_are_stacked_rows_on_a_phone(demo_server, phone):
    """Its certificates and consignment certificates scrolled sideways: the status, the PDF
    and the revocation out of sight, the numbers broken at each hyphen."""
    with demo_server.app.app_context():
        registration_id = db.session.scalar(
            select(ConsignmentCertificate.registration_id).limit(1))
    sign_in(phone, demo_server, "registrar@demo.certtrack.kz")
    phone.goto(f"{demo_server.url}/registrar/registrations/{registration_id}")
    for table in ("#certificates table", "#consignment-certificates table"):
        rows = phone.locator(f"{table} tbody tr")
        assert rows.count() >= 1, table
        labels = rows.first.locator("td").evaluate_all(
            "cells => cells.map(c => c.dataset.label)")
        assert any(labels), table
        assert _rows_wider_than_the_phone(rows) == [], table


def test_an_inspections_checklist_is_stacked_rows_on_the_exporters_phone(demo_server, phone):
    """The checklist scrolled in its own box, its notes cut off at the right edge."""
    with demo_server.app.app_context():
        application = db.session.get(Application, db.session.scalar(
            select(Inspection.application_id).where(Inspection.performed_on.is_not(None))
            .order_by(Inspection.id).limit(1)))
        email = db.session.scalar(select(User.email).where(
            User.enterprise_id == application.enterprise_id, User.role == "exporter"))
        application_id = application.id
    sign_in(phone, demo_server, email)
    phone.goto(f"{demo_server.url}/exporter/applications/{application_id}")
    rows = phone.locator("main table.checklist tbody tr")
    assert rows.count() >= 2
    labels = rows.first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    headers = phone.locator("main table.checklist thead th").all_inner_texts()
    assert len(labels) == 3 and labels == [h.strip() for h in headers]  # the account's language
    assert _rows_wider_than_the_phone(rows) == []
