"""The login's second step for people with two-factor login, and the one-time links (password
reset, invitation) that must never skip it."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from portal.accounts.models import AuthenticatorApp
from portal.accounts.views import PENDING_LOGIN
from tests.accounts.authenticator import (
    HOME,
    LOGIN,
    LOGIN_CODE,
    PASSWORD,
    code_for,
    enable,
    password_step,
    wrong_code,
)

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
    assert AuthenticatorApp.objects.get(user=member) == device


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
