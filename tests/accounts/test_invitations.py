"""Invitations: project staff invite anyone, a coordinator colleagues of their own authority; the
person gets a German mail with a one-time link, sets a password and is logged in."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portal.accounts.models import Role, User

INVITE = reverse("accounts:user_invite")
PASSWORD = "Willkommen-in-Mainz-2026"


@pytest.fixture
def invite(client_for, django_capture_on_commit_callbacks):
    def post(by, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(by).post(INVITE, data)

    return post


def _link(mail) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/konto/einladung/[^/\s]+/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match[1]


def test_project_staff_invite_authority_staff_who_get_a_german_mail(invite, project_staff, mainz, mailoutbox):
    response = invite(
        project_staff,
        first_name="Lena",
        last_name="Weber",
        email="Lena.Weber@Mainz.example.org",
        role="authority_staff",
        authority=mainz.pk,
        is_coordinator="on",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_list")
    person = User.objects.get(email="lena.weber@mainz.example.org")
    assert (person.role, person.authority, person.is_coordinator) == (Role.AUTHORITY_STAFF, mainz, True)
    assert person.invited_by == project_staff and person.invited_at is not None
    assert not person.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == ["lena.weber@mainz.example.org"]
    assert mail.subject == "Einladung in das ABH-Portal"
    assert "Guten Tag Lena Weber" in mail.body
    assert f"{project_staff.get_full_name()} hat Sie in das ABH-Portal eingeladen." in mail.body
    assert "Der Link ist 3 Tage gültig und kann nur einmal benutzt werden" in mail.body
    assert _link(mail)


def test_project_staff_see_the_pending_invitation_in_the_account_list(client_for, project_staff, mainz):
    client = client_for(project_staff)

    response = client.post(
        INVITE,
        {
            "first_name": "Lena",
            "last_name": "Weber",
            "email": "lena@example.org",
            "role": "authority_staff",
            "authority": mainz.pk,
        },
        follow=True,
    )

    text = response.text

    assert "Die Einladung an lena@example.org wurde verschickt." in text
    assert "eingeladen" in text and "Einladung an lena@example.org erneut senden" in text


@pytest.mark.parametrize("role", [Role.PROJECT_STAFF, Role.FUNDER])
def test_project_staff_invite_project_staff_and_funders_without_authority(
    invite, project_staff, mailoutbox, role
):
    invite(project_staff, first_name="Fiona", last_name="Förderer", email="neu@example.org", role=role)

    person = User.objects.get(email="neu@example.org")
    assert (person.role, person.authority, person.is_coordinator) == (role, None, False)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"role": "authority_staff"}, "authority", "Bitte wählen Sie die Ausländerbehörde der Person."),
        (
            {"role": "funder", "authority": "MAINZ"},
            "authority",
            "Nur Mitarbeitende einer Ausländerbehörde gehören zu einer Behörde.",
        ),
        (
            {"role": "funder", "is_coordinator": "on"},
            "is_coordinator",
            "Nur Mitarbeitende einer Ausländerbehörde können koordinieren.",
        ),
        (
            {"role": "authority_staff", "authority": "MAINZ", "email": "MEMBER@mainz.example.org"},
            "email",
            "Für diese E-Mail-Adresse gibt es bereits ein Konto.",
        ),
        (
            {"role": "authority_staff", "authority": "MAINZ", "email": "keine-adresse"},
            "email",
            "Bitte gültige E-Mail-Adresse eingeben.",
        ),
    ],
)
def test_project_staff_get_a_german_error_and_nobody_is_invited(
    invite, project_staff, member, mainz, mailoutbox, data, field, message
):
    data = {"first_name": "Lena", "last_name": "Weber", "email": "lena@example.org", **data}
    if data.get("authority") == "MAINZ":
        data["authority"] = mainz.pk
    users_before = User.objects.count()

    response = invite(project_staff, **data)

    assert response.status_code == 200
    error = re.search(rf'id="id_{field}-error">(.*?)</div>', response.text, re.S)
    assert error and message in error[1]
    assert 'value="Weber"' in response.text
    assert User.objects.count() == users_before
    assert mailoutbox == []


def test_coordinator_invites_a_colleague_of_own_authority(invite, client_for, coordinator, mainz, mailoutbox):
    form = client_for(coordinator).get(INVITE).text
    response = invite(coordinator, first_name="Jonas", last_name="Fischer", email="jonas@mainz.example.org")

    # No choice of role or authority is offered to a coordinator.
    assert 'name="role"' not in form and 'name="authority"' not in form
    assert "Sie laden eine Kollegin oder einen Kollegen der Stadt Mainz ein." in form
    assert response.status_code == 302
    person = User.objects.get(email="jonas@mainz.example.org")
    assert (person.role, person.authority, person.invited_by) == (Role.AUTHORITY_STAFF, mainz, coordinator)
    assert len(mailoutbox) == 1


def test_invited_person_sets_a_password_and_is_logged_in(invite, client, project_staff, mainz, mailoutbox):
    invite(
        project_staff,
        first_name="Lena",
        last_name="Weber",
        email="lena@example.org",
        role="authority_staff",
        authority=mainz.pk,
    )
    link = _link(mailoutbox[0])

    form = client.get(link, follow=True)
    set_password_url = form.redirect_chain[-1][0]
    short = client.post(set_password_url, {"new_password1": "Mainz-2026", "new_password2": "Mainz-2026"})
    done = client.post(set_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert "Legen Sie ein Passwort für Ihr Konto lena@example.org fest." in form.text
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in short.text
    assert done.status_code == 302 and done["Location"] == reverse("pages:home")
    person = User.objects.get(email="lena@example.org")
    assert person.check_password(PASSWORD)
    assert int(client.session[SESSION_KEY]) == person.pk
    home = client.get(done["Location"]).text
    assert "Willkommen im ABH-Portal. Ihr Konto ist eingerichtet." in home
    assert "Stadt Mainz" in home


def test_invitation_link_works_only_once(invite, client, project_staff, mainz, mailoutbox):
    invite(
        project_staff,
        first_name="Lena",
        last_name="Weber",
        email="lena@example.org",
        role="authority_staff",
        authority=mainz.pk,
    )
    link = _link(mailoutbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.post(reverse("accounts:logout"))

    again = client.get(link, follow=True)

    assert "Dieser Link ist nicht mehr gültig." in again.text
    assert "Bitten Sie die Person, die Sie eingeladen hat, um eine neue Einladung." in again.text
    assert 'name="new_password1"' not in again.text


def test_resent_invitation_mails_a_fresh_link(
    invite, client_for, project_staff, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        project_staff,
        first_name="Lena",
        last_name="Weber",
        email="lena@example.org",
        role="authority_staff",
        authority=mainz.pk,
    )
    person = User.objects.get(email="lena@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(project_staff).post(reverse("accounts:invitation_resend", args=[person.pk]))

    assert response.status_code == 302
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["lena@example.org"]


def test_invitation_cannot_be_resent_after_it_was_accepted(client_for, project_staff, member):
    response = client_for(project_staff).post(reverse("accounts:invitation_resend", args=[member.pk]))

    assert response.status_code == 403


def test_rolled_back_invitation_sends_no_mail(
    project_staff, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from portal.accounts import services

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.user_invite(
            by=project_staff,
            email="x@example.org",
            first_name="X",
            last_name="Y",
            role=Role.AUTHORITY_STAFF,
            authority=mainz,
        )
        raise RuntimeError("abort")

    assert mailoutbox == []
    assert not User.objects.filter(email="x@example.org").exists()


def test_invitation_link_expires_after_three_days(invite, client, project_staff, mainz, mailoutbox):
    from datetime import datetime, timedelta
    from unittest import mock

    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    invite(project_staff, first_name="Lena", last_name="Weber", email="lena@example.org",
           role="authority_staff", authority=mainz.pk)  # fmt: skip
    later = datetime.now() + timedelta(days=3, minutes=1)

    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = client.get(_link(mailoutbox[0]), follow=True)

    assert "Dieser Link ist nicht mehr gültig." in response.text
    assert 'name="new_password1"' not in response.text


# --- the invitation link is its own, and only for a pending invitation ----------------------------


def _invite_lena(invite, project_staff, mainz, mailoutbox) -> str:
    invite(project_staff, first_name="Lena", last_name="Weber", email="lena@example.org",
           role="authority_staff", authority=mainz.pk)  # fmt: skip
    return _link(mailoutbox[-1])


def test_a_resent_invitation_voids_the_link_of_the_one_before(
    invite, client, client_for, project_staff, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    first = _invite_lena(invite, project_staff, mainz, mailoutbox)
    person = User.objects.get(email="lena@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(project_staff).post(reverse("accounts:invitation_resend", args=[person.pk]))
    second = _link(mailoutbox[-1])

    old = client.get(first, follow=True)
    new = client.get(second, follow=True)

    assert first != second
    assert "Dieser Link ist nicht mehr gültig." in old.text and 'name="new_password1"' not in old.text
    assert 'name="new_password1"' in new.text


def test_an_accepted_invitation_link_is_refused(invite, client, project_staff, mainz, mailoutbox):
    link = _invite_lena(invite, project_staff, mainz, mailoutbox)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.post(reverse("accounts:logout"))

    again = client.get(link, follow=True)

    assert "Dieser Link ist nicht mehr gültig." in again.text
    assert SESSION_KEY not in client.session


def test_the_invitation_link_of_a_deactivated_account_is_refused(
    invite, client, project_staff, mainz, mailoutbox
):
    link = _invite_lena(invite, project_staff, mainz, mailoutbox)
    User.objects.filter(email="lena@example.org").update(is_active=False)

    response = client.get(link, follow=True)

    assert "Dieser Link ist nicht mehr gültig." in response.text
    assert 'name="new_password1"' not in response.text


def test_an_invitation_link_does_not_open_the_password_reset_page(
    invite, client, project_staff, mainz, mailoutbox
):
    link = _invite_lena(invite, project_staff, mainz, mailoutbox)
    uidb64, token = link.strip("/").split("/")[-2:]

    response = client.get(reverse("accounts:password_reset_confirm", args=[uidb64, token]), follow=True)

    assert "Dieser Link ist nicht mehr gültig." in response.text
    assert 'name="new_password1"' not in response.text


# --- what the invite form says about existing accounts --------------------------------------------


def _success_message(response) -> str:
    text = re.sub(r"\s+", " ", response.text)
    match = re.search(r"Die Einladung an (\S+) wurde verschickt[^<]*", text)
    assert match, text[:3000]
    return match[0].replace(match[1], "<ADRESSE>")


def test_coordinator_gets_the_same_answer_for_another_authoritys_account_as_for_a_new_address(
    client_for, coordinator, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    data = {"first_name": "Jonas", "last_name": "Fischer"}
    before = outsider.email, outsider.first_name, outsider.authority_id, outsider.invited_by_id

    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(INVITE, {**data, "email": "jonas@mainz.example.org"}, follow=True)
        existing = client.post(INVITE, {**data, "email": outsider.email.upper()}, follow=True)

    assert new.redirect_chain == existing.redirect_chain == [(reverse("accounts:user_list"), 302)]
    assert _success_message(new) == _success_message(existing)
    assert "bereits ein Konto" not in existing.text
    # The existing account is unchanged and its holder gets no mail.
    outsider.refresh_from_db()
    assert (outsider.email, outsider.first_name, outsider.authority_id, outsider.invited_by_id) == before
    assert [mail.to for mail in mailoutbox] == [["jonas@mainz.example.org"]]


def test_coordinator_is_told_about_a_colleague_who_already_has_an_account(client_for, coordinator, member):
    response = client_for(coordinator).post(
        INVITE, {"first_name": "M", "last_name": "M", "email": member.email}
    )

    assert response.status_code == 200
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in response.text
