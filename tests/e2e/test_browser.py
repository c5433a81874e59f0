"""The portal in headless Chromium, as each demo role uses it: every page passes axe (WCAG 2.1 A/AA),
loads nothing from another host and trips no Content Security Policy."""

import re

import pytest

from tests.e2e.pages import (
    DEMO_USERS,
    PHONE,
    assert_error_linked,
    assert_summary_has_focus,
    filter_by_state,
    found,
    main_nav,
    rows,
    states_in_table,
)

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = {
    "start": "/",
    "login": "/konto/anmelden/",
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "accessibility": "/barrierefreiheit/",
    "barrier-report": "/barrierefreiheit/barriere-melden/",
    "easy-language": "/leichte-sprache/",
    "password-reset": "/konto/passwort-vergessen/",
}
FOOTER_LINKS = [
    "Impressum", "Datenschutz", "Erklärung zur Barrierefreiheit", "Barriere melden", "Leichte Sprache",
]  # fmt: skip


def test_public_pages(browsing):
    page = browsing.page
    for name, path in PUBLIC_PAGES.items():
        browsing.goto(path)
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.get_by_role("heading", level=1).count() == 1, f"{path}: one h1"
        footer = page.get_by_role("contentinfo")
        for label in FOOTER_LINKS:
            assert footer.get_by_role("link", name=label).is_visible(), f"{path}: footer link {label}"
        assert page.get_by_role("link", name="Zum Inhalt springen").count() == 1
        browsing.axe(name)
        browsing.screenshot(f"public-{name}")
    # htmx runs under the CSP (no injected styles, no eval) for the pages that use it.
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    browsing.assert_clean()


def test_skip_link_and_language_switch(browsing):
    page = browsing.page
    browsing.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible(), "the skip link shows when it has focus"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhalt"

    with page.expect_navigation():
        page.get_by_role("contentinfo").get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    english = page.get_by_role("contentinfo").get_by_role("button", name="English")
    assert english.get_attribute("aria-pressed") == "true"
    browsing.axe("start page in English")
    with page.expect_navigation():
        page.get_by_role("contentinfo").get_by_role("button", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"
    browsing.assert_clean()


@pytest.mark.parametrize("role", ["project_staff", "funder"])
def test_list_roles_browse_the_registry(browsing, role):
    page = browsing.page
    browsing.login(DEMO_USERS[role])
    assert page.get_by_role("banner").get_by_role("button", name="Abmelden").is_visible()
    browsing.axe(f"{role}: start page")
    browsing.screenshot(f"{role}-start")

    nav = main_nav(page)
    assert nav.get_by_role("link", name="Ausländerbehörden").is_visible()
    assert nav.get_by_role("link", name="Meine Behörde").count() == 0
    # Project staff find the accounts in the "Verwaltung" menu; funders have none.
    assert (nav.locator("summary:visible", has_text="Verwaltung").count() == 1) == (role == "project_staff")

    with page.expect_navigation():
        nav.get_by_role("link", name="Ausländerbehörden").click()
    assert nav.get_by_role("link", name="Ausländerbehörden").get_attribute("aria-current") == "page"
    assert found(page) == "90 Behörden gefunden"
    assert rows(page).count() == 25, "first page of 90"
    assert states_in_table(page) == {"Rheinland-Pfalz", "Niedersachsen"}
    browsing.axe(f"{role}: authorities list")
    browsing.screenshot(f"{role}-list")

    filter_by_state(page, "Niedersachsen")
    assert found(page) == "54 Behörden gefunden"
    assert states_in_table(page) == {"Niedersachsen"}
    assert page.get_by_label("Land", exact=True).input_value() == "NI", "the filter keeps its value"
    with page.expect_navigation():
        pages = page.get_by_role("navigation", name="Seitennavigation")
        pages.get_by_role("link", name="Nächste Seite").click()
    assert "state=NI" in page.url and states_in_table(page) == {"Niedersachsen"}, "paging keeps the filter"
    browsing.axe(f"{role}: list filtered by Niedersachsen, page 2")

    filter_by_state(page, "Rheinland-Pfalz")
    assert found(page) == "36 Behörden gefunden"
    assert states_in_table(page) == {"Rheinland-Pfalz"}
    browsing.axe(f"{role}: list filtered by Rheinland-Pfalz")

    first = rows(page).first.get_by_role("link")
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    breadcrumb = page.get_by_role("navigation", name="Brotkrümelnavigation")
    assert breadcrumb.get_by_role("link", name="Ausländerbehörden").is_visible()
    # Funders see aggregated figures and public facts, never contact persons or project notes.
    for internal in ["Ansprechpersonen", "Notizen des Projektteams", "Änderungsverlauf"]:
        shown = page.get_by_role("heading", name=internal).count() == 1
        assert shown == (role == "project_staff"), f"{role}: {internal} shown={shown}"
    browsing.axe(f"{role}: detail of {name}")
    browsing.screenshot(f"{role}-detail")

    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("button", name="Abmelden").click()
    assert page.get_by_role("banner").get_by_role("link", name="Anmelden").is_visible()
    browsing.assert_clean()


@pytest.mark.parametrize(
    ("role", "own", "own_state", "other_state"),
    [
        ("coordinator", "Stadt Mainz", "Rheinland-Pfalz", "Niedersachsen"),
        ("authority_staff", "Region Hannover", "Niedersachsen", "Rheinland-Pfalz"),
    ],
)
def test_authority_staff_see_their_own_authority(browsing, role, own, own_state, other_state):
    page = browsing.page
    browsing.login(DEMO_USERS[role])
    assert page.get_by_role("heading", name=own).is_visible(), "the start page shows the own authority"
    browsing.axe(f"{role}: start page")
    browsing.screenshot(f"{role}-start")

    nav = main_nav(page)
    assert nav.get_by_role("link", name="Ausländerbehörden").count() == 0, "no registry in the navigation"
    assert (nav.get_by_role("link", name="Konten").count() == 1) == (role == "coordinator")
    with page.expect_navigation():
        nav.get_by_role("link", name="Meine Behörde").click()
    assert page.get_by_role("heading", level=1).inner_text() == own
    assert page.get_by_role("heading", name="Ansprechpersonen").is_visible()
    edit = page.get_by_role("link", name="Daten bearbeiten")
    assert edit.count() == (1 if role == "coordinator" else 0)
    browsing.axe(f"{role}: detail of {own}")
    browsing.screenshot(f"{role}-detail")

    # The list, reached by its address, holds their own authority and nothing else.
    browsing.goto("/behoerden/")
    assert found(page) == "1 Behörde gefunden"
    assert rows(page).get_by_role("link").all_inner_texts() == [own]
    filter_by_state(page, own_state)
    assert rows(page).count() == 1
    filter_by_state(page, other_state)
    assert rows(page).count() == 0
    assert page.get_by_text("Keine Behörde passt zu den gewählten Filtern.").is_visible()
    browsing.axe(f"{role}: empty list")

    if role == "coordinator":
        browsing.goto("/meine-behoerde/")
        with page.expect_navigation():
            page.get_by_role("link", name="Daten bearbeiten").click()
        assert page.get_by_label("Telefon").is_visible()
        ags = page.get_by_label("Amtlicher Gemeindeschlüssel (AGS)")
        assert ags.count() == 0, "coordinators edit contact data only"
        browsing.axe(f"{role}: contact-data form")
    browsing.assert_clean()


def test_login_form_with_errors(browsing):
    page = browsing.page
    browsing.goto("/konto/anmelden/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    assert_summary_has_focus(page)
    assert_error_linked(page, "E-Mail-Adresse", "Dieses Feld ist zwingend erforderlich.")
    assert_error_linked(page, "Passwort", "Dieses Feld ist zwingend erforderlich.")
    # The summary links lead to the fields.
    page.locator("[data-error-summary]").get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    browsing.axe("login form with errors")
    browsing.screenshot("login-errors")

    page.get_by_label("E-Mail-Adresse").fill(DEMO_USERS["project_staff"])
    page.get_by_label("Passwort", exact=True).fill("falsch-falsch-falsch")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    assert_summary_has_focus(page)
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_text("Die E-Mail-Adresse oder das Passwort ist falsch").is_visible()
    browsing.axe("login form with a wrong password")
    browsing.assert_clean()


def test_authority_edit_form_with_errors(browsing):
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])
    browsing.goto("/behoerden/?q=07315000")
    with page.expect_navigation():
        rows(page).get_by_role("link", name="Stadt Mainz").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Daten bearbeiten").click()
    browsing.axe("authority edit form")
    ags = page.get_by_label("Amtlicher Gemeindeschlüssel (AGS)")
    ags.fill("07315A")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert_summary_has_focus(page)
    message = "Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern."
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link", name=re.compile(re.escape(message))).is_visible()
    assert_error_linked(page, "Amtlicher Gemeindeschlüssel (AGS)", message)
    # The hint stays linked too, and the typed value is kept.
    described = ags.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{i}").inner_text().startswith("8 Ziffern") for i in described)
    assert ags.input_value() == "07315A"
    browsing.axe("authority edit form with a bad AGS")
    browsing.screenshot("authority-edit-errors")
    browsing.assert_clean()


def test_phone_width_reflows(open_browsing):
    """At 390 px the page itself never scrolls sideways; only the table scrolls, inside its region."""
    browsing = open_browsing(viewport=PHONE)
    page = browsing.page

    def check(name):
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page is {overflow}px wider than the phone"
        browsing.axe(f"phone: {name}")
        browsing.screenshot(f"phone-{name}")

    browsing.goto("/")
    check("public-start")
    browsing.goto("/konto/anmelden/")
    check("login")
    browsing.login(DEMO_USERS["project_staff"])
    check("start")
    browsing.goto("/behoerden/")
    check("list")
    region = page.get_by_role("region", name="Ausländerbehörden")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table scrolls inside its region"
    with page.expect_navigation():
        rows(page).first.get_by_role("link").click()
    check("detail")
    browsing.assert_clean()


def test_the_checks_themselves_catch_problems(browsing):
    """Guards the guards: axe, the CSP watch and the foreign-host watch each fail on a planted fault."""
    page = browsing.page
    browsing.goto("/impressum/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        browsing.axe("planted image without alt")

    page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(100)
    with pytest.raises(AssertionError, match="Content Security Policy"):
        browsing.assert_clean()
    browsing.csp_errors.clear()

    # The CSP already blocks fetches to other hosts; a navigation is what could still leave.
    page.evaluate("() => { location.href = 'http://example.invalid/'; }")
    page.wait_for_timeout(300)
    with pytest.raises(AssertionError, match="requests to other hosts.*example.invalid"):
        browsing.assert_clean()


def test_project_staff_secondary_pages(browsing):
    """The pages around the registry: accounts, profile, forms, and the error pages."""
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])
    browsing.goto("/behoerden/?q=07315000")
    mainz = rows(page).get_by_role("link", name="Stadt Mainz").get_attribute("href")
    pages = {
        "accounts": "/konto/konten/",
        "invite": "/konto/konten/einladen/",
        "profile": "/konto/profil/",
        "password-change": "/konto/passwort-aendern/",
        "authority-create": "/behoerden/neu/",
        "status-change": f"{mainz}status/",
        "contact-create": f"{mainz}ansprechpersonen/neu/",
    }
    for name, path in pages.items():
        browsing.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, f"{path}: one h1"
        browsing.axe(name)
        browsing.screenshot(f"project_staff-{name}")
    # Submitting the invitation empty: every error is summarised, linked and announced.
    browsing.goto("/konto/konten/einladen/")
    with page.expect_navigation():
        page.get_by_role("button", name="Einladung senden").click()
    assert_summary_has_focus(page)
    assert_error_linked(page, "Vorname", "Dieses Feld ist zwingend erforderlich.")
    browsing.axe("invitation form with errors")

    response = page.goto(browsing.base_url + "/behoerden/999999/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Seite nicht gefunden"
    browsing.axe("404 page")
    browsing.assert_clean()


def test_dark_theme(open_browsing):
    """KERN follows prefers-color-scheme; the portal's own pieces must keep their contrast there too."""
    browsing = open_browsing(color_scheme="dark")
    page = browsing.page
    browsing.goto("/konto/anmelden/")
    browsing.axe("dark: login")
    browsing.login(DEMO_USERS["project_staff"])
    browsing.axe("dark: start")
    browsing.screenshot("dark-start")
    browsing.goto("/behoerden/")
    browsing.axe("dark: list")
    browsing.screenshot("dark-list")
    with page.expect_navigation():
        rows(page).first.get_by_role("link").click()
    browsing.axe("dark: detail")
    browsing.assert_clean()
