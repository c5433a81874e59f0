"""Two-factor login in the browser: set up from the profile (the test plays the authenticator app
with the secret shown on the page), log out, log in again with a code."""

import re
import time
from base64 import b32decode

import pytest
from django.conf import settings
from django_otp.oath import TOTP

from tests.e2e.pages import DEMO_USERS

pytestmark = pytest.mark.e2e


def app_code(secret: str, steps_ahead: int = 0) -> str:
    key = secret.replace(" ", "")
    totp = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_set_up_two_factor_then_log_in_with_a_code(browsing):
    page, email = browsing.page, DEMO_USERS["coordinator"]
    browsing.login(email)

    browsing.goto("/konto/profil/")
    with page.expect_navigation():
        page.get_by_role("link", name="Zwei-Faktor-Anmeldung einrichten").click()
    qr = page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 150  # large enough to scan
    browsing.axe("two-factor set-up")
    browsing.screenshot("two-factor-setup")
    secret = page.locator("#zwei-faktor-schluessel").inner_text()

    # A wrong code first: the message sits at the field.
    page.get_by_label("Code aus der App").fill("12345")
    with page.expect_navigation():
        page.get_by_role("button", name="Zwei-Faktor-Anmeldung einschalten").click()
    message = page.get_by_text("Der Code besteht aus sechs Ziffern, zum Beispiel 123456.", exact=True)
    assert message.is_visible()
    browsing.axe("two-factor set-up with an error")

    page.get_by_label("Code aus der App").fill(app_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Zwei-Faktor-Anmeldung einschalten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wiederherstellungscodes"
    codes = page.get_by_role("list", name="Ihre Wiederherstellungscodes").get_by_role("listitem")
    assert codes.count() == 10
    assert re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", codes.first.inner_text())
    browsing.axe("recovery codes")
    browsing.screenshot("two-factor-codes")

    with page.expect_navigation():
        page.get_by_role("button", name="Abmelden").click()

    browsing.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(settings.PORTAL_DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    assert page.url.endswith("/konto/anmelden/code/")
    assert page.get_by_role("heading", level=1).inner_text() == "Anmelden: zweiter Schritt"
    browsing.axe("login, second step")
    browsing.screenshot("two-factor-login")

    # The code used at set-up is spent; the app's next one is accepted (one step of tolerance).
    page.get_by_label("Code", exact=True).fill(app_code(secret, steps_ahead=1))
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Bestätigen").click()
    assert "/konto/anmelden/" not in page.url
    assert page.get_by_role("banner").get_by_role("button", name="Abmelden").is_visible()
    browsing.goto("/konto/profil/")
    assert page.get_by_text("Eingeschaltet: Beim Anmelden fragt das Portal").is_visible()
    browsing.axe("profile with two-factor on")
    browsing.assert_clean()


def test_project_staff_are_sent_to_the_set_up_where_it_is_required(browsing, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    page = browsing.page

    browsing.login(DEMO_USERS["project_staff"])

    assert page.url.endswith("/konto/profil/zwei-faktor/einrichten/")
    assert page.get_by_role("status").filter(has_text="Zwei-Faktor-Anmeldung vorgeschrieben").is_visible()
    browsing.goto("/behoerden/")
    assert page.url.endswith("/konto/profil/zwei-faktor/einrichten/")
    browsing.axe("required set-up")
    browsing.assert_clean()
