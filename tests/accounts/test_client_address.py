"""The client's address behind the reverse proxy: X-Forwarded-For read exactly as far as the
configured number of trusted proxies, for the lockout, the security log and the rate limits."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from portal.accounts.client import client_ip
from portal.privacy.models import EventKind, SecurityEvent

LOGIN = reverse("accounts:login")
PASSWORD = "ein-sicheres-Passwort-123"  # the factories' password
PROXY = "10.0.0.2"  # nginx on the same network as gunicorn


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies, remote, forwarded, client",
    [
        # Without a proxy the header is the client's own text and is ignored.
        (0, "192.0.2.1", "198.51.100.9", "192.0.2.1"),
        # One proxy appends the address it was connected from: the last one.
        (1, PROXY, "192.0.2.10", "192.0.2.10"),
        # What the client wrote itself stands to the left and is ignored.
        (1, PROXY, "198.51.100.99, 192.0.2.10", "192.0.2.10"),
        (1, PROXY, "  2001:db8::1 ", "2001:db8::1"),
        # Two proxies: the second address from the right.
        (2, PROXY, "198.51.100.99, 192.0.2.10, 10.0.0.1", "192.0.2.10"),
        # Missing, too short or malformed: the address the request came from.
        (1, PROXY, None, PROXY),
        (2, PROXY, "192.0.2.10", PROXY),
        (1, PROXY, "unbekannt", PROXY),
        (1, PROXY, "192.0.2.10, ", PROXY),
        (1, PROXY, "x" * 10_000, PROXY),
        (0, "kein-ip", None, None),
    ],
)
def test_client_address_is_read_as_far_as_the_trusted_proxies(settings, proxies, remote, forwarded, client):
    settings.PORTAL_PROXY_COUNT = proxies

    assert client_ip(_request(remote, forwarded)) == client


def test_axes_asks_the_portal_for_the_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.PORTAL_PROXY_COUNT = 1

    assert get_client_ip_address(_request(PROXY, "192.0.2.10")) == "192.0.2.10"


@pytest.fixture
def behind_one_proxy(settings):
    settings.AXES_ENABLED = True
    settings.PORTAL_PROXY_COUNT = 1


def _login(client, user, password, forwarded):
    return client.post(
        LOGIN,
        {"username": user.email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_locking_one_client_behind_the_proxy_does_not_lock_another(client, member, behind_one_proxy):
    for _ in range(5):
        _login(client, member, "falsch-falsch-falsch", "192.0.2.10")

    locked = _login(client, member, PASSWORD, "192.0.2.10")
    elsewhere = _login(client, member, PASSWORD, "198.51.100.7")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302 and int(client.session[SESSION_KEY]) == member.pk


def test_a_spoofed_left_most_address_does_not_lift_the_lockout(client, member, behind_one_proxy):
    for _ in range(5):
        _login(client, member, "falsch-falsch-falsch", "192.0.2.10")

    # The client writes another address into the header; the proxy appends the real one.
    spoofed = _login(client, member, PASSWORD, "198.51.100.7, 192.0.2.10")

    assert spoofed.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_security_log_records_the_client_not_the_proxy(client, member, behind_one_proxy):
    _login(client, member, "falsch-falsch-falsch", "203.0.113.5, 192.0.2.44")
    _login(client, member, PASSWORD, "192.0.2.45")

    failed = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    login = SecurityEvent.objects.get(kind=EventKind.LOGIN)
    assert (failed.ip, login.ip) == ("192.0.2.44", "192.0.2.45")
