"""The person's authenticator app in the two-factor tests: the codes it shows, a wrong one, a device
set up in one step, a session that passed the second step; and the pages the tests visit."""

import time

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from portal.accounts import two_factor
from portal.accounts.models import AuthenticatorApp

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


def enable(user) -> tuple[AuthenticatorApp, list[str]]:
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
