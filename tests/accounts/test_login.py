"""Logging in by e-mail, in German, with django-axes locking a user name from one address."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

LOGIN = reverse("accounts:login")
PASSWORD = "ein-sicheres-Passwort-123"  # the factories' password


def _login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_member_logs_in_with_email_in_any_case(client, member):
    response = _login(client, "Member@MAINZ.example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("pages:home")
    assert int(client.session[SESSION_KEY]) == member.pk


def test_member_is_sent_back_to_the_page_they_asked_for(client, member, mainz):
    detail = reverse("authorities:detail", args=[mainz.pk])

    response = client.post(f"{LOGIN}?next={detail}", {"username": member.email, "password": PASSWORD})

    assert response["Location"] == detail


def test_member_is_not_sent_to_another_host_after_login(client, member):
    response = client.post(
        f"{LOGIN}?next=https://example.com/", {"username": member.email, "password": PASSWORD}
    )

    assert response["Location"] == reverse("pages:home")


def test_member_with_wrong_password_gets_a_german_message(client, member):
    response = _login(client, member.email, "falsches-Passwort-99")

    assert response.status_code == 200
    assert "Die E-Mail-Adresse oder das Passwort ist falsch." in response.text
    assert SESSION_KEY not in client.session
    # The address typed is kept.
    assert f'value="{member.email}"' in response.text


def test_unknown_person_gets_the_same_message_as_a_wrong_password(client, db):
    response = _login(client, "niemand@example.org", PASSWORD)

    assert "Die E-Mail-Adresse oder das Passwort ist falsch." in response.text


def test_deactivated_member_cannot_log_in(client, member):
    member.is_active = False
    member.save()

    response = _login(client, member.email, PASSWORD)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_logged_in_member_logs_out_with_post(client_for, member):
    client = client_for(member)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_member_is_locked_out_after_5_failed_logins_from_one_address(client, member, axes_on):
    for _ in range(4):
        assert _login(client, member.email, "falsch-falsch-falsch").status_code == 200

    fifth = _login(client, member.email, "falsch-falsch-falsch")
    # Even the right password no longer works from this address.
    sixth = _login(client, member.email, PASSWORD)

    for response in (fifth, sixth):
        assert response.status_code == 429
        assert "Anmeldung vorübergehend gesperrt" in response.text
        assert "Zu viele fehlgeschlagene Anmeldeversuche." in response.text
    assert SESSION_KEY not in client.session


def test_lockout_holds_for_user_and_address_not_for_others(client, member, coordinator, axes_on):
    for _ in range(5):
        _login(client, member.email, "falsch-falsch-falsch", REMOTE_ADDR="192.0.2.10")

    # Another person from the same address, and the same person from another address, may log in.
    colleague = _login(client, coordinator.email, PASSWORD, REMOTE_ADDR="192.0.2.10")
    client.post(reverse("accounts:logout"))
    elsewhere = _login(client, member.email, PASSWORD, REMOTE_ADDR="198.51.100.7")
    client.post(reverse("accounts:logout"))
    locked = _login(client, member.email, PASSWORD, REMOTE_ADDR="192.0.2.10")

    assert colleague.status_code == 302
    assert elsewhere.status_code == 302
    assert locked.status_code == 429


def test_member_with_4_failures_then_the_right_password_starts_afresh(client, member, axes_on):
    for _ in range(4):
        _login(client, member.email, "falsch-falsch-falsch")
    assert _login(client, member.email, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        _login(client, member.email, "falsch-falsch-falsch")

    assert _login(client, member.email, PASSWORD).status_code == 302


def test_member_changes_own_password(client_for, member):
    client = client_for(member)

    short = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "kurz-1", "new_password2": "kurz-1"},
    )
    ok = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neues-Passwort-2026",
            "new_password2": "Neues-Passwort-2026",
        },
    )

    assert "mindestens 12 Zeichen" in short.text
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Neues-Passwort-2026")


def test_member_updates_own_profile(client_for, member):
    client = client_for(member)

    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Erika", "last_name": "Mustermann", "language": "de"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Mustermann"
    page = client.get(reverse("accounts:profile")).text
    assert "Ihr Profil wurde gespeichert." in page
    # No phone number: no feature of the portal uses one, so it is not asked for (data minimisation).
    assert 'name="phone"' not in page


def test_lockout_cannot_be_dodged_by_changing_the_case_of_the_email(client, member, axes_on):
    # Login ignores case, so the lockout must too: otherwise every spelling gets 5 more tries.
    for email in [
        "member@mainz.example.org",
        "Member@mainz.example.org",
        "MEMBER@mainz.example.org",
        "member@MAINZ.example.org",
        "Member@Mainz.Example.Org",
    ]:
        _login(client, email, "falsch-falsch-falsch")

    response = _login(client, "mEmBeR@mainz.example.org", PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("axes", [False, True])
def test_a_50000_character_login_name_gets_a_german_message_not_a_server_error(
    client, member, settings, axes
):
    settings.AXES_ENABLED = axes

    response = _login(client, "a" * 50_000 + "@example.org", PASSWORD)

    assert response.status_code == 200
    assert "Eine E-Mail-Adresse hat höchstens 254 Zeichen (diese hat 50012)." in response.text
    assert SESSION_KEY not in client.session
    assert _login(client, member.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_password_confirmation_hint_is_correct_german_and_english(client_for, member, language):
    client = client_for(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("accounts:password_change")).content.decode()

    assert "das selbe" not in page
    expected = {
        "de": "Bitte geben Sie dasselbe Passwort zur Bestätigung noch einmal ein.",
        "en": "Enter the same password again to confirm it.",
    }[language]
    assert expected in page
