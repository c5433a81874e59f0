"""Datenschutz in the browser: the own-data download, the erasure with its confirmation, the security
log; every page passes axe."""

import json

import pytest

from network.models import Post, Thread
from portal.accounts.models import User
from tests.e2e.pages import DEMO_USERS, assert_error_linked, assert_summary_has_focus, nav_link, rows

pytestmark = pytest.mark.e2e


def test_person_downloads_their_own_data(browsing):
    page = browsing.page
    browsing.login(DEMO_USERS["coordinator"])
    browsing.goto("/konto/profil/")
    browsing.axe("profile")
    browsing.screenshot("coordinator-profile")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Meine Daten herunterladen (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("meine-daten-abh-portal-")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["profile"]["email"] == DEMO_USERS["coordinator"]
    browsing.assert_clean()


def test_project_staff_erase_a_person_and_read_the_log(browsing):
    page = browsing.page
    person = User.objects.get(email=DEMO_USERS["authority_staff"])
    # Somebody thanked the person by first name: the page offers the place for redaction.
    thanks = Post.objects.create(
        thread=Thread.objects.order_by("pk").first(),
        author=User.objects.get(email=DEMO_USERS["project_staff"]),
        body=f"Danke {person.first_name}, das hilft uns weiter.",
    )
    browsing.login(DEMO_USERS["project_staff"])
    # The account list links to the erasure of each person (here: on the person's page of the list).
    position = list(User.objects.for_user_list().values_list("pk", flat=True)).index(person.pk)
    browsing.goto(f"/konto/konten/?seite={position // 50 + 1}")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Daten von {person.get_full_name()} löschen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Personenbezogene Daten löschen"
    assert page.get_by_role("alert").filter(has_text="Diese Löschung ist endgültig").is_visible()
    places = page.get_by_role(
        "group", name=f"Weitere Fundstellen von „{person.first_name}“ ebenfalls ersetzen"
    )
    assert "Danke " in places.inner_text() and places.locator("mark").first.inner_text() == person.first_name
    browsing.axe("erase confirmation")
    browsing.screenshot("project_staff-erase")

    submit = page.get_by_role("button", name="Personenbezogene Daten endgültig löschen")
    with page.expect_navigation():
        submit.click()
    assert_summary_has_focus(page)
    assert_error_linked(
        page,
        "Ich habe die Folgen gelesen und möchte die Daten dieser Person endgültig löschen.",
        "Bitte bestätigen Sie die Löschung",
    )
    browsing.axe("erase confirmation with error")

    page.get_by_label("Ich habe die Folgen gelesen", exact=False).check()
    page.get_by_label(f"Beitrag Nr. {thanks.pk}", exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Personenbezogene Daten endgültig löschen").click()
    assert f"Konto Nr. {person.pk}" in page.get_by_role("main").inner_text()
    assert "pseudonymisiert" in page.get_by_role("main").inner_text()
    thanks.refresh_from_db()
    assert thanks.body == "Danke gelöschte Person, das hilft uns weiter."
    assert DEMO_USERS["authority_staff"] not in page.content()

    with page.expect_navigation():
        nav_link(page, "Sicherheitsprotokoll").click()
    browsing.axe("security log")
    browsing.screenshot("project_staff-security-log")
    page.get_by_label("Ereignis").select_option(label="Löschung personenbezogener Daten")
    with page.expect_navigation():
        page.get_by_role("button", name="Anwenden").click()
    assert rows(page).count() == 1
    assert f"Konto-Nr. der gelöschten Person: {person.pk}" in rows(page).first.inner_text()
    browsing.axe("security log filtered")
    browsing.assert_clean()
