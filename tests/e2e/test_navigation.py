"""The main navigation at 1,366 px (one line, the "Verwaltung" menu) and at 390 px (one line: the menu
button, which opens without JavaScript), the start pages and project staff's search, all with axe."""

import pytest

from tests.e2e.pages import DEMO_USERS, PHONE, heading, main_nav, nav_link

pytestmark = pytest.mark.e2e

WIDE = {"width": 1366, "height": 900}


def _overflow(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def _lines(page, selector) -> int:
    """How many lines the visible items of a list take: the distinct tops of its items."""
    return page.evaluate(
        """sel => new Set([...document.querySelectorAll(sel)]
              .filter(el => el.offsetParent !== null)
              .map(el => Math.round(el.getBoundingClientRect().top))).size""",
        selector,
    )


def _height(locator) -> float:
    return locator.evaluate("el => el.getBoundingClientRect().height")


def test_project_staff_navigation_is_one_line_with_an_administration_menu(open_browsing):
    browsing = open_browsing(viewport=WIDE)
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])
    nav = main_nav(page)

    assert _lines(page, ".portal-nav__list--wide > li") == 1, "the bar wraps at 1,366 px"
    page.set_viewport_size({"width": 1200, "height": 900})  # the narrowest screen with the bar
    assert _lines(page, ".portal-nav__list--wide > li") == 1, "the bar wraps at 1,200 px"
    page.set_viewport_size(WIDE)
    assert not nav.get_by_text("Menü", exact=True).is_visible(), "no menu button on a wide screen"
    assert nav.get_by_role("link", name="Sicherheitsprotokoll").count() == 0, "closed menu hides its links"
    browsing.axe("project staff: start page, 1,366 px")
    browsing.screenshot("nav-wide-start")

    nav.locator("summary:visible", has_text="Verwaltung").click()
    for name in ("Konten", "Sicherheitsprotokoll", "Fehlgeschlagene E-Mails"):
        assert nav.get_by_role("link", name=name).is_visible(), name
    browsing.axe("project staff: Verwaltung menu open")
    browsing.screenshot("nav-wide-menu-open")
    with page.expect_navigation():
        nav.get_by_role("link", name="Konten").click()
    assert heading(page) == "Konten"
    assert _lines(page, ".portal-nav__list--wide > li") == 1
    # The menu says where the person is, also while closed.
    assert nav.locator("summary:visible[data-current]", has_text="Verwaltung").count() == 1
    browsing.assert_clean()


@pytest.mark.parametrize("role", ["project_staff", "coordinator"])
def test_phone_navigation_is_one_menu_button_that_opens(open_browsing, role):
    browsing = open_browsing(viewport=PHONE)
    page = browsing.page
    browsing.login(DEMO_USERS[role])
    nav = main_nav(page)
    toggle = nav.get_by_text("Menü", exact=True)

    assert toggle.is_visible()
    assert _height(nav) <= _height(toggle) + 1, "closed, the navigation takes one line"
    assert nav.get_by_role("link", name="Schulungen", exact=True).count() == 0
    assert _overflow(page) <= 0, f"{role}: the start page scrolls sideways"
    browsing.axe(f"{role}: start page, 390 px")
    browsing.screenshot(f"nav-phone-{role}-closed")

    toggle.click()
    assert nav.get_by_role("link", name="Schulungen", exact=True).is_visible()
    assert _overflow(page) <= 0
    browsing.axe(f"{role}: menu open, 390 px")
    browsing.screenshot(f"nav-phone-{role}-open")
    with page.expect_navigation():
        nav.get_by_role("link", name="Schulungen", exact=True).click()
    assert heading(page) == "Schulungen"
    assert not nav.get_by_role("link", name="Schulungen", exact=True).is_visible(), "closed on the next page"
    if role == "project_staff":  # the search and its results fit the phone too
        browsing.goto("/suche/?q=Mainz")
        assert _overflow(page) <= 0, "the search results scroll sideways"
        browsing.axe("search results, 390 px")
        browsing.screenshot("search-phone")
    browsing.assert_clean()


def test_menu_button_works_without_javascript(open_browsing):
    browsing = open_browsing(viewport=PHONE, java_script_enabled=False)
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])

    link = nav_link(page, "Sicherheitsprotokoll")
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    assert heading(page) == "Sicherheitsprotokoll"


def test_project_staff_search_from_the_header(open_browsing):
    browsing = open_browsing(viewport=WIDE)
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])

    field = page.get_by_role("banner").get_by_role("searchbox", name="Im Portal suchen")
    field.fill("Mainz")
    with page.expect_navigation():
        field.press("Enter")
    assert heading(page) == "Suche im Portal"
    results = page.get_by_role("region", name="Ausländerbehörden")
    assert results.get_by_role("link", name="Stadt Mainz").is_visible()
    browsing.axe("search results")
    browsing.screenshot("search-results")
    with page.expect_navigation():
        results.get_by_role("link", name="Stadt Mainz").click()
    assert heading(page) == "Stadt Mainz"
    browsing.assert_clean()


def test_coordinator_start_page_leads_where_the_work_is_done(open_browsing):
    browsing = open_browsing(viewport=WIDE)
    page = browsing.page
    browsing.login(DEMO_USERS["coordinator"])

    courses = page.get_by_role("region", name="Meine nächsten Schulungen")
    assert courses.is_visible()
    process = page.get_by_role("region", name="Veränderungsprozess Ihrer Behörde")
    phase = process.get_by_role("link").first
    assert phase.inner_text().startswith("Phase ")
    browsing.axe("coordinator: start page, 1,366 px")
    browsing.screenshot("start-coordinator")
    with page.expect_navigation():
        phase.click()
    assert "/prozess/" in page.url
    browsing.assert_clean()
