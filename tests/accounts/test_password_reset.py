"""Forgotten password: a German mail with a link that works once and for 3 days."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse

NEW_PASSWORD = "Rheinufer-Spaziergang-7"


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks, mailoutbox):
    def request(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:password_reset"), {"email": email})

    return request


def _link(mail) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/konto/passwort-neu/[^/\s]+/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match[1]


def _set_password(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    return form, response


def test_member_gets_a_german_reset_mail(request_reset, mailoutbox, member):
    response = request_reset("MEMBER@mainz.example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    [mail] = mailoutbox
    assert mail.to == [member.email]
    assert mail.subject == "Neues Passwort für das ABH-Portal"
    assert "Der Link ist 3 Tage gültig und kann nur einmal benutzt werden" in mail.body
    assert mail.alternatives and _link(mail) in mail.alternatives[0][0]


def test_unknown_address_gets_the_same_answer_and_no_mail(request_reset, mailoutbox, db):
    response = request_reset("niemand@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_member_sets_a_new_password_with_the_link_once(client, request_reset, mailoutbox, member):
    request_reset(member.email)
    link = _link(mailoutbox[0])

    form, saved = _set_password(client, link)
    again = client.get(link, follow=True)
    forced = client.post(
        link, {"new_password1": "Noch-ein-Passwort-99", "new_password2": "Noch-ein-Passwort-99"}
    )

    assert 'name="new_password1"' in form.text
    assert saved.status_code == 302 and saved["Location"] == reverse("accounts:login")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert "Dieser Link ist nicht mehr gültig." in again.text
    assert 'name="new_password1"' not in again.text
    assert "Dieser Link ist nicht mehr gültig." in forced.text
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert (
        client.post(
            reverse("accounts:login"), {"username": member.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_member_gets_a_german_error_for_a_short_password(client, request_reset, mailoutbox, member):
    request_reset(member.email)

    _form, response = _set_password(client, _link(mailoutbox[0]), "kurz-2026")

    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in response.text
    member.refresh_from_db()
    assert not member.check_password("kurz-2026")


@pytest.mark.parametrize(
    "age,valid", [(timedelta(days=2, hours=23), True), (timedelta(days=3, minutes=1), False)]
)
def test_reset_link_is_valid_for_three_days(client, request_reset, mailoutbox, member, age, valid):
    request_reset(member.email)
    link = _link(mailoutbox[0])
    later = datetime.now() + age

    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        form = client.get(link, follow=True)

    assert ('name="new_password1"' in form.text) is valid
    assert ("Dieser Link ist nicht mehr gültig." in form.text) is not valid


def test_reset_link_stops_working_once_the_password_changed_otherwise(
    client, request_reset, mailoutbox, member
):
    request_reset(member.email)
    member.set_password("Anders-gesetzt-2026")
    member.save()

    form = client.get(_link(mailoutbox[0]), follow=True)

    assert "Dieser Link ist nicht mehr gültig." in form.text


def test_a_forged_reset_link_is_refused(client, member):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "abc-123"]))

    assert response.status_code == 200
    assert "Dieser Link ist nicht mehr gültig." in response.text
    assert SESSION_KEY not in client.session
