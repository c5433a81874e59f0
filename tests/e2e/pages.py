"""What the browser tests share: the demo accounts, the phone viewport, the questions a test asks a
page (its main navigation and main region, its heading, a flash message, its table rows, whether an
error is announced) and the steps it takes (submit and wait for the next page, accept confirmations).
The fixtures are in conftest.py; a test module imports from here, never from another test module."""

DEMO_USERS = {
    "project_staff": "projekt@example.org",
    "coordinator": "mainz@example.org",
    "authority_staff": "hannover@example.org",
    "funder": "foerderung@example.org",
}

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def nav_link(page, name: str):
    """A link of the main navigation, made visible the way a person would: the menu button on a narrow
    screen, the "Verwaltung" menu for the pages that keep the portal running."""
    nav = main_nav(page)
    toggle = nav.get_by_text("Menü", exact=True)
    if toggle.is_visible() and nav.locator("details.portal-nav__menu[open]").count() == 0:
        toggle.click()
    link = nav.get_by_role("link", name=name, exact=True)
    if link.count() == 0:
        nav.locator("summary:visible", has_text="Verwaltung").click()
    return nav.get_by_role("link", name=name, exact=True)


def rows(page):
    return page.locator("table.kern-table tbody tr")


def states_in_table(page) -> set[str]:
    # Columns: name (th), kind, state, AGS, population, status.
    return set(rows(page).locator("td:nth-of-type(2)").all_inner_texts())


def filter_by_state(page, state: str) -> None:
    page.get_by_label("Land", exact=True).select_option(label=state)
    with page.expect_navigation():
        page.get_by_role("button", name="Anwenden").click()


def found(page) -> str:
    return page.get_by_role("status").filter(has_text="gefunden").inner_text()


def assert_error_linked(page, label: str, message: str) -> None:
    """The field is marked invalid and its error text is part of its accessible description."""
    field = page.get_by_label(label, exact=True)
    assert field.get_attribute("aria-invalid") == "true", f"{label}: aria-invalid"
    described_by = (field.get_attribute("aria-describedby") or "").split()
    texts = [page.locator(f"#{ident}").inner_text() for ident in described_by]
    assert any(message in text for text in texts), f"{label}: {message!r} not in aria-describedby {texts}"


def assert_summary_has_focus(page) -> None:
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    page.wait_for_function("() => document.activeElement?.matches('[data-error-summary]')")


def main(page):
    return page.get_by_role("main")


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def message(page, text: str):
    """The flash message at the top of the page that contains `text`."""
    return main(page).locator(".portal-messages").get_by_text(text)


def section(page, name: str):
    return main(page).get_by_role("region", name=name, exact=True)


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def submit(page, name: str) -> None:
    click_and_wait(page, main(page).get_by_role("button", name=name, exact=True))


def record_dialogs(page) -> list[str]:
    """Accept every confirm() (cancelling, unregistering, publishing) and keep its text; an alert()
    would show here. Without it Playwright dismisses the dialog and the action does not happen."""
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    page.on("dialog", on_dialog)
    return dialogs
