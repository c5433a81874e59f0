"""Password-reset mails are limited per typed-in address and per client address, alike for known
and unknown addresses, so the limit tells nobody who has an account."""

import re

import pytest
from django.urls import reverse

RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")
REFUSED = "in der letzten Stunde zu viele Anfragen gestellt"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(email, remote="192.0.2.20", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, REMOTE_ADDR=remote, **extra)

    return post


@pytest.fixture
def limits(settings):
    settings.PORTAL_MAIL_LIMIT_PER_ADDRESS = 3
    settings.PORTAL_MAIL_LIMIT_PER_CLIENT = 10


@pytest.mark.parametrize("email", ["member@mainz.example.org", "niemand@example.org"])
def test_the_fourth_reset_for_one_address_within_an_hour_is_refused_in_german(
    ask, member, mailoutbox, limits, email
):
    answers = [ask(email.upper() if i == 1 else email, remote=f"192.0.2.{i}") for i in range(4)]

    assert [a.status_code for a in answers[:3]] == [302] * 3
    assert all(a["Location"] == DONE for a in answers[:3])
    assert answers[3].status_code == 429
    assert REFUSED in answers[3].text
    assert 'name="email"' in answers[3].text
    assert len(mailoutbox) == (3 if email == member.email else 0)


def test_the_refusal_reads_the_same_for_known_and_unknown_addresses(ask, member, limits):
    for _ in range(3):
        ask(member.email)
        ask("niemand@example.org", remote="192.0.2.21")

    known = ask(member.email)
    unknown = ask("niemand@example.org", remote="192.0.2.21")

    assert known.status_code == unknown.status_code == 429
    assert REFUSED in known.text
    assert _page(known, member.email) == _page(unknown, "niemand@example.org")


def _page(response, email) -> str:
    """The page without what differs on every request (CSRF token, CSP nonce) and the typed address."""
    text = response.text.replace(email, "ADRESSE")
    return re.sub(r'nonce="[^"]*"|\b[A-Za-z0-9]{64}\b', "", text)


def test_one_client_may_ask_for_ten_addresses_an_hour_then_it_waits(ask, limits, member, mailoutbox):
    answers = [ask(f"person{i}@example.org") for i in range(10)]
    eleventh = ask(member.email)
    other_client = ask(member.email, remote="198.51.100.3")

    assert [a.status_code for a in answers] == [302] * 10
    assert eleventh.status_code == 429 and REFUSED in eleventh.text
    assert other_client.status_code == 302
    # Only the other client's request reached the member's mailbox.
    assert [mail.to for mail in mailoutbox] == [[member.email]]


def test_the_limits_count_the_client_behind_the_proxy(ask, settings, limits, db):
    settings.PORTAL_PROXY_COUNT = 1
    settings.PORTAL_MAIL_LIMIT_PER_CLIENT = 2

    first = [ask(f"a{i}@example.org", remote="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.50") for i in range(3)]
    second = ask("b@example.org", remote="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.51")

    assert [a.status_code for a in first] == [302, 302, 429]
    assert second.status_code == 302


def test_a_new_hour_lifts_the_limit(ask, member, limits, mailoutbox):
    from django.core.cache import cache

    for _ in range(4):
        ask(member.email)
    cache.clear()  # what the end of the window does

    assert ask(member.email).status_code == 302
    assert len(mailoutbox) == 4


def test_a_cache_that_is_down_does_not_stop_a_reset(ask, member, monkeypatch, mailoutbox):
    from portal.accounts import ratelimit

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)

    assert ask(member.email).status_code == 302
    assert len(mailoutbox) == 1
