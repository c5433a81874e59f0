"""Two-factor login: set-up from the profile, the login's second step, recovery codes, switching
off, the requirement for project staff and the admin."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import two_factor
from portal.accounts.views import PENDING_LOGIN

PASSWORD = "ein-sicheres-Passwort-123"  # the factories' password
LOGIN = reverse("accounts:login")
LOGIN_CODE = reverse("accounts:login_code")
SETUP = reverse("accounts:two_factor_setup")
CODES = reverse("accounts:two_factor_codes")
DISABLE = reverse("accounts:two_factor_disable")
HOME = reverse("pages:home")


def code_for(key: bytes, steps_ahead: int = 0) -> str:
    """What the person's app shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def wrong_code(key: bytes) -> str:
    valid = {code_for(key, steps) for steps in (-1, 0, 1, 2)}
    return next(code for code in ("000001", "000002", "000003", "000004", "000005") if code not in valid)


def enable(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.setup_start(user)
    return two_factor.enable(user, device, code_for(device.bin_key))


def verified_client(user, device) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def password_step(client, user, **query):
    url = f"{LOGIN}?next={query['next']}" if "next" in query else LOGIN
    return client.post(url, {"username": user.email, "password": PASSWORD})


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
    assert TOTPDevice.objects.get(user=member).confirmed
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
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_wrong_code_at_set_up_gets_a_german_message_next_to_the_field(client_for, member):
    client = client_for(member)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=member)
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
    device = TOTPDevice.objects.get(user=member)

    response = client.post(SETUP, {"code": code_for(device.bin_key, steps_ahead=-10)})

    assert "Der Code ist falsch oder abgelaufen." in response.text


def test_setting_up_ends_the_persons_other_sessions(client_for, member):
    elsewhere, here = client_for(member), client_for(member)
    here.get(SETUP)
    device = TOTPDevice.objects.get(user=member)

    here.post(SETUP, {"code": code_for(device.bin_key)})

    profile = reverse("accounts:profile")
    # The other browser is at the login again: it never passed a second step.
    assert elsewhere.get(profile)["Location"].startswith(LOGIN)
    assert SESSION_KEY not in elsewhere.session
    assert here.get(profile).status_code == 200


# --- the login's second step ------------------------------------------------------------------


def test_login_without_two_factor_is_unchanged(client, member):
    response = password_step(client, member)

    assert response["Location"] == HOME
    assert int(client.session[SESSION_KEY]) == member.pk


def test_login_with_two_factor_needs_the_code_before_anything_else(client, member, mainz):
    device, _codes = enable(member)
    detail = reverse("authorities:detail", args=[mainz.pk])

    first = password_step(client, member, next=detail)

    assert first.status_code == 302 and first["Location"] == LOGIN_CODE
    # Not logged in between the steps.
    assert SESSION_KEY not in client.session
    assert client.get(detail).status_code == 302
    page = client.get(LOGIN_CODE)
    assert "Anmelden: zweiter Schritt" in page.text
    assert 'autocomplete="one-time-code"' in page.text

    wrong = client.post(LOGIN_CODE, {"code": wrong_code(device.bin_key)})
    assert "Der Code ist falsch oder abgelaufen." in wrong.text
    assert SESSION_KEY not in client.session

    device.throttle_reset()  # the test does not wait out the 1-second back-off
    done = client.post(LOGIN_CODE, {"code": code_for(device.bin_key, steps_ahead=1)})

    assert done.status_code == 302 and done["Location"] == detail
    assert int(client.session[SESSION_KEY]) == member.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(detail).status_code == 200


def test_the_second_step_without_the_first_goes_back_to_the_login(client, member):
    enable(member)

    response = client.get(LOGIN_CODE, follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert "Bitte melden Sie sich erneut" in response.text


def test_the_second_step_expires_after_5_minutes(client, member):
    device, _codes = enable(member)
    password_step(client, member)
    session = client.session
    session[PENDING_LOGIN] = {**session[PENDING_LOGIN], "at": time.time() - 301}
    session.save()

    response = client.post(LOGIN_CODE, {"code": code_for(device.bin_key, 1)})

    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session


def test_recovery_code_logs_in_once(client, member):
    _device, codes = enable(member)
    code = codes[0]

    password_step(client, member)
    first = client.post(LOGIN_CODE, {"code": f"{code[:4]}-{code[4:]}".upper()}, follow=True)

    assert int(client.session[SESSION_KEY]) == member.pk
    assert "Es bleiben noch 9 Codes." in first.text
    assert not StaticToken.objects.filter(token=code).exists()

    client.post(reverse("accounts:logout"))
    password_step(client, member)
    second = client.post(LOGIN_CODE, {"code": code})

    assert "Dieser Wiederherstellungscode ist falsch oder wurde schon verwendet." in second.text
    assert SESSION_KEY not in client.session


def test_quick_retries_are_throttled_with_a_german_message(client, member):
    device, _codes = enable(member)
    password_step(client, member)

    client.post(LOGIN_CODE, {"code": wrong_code(device.bin_key)})
    # Even the right code waits out the back-off (1, 2, 4 … seconds after each failure).
    throttled = client.post(LOGIN_CODE, {"code": code_for(device.bin_key, 1)})

    assert "Zu viele falsche Codes. Bitte warten Sie" in throttled.text
    assert SESSION_KEY not in client.session


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_five_wrong_codes_lock_the_login_like_wrong_passwords(client, member, axes_on):
    device, _codes = enable(member)
    password_step(client, member)

    responses = [client.post(LOGIN_CODE, {"code": wrong_code(device.bin_key)}) for _ in range(5)]

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in responses[4].text
    # The password step is locked now as well, and the half-done login is forgotten.
    assert password_step(client, member).status_code == 429
    device.throttle_reset()
    assert client.post(LOGIN_CODE, {"code": code_for(device.bin_key, 1)})["Location"] == LOGIN
    assert SESSION_KEY not in client.session


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


# --- required for project staff ---------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True


def test_staff_without_two_factor_is_sent_to_the_set_up_from_every_page(client_for, project_staff, required):
    client = client_for(project_staff)

    for url in (HOME, reverse("accounts:profile"), reverse("authorities:list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == SETUP
    htmx = client.get(HOME, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Für Ihr Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben." in page.text
    # Logging out and the health check stay reachable.
    assert client.get(reverse("pages:health")).status_code in (200, 503)
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_staff_is_free_once_set_up(client_for, project_staff, required):
    client = client_for(project_staff)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=project_staff)
    client.post(SETUP, {"code": code_for(device.bin_key)})

    assert client.get(HOME).status_code == 200
    # …and may not switch it off.
    assert "Zwei-Faktor-Anmeldung ausschalten" not in client.get(reverse("accounts:profile")).text
    assert client.post(DISABLE, {"password": PASSWORD}).status_code == 403
    assert two_factor.has_device(project_staff)


def test_staff_is_not_forced_when_the_setting_is_off(client_for, project_staff, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = False

    assert client_for(project_staff).get(HOME).status_code == 200


def test_requirement_is_for_project_staff_only(client_for, member, funder, required):
    assert client_for(member).get(HOME).status_code == 200
    assert client_for(funder).get(HOME).status_code == 200


def test_staff_session_that_skipped_the_second_step_is_logged_out(client_for, project_staff, required):
    enable(project_staff)
    client = client_for(project_staff)  # force_login: no second step

    response = client.get(HOME)

    assert response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


# --- the admin ----------------------------------------------------------------------------------

ADMIN = reverse("admin:index")


@pytest.fixture
def admin_staff(project_staff):
    project_staff.is_staff = project_staff.is_superuser = True
    project_staff.save()
    return project_staff


def test_admin_refuses_a_staff_session_without_the_second_step(client_for, admin_staff):
    enable(admin_staff)

    response = client_for(admin_staff).get(ADMIN, follow=True)

    assert response.status_code == 403


def test_admin_opens_for_a_verified_session(admin_staff, required):
    device, _codes = enable(admin_staff)

    assert verified_client(admin_staff, device).get(ADMIN).status_code == 200


def test_admin_needs_two_factor_when_the_setting_is_on(client_for, admin_staff, required):
    response = client_for(admin_staff).get(ADMIN)

    assert response["Location"] == SETUP


def test_admin_without_the_setting_and_without_a_device_works_as_before(client_for, admin_staff):
    assert client_for(admin_staff).get(ADMIN).status_code == 200


def test_admin_login_goes_through_the_portals_login(client):
    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Anmelden" in response.text


def test_admin_login_page_sends_a_permitted_session_to_the_admin(client_for, admin_staff):
    response = client_for(admin_staff).get(reverse("admin:login"))

    assert response["Location"] == ADMIN


def test_admin_lists_devices_without_their_secrets(admin_staff):
    device, _codes = enable(admin_staff)
    client = verified_client(admin_staff, device)

    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert page.status_code == 200
    assert device.key not in page.text
    assert "qrcode" not in page.text.lower()


# --- links never skip the second step ---------------------------------------------------------


@pytest.fixture
def reset_link(client, django_capture_on_commit_callbacks, mailoutbox):
    def request(user) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:password_reset"), {"email": user.email})
        match = re.search(
            r"http://127\.0\.0\.1:8000(/konto/passwort-neu/[^/\s]+/[^/\s]+/)", mailoutbox[-1].body
        )
        return match[1]

    return request


NEW_PASSWORD = "Ein-ganz-neues-Passwort-2026"


def test_a_reset_token_on_the_invitation_page_is_refused(client, member, reset_link):
    """The attack: a person with the app asks for a reset and opens the invitation page with its token."""
    device, _codes = enable(member)
    uidb64, token = reset_link(member).strip("/").split("/")[-2:]
    invitation = reverse("accounts:invitation_accept", args=[uidb64, token])

    page = client.get(invitation, follow=True)
    forced = client.post(
        reverse("accounts:invitation_accept", args=[uidb64, "einladung"]),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "Dieser Link ist nicht mehr gültig." in page.text
    assert 'name="new_password1"' not in page.text
    assert "Dieser Link ist nicht mehr gültig." in forced.text
    assert SESSION_KEY not in client.session
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
    assert TOTPDevice.objects.get(user=member) == device


def test_a_person_with_the_app_who_resets_the_password_still_needs_the_code(client, member, reset_link):
    device, _codes = enable(member)
    form = client.get(reset_link(member), follow=True)

    saved = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert saved["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert client.get(reverse("accounts:profile"))["Location"].startswith(LOGIN)
    step = client.post(LOGIN, {"username": member.email, "password": NEW_PASSWORD})
    assert step["Location"] == LOGIN_CODE and SESSION_KEY not in client.session
    client.post(LOGIN_CODE, {"code": code_for(device.bin_key, 1)})
    assert int(client.session[SESSION_KEY]) == member.pk


def test_an_invited_person_who_has_the_app_is_sent_to_the_code_step(
    client, project_staff, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    from portal.accounts import services

    with django_capture_on_commit_callbacks(execute=True):
        person = services.user_invite(by=project_staff, email="lena@example.org", first_name="Lena",
                                      last_name="Weber", role="authority_staff", authority=mainz)  # fmt: skip
    # A device before the first login (e.g. made in the admin): the link must not log in past it.
    device, _codes = enable(person)
    link = re.search(r"http://127\.0\.0\.1:8000(/konto/einladung/[^/\s]+/[^/\s]+/)", mailoutbox[-1].body)[1]
    form = client.get(link, follow=True)

    saved = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert saved["Location"] == LOGIN_CODE
    assert SESSION_KEY not in client.session
    done = client.post(LOGIN_CODE, {"code": code_for(device.bin_key, 1)})
    assert done["Location"] == HOME
    assert int(client.session[SESSION_KEY]) == person.pk


def test_replacing_the_app_needs_the_password(member):
    old_device, _codes = enable(member)
    client = verified_client(member, old_device)
    page = client.get(SETUP)
    new_device = TOTPDevice.objects.get(user=member, confirmed=False)

    missing = client.post(SETUP, {"code": code_for(new_device.bin_key)})
    wrong = client.post(SETUP, {"code": code_for(new_device.bin_key), "password": "falsch"})

    assert 'name="password"' in page.text
    assert "Bitte geben Sie Ihr Passwort ein." in missing.text
    assert "Das Passwort ist falsch." in wrong.text
    assert TOTPDevice.objects.get(user=member, confirmed=True) == old_device
    new_device.throttle_reset()
    right = client.post(SETUP, {"code": code_for(new_device.bin_key, 1), "password": PASSWORD})
    assert right["Location"] == CODES
    assert TOTPDevice.objects.get(user=member, confirmed=True) == new_device


def test_the_first_set_up_asks_for_no_password(client_for, member):
    page = client_for(member).get(SETUP)

    assert 'name="code"' in page.text and 'name="password"' not in page.text


def test_switching_the_app_off_without_the_password_is_refused(member):
    device, _codes = enable(member)
    client = verified_client(member, device)

    response = client.post(DISABLE, {"password": ""})

    assert "Bitte geben Sie Ihr Passwort ein." in response.text
    assert two_factor.has_device(member)
