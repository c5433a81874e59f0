"""Two-factor login required for project staff (TWO_FACTOR_REQUIRED_FOR_STAFF), and the admin,
which opens only for a session that passed the second step."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portal.accounts import two_factor
from portal.accounts.models import AuthenticatorApp
from tests.accounts.authenticator import (
    DISABLE,
    HOME,
    LOGIN,
    PASSWORD,
    SETUP,
    code_for,
    enable,
    verified_client,
)

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
    device = AuthenticatorApp.objects.get(user=project_staff)
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
