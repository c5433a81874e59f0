"""The idle timeout (production: SESSION_COOKIE_AGE = 30 minutes, SESSION_REFRESH_SECONDS = 60): a
session ends at most SESSION_COOKIE_AGE after the last request and at least a minute less, while a page
opened within a minute of the last write does not write the session again."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

PROFILE = reverse("accounts:profile")
LOGIN = reverse("accounts:login")
AGE = 30 * 60


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() under the test's control (the session store and the middleware ask it)."""
    now = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: now[0])

    def advance(seconds):
        now[0] += timedelta(seconds=seconds)

    advance.now = lambda: now[0]
    return advance


@pytest.fixture
def idle_settings(settings):
    settings.SESSION_COOKIE_AGE = AGE
    settings.SESSION_REFRESH_SECONDS = 60
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    return settings


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_page_within_a_minute_of_the_last_write_does_not_write_the_session(
    idle_settings, clock, client_for, member
):
    client = client_for(member)
    assert _writes(client, PROFILE)  # the first page writes its time into the session
    written = _expiry(client)

    clock(59)
    assert _writes(client, PROFILE) == []
    assert _expiry(client) == written

    clock(1)
    assert _writes(client, PROFILE)
    assert _expiry(client) == written + timedelta(seconds=60)


def test_the_session_ends_at_most_a_minute_early(idle_settings, clock, client_for, member):
    client = client_for(member)
    client.get(PROFILE)  # written now
    clock(59)
    client.get(PROFILE)  # not written: the idle time still counts from the write 59 s before
    clock(AGE - 59)

    response = client.get(PROFILE)  # AGE - 59 s after the last request

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_session_lives_until_the_idle_timeout(idle_settings, clock, client_for, member):
    client = client_for(member)
    client.get(PROFILE)
    clock(AGE - 1)

    assert client.get(PROFILE).status_code == 200


def test_the_session_never_outlives_the_idle_timeout(idle_settings, clock, client_for, member):
    client = client_for(member)
    client.get(PROFILE)
    clock(AGE)

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logout_ends_the_session_also_with_the_cached_engine(idle_settings, clock, client_for, member):
    idle_settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = client_for(member)
    key = client.session.session_key
    assert client.get(PROFILE).status_code == 200
    stolen = client.cookies[idle_settings.SESSION_COOKIE_NAME].value

    client.post(reverse("accounts:logout"))

    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[idle_settings.SESSION_COOKIE_NAME] = stolen  # the old cookie, e.g. copied before
    assert client.get(PROFILE).status_code == 302
