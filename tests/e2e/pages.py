"""What the browser tests share: the demo accounts, the phone viewport and the questions a test asks a
page (its main navigation, its table rows, whether an error is announced). The fixtures are in
conftest.py; a test module imports from here, never from another test module."""

DEMO_USERS = {
    "project_staff": "projekt@example.org",
    "coordinator": "mainz@example.org",
    "authority_staff": "hannover@example.org",
    "funder": "foerderung@example.org",
}

PHONE = {"width": 390, "height": 844}


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


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
