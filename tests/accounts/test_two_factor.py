"""Two-factor login in the profile: setting up the app, recovery codes, replacing the app and
switching it off. The login's second step: test_two_factor_login.py; the requirement for project
staff and the admin: test_two_factor_staff.py."""

import re
from base64 import b32decode

from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from portal.accounts import two_factor
from portal.accounts.models import AuthenticatorApp
from tests.accounts.authenticator import (
    CODES,
    DISABLE,
    HOME,
    LOGIN,
    PASSWORD,
    SETUP,
    code_for,
    enable,
    password_step,
    verified_client,
    wrong_code,
)

# --- set-up from the profile ------------------------------------------------------------------


def test_profile_offers_set_up(client_for, member):
    response = client_for(member).get(reverse("accounts:profile"))

    assert "Zwei-Faktor-Anmeldung einrichten" in response.text
    assert SETUP in response.text


def test_member_sets_up_the_app_with_the_secret_shown_and_gets_10_recovery_codes_once(client_for, member):
    client = client_for(member)

    page = client.get(SETUP)
    assert page.status_code == 200
    # A QR code drawn on the server (inline SVG, no style attribute or element) and the secret as text.
    svg = re.search(r"<svg[^>]*>.*?</svg>", page.text, re.S).group(0)
    assert 'role="img"' in svg and "<title>" in svg
    assert "style" not in svg and "<script" not in svg
    secret = re.search(r'id="zwei-faktor-schluessel">([A-Z2-7 ]+)<', page.text).group(1)
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]

    response = client.post(SETUP, {"code": code_for(key)})

    assert response.status_code == 302 and response["Location"] == CODES
    assert AuthenticatorApp.objects.get(user=member).confirmed
    # This session passed the second factor by confirming the app.
    assert client.session[DEVICE_ID_SESSION_KEY]
    shown = client.get(CODES)
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Diese Codes werden nur jetzt angezeigt." in shown.text
    again = client.get(CODES)
    assert "<li><code>" not in again.text
    assert "noch 10 unbenutzte Wiederherstellungscodes" in again.text
    assert "Eingeschaltet" in client.get(reverse("accounts:profile")).text


def test_reloading_the_set_up_page_keeps_the_secret(client_for, member):
    client = client_for(member)

    first = client.get(SETUP).text
    second = client.get(SETUP).text

    pattern = r'id="zwei-faktor-schluessel">([A-Z2-7 ]+)<'
    assert re.search(pattern, first).group(1) == re.search(pattern, second).group(1)
    assert AuthenticatorApp.objects.filter(user=member).count() == 1


def test_wrong_code_at_set_up_gets_a_german_message_next_to_the_field(client_for, member):
    client = client_for(member)
    client.get(SETUP)
    device = AuthenticatorApp.objects.get(user=member)
    response = client.post(SETUP, {"code": wrong_code(device.bin_key)})
    letters = client.post(SETUP, {"code": "abc"})

    assert response.status_code == 200
    assert "Der Code ist falsch oder abgelaufen." in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Der Code besteht aus sechs Ziffern" in letters.text
    device.refresh_from_db()
    assert not device.confirmed
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_code_from_long_ago_is_refused(client_for, member):
    client = client_for(member)
    client.get(SETUP)
    device = AuthenticatorApp.objects.get(user=member)

    response = client.post(SETUP, {"code": code_for(device.bin_key, steps_ahead=-10)})

    assert "Der Code ist falsch oder abgelaufen." in response.text


def test_setting_up_ends_the_persons_other_sessions(client_for, member):
    elsewhere, here = client_for(member), client_for(member)
    here.get(SETUP)
    device = AuthenticatorApp.objects.get(user=member)

    here.post(SETUP, {"code": code_for(device.bin_key)})

    profile = reverse("accounts:profile")
    # The other browser is at the login again: it never passed a second step.
    assert elsewhere.get(profile)["Location"].startswith(LOGIN)
    assert SESSION_KEY not in elsewhere.session
    assert here.get(profile).status_code == 200


# --- recovery codes and switching off ---------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones_after_the_password(member):
    device, old = enable(member)
    client = verified_client(member, device)

    wrong = client.post(CODES, {"password": "falsch"})
    right = client.post(CODES, {"password": PASSWORD}, follow=True)

    assert "Das Passwort ist falsch." in wrong.text
    new = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", right.text)
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert StaticToken.objects.filter(device__user=member).count() == 10


def test_member_switches_two_factor_off_with_the_password(member):
    device, _codes = enable(member)
    client = verified_client(member, device)

    wrong = client.post(DISABLE, {"password": "falsch"})
    assert "Das Passwort ist falsch." in wrong.text
    assert two_factor.has_device(member)

    response = client.post(DISABLE, {"password": PASSWORD})

    assert response["Location"] == reverse("accounts:profile")
    assert not two_factor.has_device(member)
    assert not StaticToken.objects.filter(device__user=member).exists()
    client.post(reverse("accounts:logout"))
    assert password_step(client, member)["Location"] == HOME


# --- replacing the app and switching it off need the password ----------------------------------


def test_replacing_the_app_needs_the_password(member):
    old_device, _codes = enable(member)
    client = verified_client(member, old_device)
    page = client.get(SETUP)
    new_device = AuthenticatorApp.objects.get(user=member, confirmed=False)

    missing = client.post(SETUP, {"code": code_for(new_device.bin_key)})
    wrong = client.post(SETUP, {"code": code_for(new_device.bin_key), "password": "falsch"})

    assert 'name="password"' in page.text
    assert "Bitte geben Sie Ihr Passwort ein." in missing.text
    assert "Das Passwort ist falsch." in wrong.text
    assert AuthenticatorApp.objects.get(user=member, confirmed=True) == old_device
    new_device.throttle_reset()
    right = client.post(SETUP, {"code": code_for(new_device.bin_key, 1), "password": PASSWORD})
    assert right["Location"] == CODES
    assert AuthenticatorApp.objects.get(user=member, confirmed=True) == new_device


def test_the_first_set_up_asks_for_no_password(client_for, member):
    page = client_for(member).get(SETUP)

    assert 'name="code"' in page.text and 'name="password"' not in page.text


def test_switching_the_app_off_without_the_password_is_refused(member):
    device, _codes = enable(member)
    client = verified_client(member, device)

    response = client.post(DISABLE, {"password": ""})

    assert "Bitte geben Sie Ihr Passwort ein." in response.text
    assert two_factor.has_device(member)
