"""Accessibility: axe-core (installed with npm from tests/e2e/package.json) checks pages of every
role in the four languages over the demo data: no violation of any impact, which includes a
contrast of at least 4.5:1 for text (WCAG 2 AA)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from certtrack.demo.seed import DEMO_PASSWORD
from certtrack.extensions import db
from certtrack.models import Application, Consignment, LabLimit, Registration, Sample

from forms import totp_code

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# Who, in which language, sees which pages: (path, or a function of the ids below).
VISITS = {
    "public-en": (None, "en", ["/", "/login", "/register", "/verify", "/password/forgot"]),
    "public-zh": (None, "zh", ["/", "/register?status=suspended", "/help/terms"]),
    "newcomer-en": ("exporter@demo.certtrack.kz", "en",
                    ["/exporter/", "/exporter/enterprise/new"]),
    "exporter-kk": ("kostanay-astyk@demo.certtrack.kz", "kk", [
        "/exporter/", "/exporter/applications/{under_review}", "/exporter/registrations",
        "/exporter/consignments/", "/exporter/consignments/{issued_consignment}",
        "/notifications"]),
    # The home page asking for a renewal due (its warning's colours and link).
    "renewal-zh": ("semey-beef@demo.certtrack.kz", "zh", ["/exporter/"]),
    "exporter-zh": ("kostanay-astyk@demo.certtrack.kz", "zh", [
        "/exporter/enterprise", "/exporter/applications/new?find=seed",
        "/exporter/consignments/new", "/exporter/applications/{lab_testing}", "/account"]),
    "inspector-ru": ("phyto@demo.certtrack.kz", "ru", [
        "/inspector/", "/inspector/applications/{under_review}",
        "/inspector/applications/{inspected}", "/inspector/consignments/",
        "/inspector/consignments/{submitted_consignment}"]),
    "inspector-en": ("phyto@demo.certtrack.kz", "en", [
        "/inspector/applications/{lab_testing}", "/inspector/applications/{corrective}",
        "/inspector/applications/{lab_testing}/samples/{sample}/results"]),
    "registrar-zh": ("registrar@demo.certtrack.kz", "zh", [
        "/registrar/", "/registrar/registrations", "/registrar/registrations/{registration}",
        "/dashboard"]),
    "registrar-en": ("registrar@demo.certtrack.kz", "en", [
        "/registrar/applications/{recommended}", "/registrar/applications/{positive}"]),
    "admin-kk": ("admin@demo.certtrack.kz", "kk", [
        "/admin/users", "/admin/limits/", "/admin/limits/{limit}", "/admin/jobs",
        "/admin/renewal-list/", "/admin/audit"]),
}

# On a phone, with the navigation unfolded.
PHONE_VISIT = ("kostanay-astyk@demo.certtrack.kz", "ru", [
    "/exporter/", "/exporter/consignments/", "/exporter/applications/{under_review}",
    "/exporter/registrations"])


def _first(query):
    return db.session.scalars(query.limit(1)).one()


def _ids(app) -> dict[str, int]:
    def in_state(state):
        return _first(select(Application.id).where(Application.state == state)
                      .order_by(Application.id))

    with app.app_context():
        kostanay = select(Application.enterprise_id).where(
            Application.state == "lab_testing").order_by(Application.id).limit(1)
        return {
            "under_review": _first(select(Application.id).where(
                Application.state == "under_review",
                Application.enterprise_id.in_(kostanay)).order_by(Application.id)),
            "lab_testing": in_state("lab_testing"), "inspected": in_state("inspected"),
            "corrective": in_state("corrective_actions"),
            "recommended": in_state("recommended"), "positive": in_state("conclusion_positive"),
            "sample": _first(select(Sample.id).join(Application).where(
                Application.id == in_state("lab_testing")).order_by(Sample.id)),
            "issued_consignment": _first(select(Consignment.id).where(
                Consignment.state == "issued").order_by(Consignment.id)),
            "submitted_consignment": _first(select(Consignment.id).where(
                Consignment.state == "submitted", Consignment.kind == "phyto")),
            "registration": _first(select(Registration.id).where(
                Registration.status == "suspended")),
            "limit": _first(select(LabLimit.id).order_by(LabLimit.id)),
        }


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make install` (npm ci --prefix tests/e2e).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ids(demo_server) -> dict[str, int]:
    return _ids(demo_server.app)


def _sign_in(page, server, email: str) -> None:
    page.goto(server.url + "/login")
    form = page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    # Staff type the current code of their authenticator app; others leave it empty.
    form.locator("input[name=code]").fill(totp_code(server.app, email))
    form.locator("button[type=submit]").click()
    expect(page.locator("header.signed-in")).to_be_attached()


def _choose_language(page, url: str, locale: str) -> None:
    page.goto(url + "/")
    page.locator("#lang-select").select_option(locale)  # the page submits the choice
    expect(page.locator("html")).to_have_attribute("lang", locale)


def _violations(page, axe_source: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => (await axe.run(document)).violations.map(v => ["
                            "v.id, v.impact, v.help, v.nodes.slice(0, 3).map(n => "
                            "n.target.join(' ') + ' ' + (n.failureSummary || ''))])")
    return [f"{rule} ({impact}): {help_text} {nodes}"
            for rule, impact, help_text, nodes in results]


def _check(page, url: str, paths: list[str], locale: str, ids: dict, axe_source: str,
           open_menu: bool = False) -> dict[str, list[str]]:
    """The violations found on each page (pages without any are left out)."""
    found = {}
    for path in paths:
        response = page.goto(url + path.format(**ids))
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", locale)
        if open_menu:
            page.locator("#menu-button").click()
            expect(page.locator("header nav")).to_be_visible()
        if violations := _violations(page, axe_source):
            found[path] = violations
    return found


def _visit(browser, server, axe_source, ids, who, viewport, open_menu=False) -> None:
    email, locale, paths = who
    # The app forbids inline scripts (CSP); the checker is injected past it, for the test only.
    context = browser.new_context(locale="en-US", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    try:
        if email:
            server.resume(page, email, _sign_in)  # the module's first sign-in's cookies
        _choose_language(page, server.url, locale)
        found = _check(page, server.url, paths, locale, ids, axe_source, open_menu)
        assert not found, "\n".join(f"{path}: {violation}" for path, violations in
                                     found.items() for violation in violations)
    finally:
        context.close()
    assert not server.errors, server.errors


@pytest.mark.parametrize("visit", list(VISITS))
def test_pages_have_no_accessibility_violation(demo_server, browser, axe_source, ids, visit):
    _visit(browser, demo_server, axe_source, ids, VISITS[visit],
           {"width": 1280, "height": 900})


def test_pages_on_a_phone_with_the_menu_open_have_no_accessibility_violation(
        demo_server, browser, axe_source, ids):
    _visit(browser, demo_server, axe_source, ids, PHONE_VISIT, {"width": 360, "height": 740},
           open_menu=True)


def test_at_least_twenty_pages_in_four_languages_are_checked():
    pages = sum(len(paths) for _who, _locale, paths in VISITS.values())
    assert pages >= 20
    assert {locale for _who, locale, _paths in VISITS.values()} == {"en", "kk", "ru", "zh"}
    assert {who.split("-")[0] for who in VISITS} >= {"public", "exporter", "inspector",
                                                     "registrar", "admin"}


def test_the_language_list_browsed_with_the_arrow_keys_switches_on_enter(demo_server, browser):
    """Each arrow key on the language list reloaded the page in the next language, so a
    keyboard user could not reach the one wanted (WCAG 3.2.2)."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        page.goto(demo_server.url + "/verify")
        choice = page.locator("#lang-select")
        start = choice.input_value()
        choice.focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(700)
        assert page.evaluate("document.documentElement.lang") == start  # not reloaded
        expect(page.locator("form.lang button")).to_be_visible()
        chosen = choice.input_value()
        assert chosen != start
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("document.documentElement.lang") == chosen
    finally:
        context.close()
