"""Who may open which page of the registry, and what authority staff of another authority get (404)."""

import pytest
from django.urls import reverse

from authorities.models import Authority, ContactPerson, HistoryEntry
from portal.accounts.models import Role, User
from tests.factories import ContactPersonFactory, UserFactory

ROLES = ["project_staff", "member", "coordinator", "outsider", "funder"]


@pytest.fixture
def cast(project_staff, member, coordinator, outsider, funder):
    return {
        "project_staff": project_staff,
        "member": member,
        "coordinator": coordinator,
        "outsider": outsider,
        "funder": funder,
    }


@pytest.fixture
def mainz_contact(mainz):
    return ContactPersonFactory(
        authority=mainz, name="Andrea Becker", email="andrea.becker@mainz.example.org"
    )


@pytest.fixture
def pending_colleague(mainz):
    # Invited, not yet accepted: no usable password, never logged in.
    return UserFactory(authority=mainz, password=None, email="neu@mainz.example.org")


# view → expected status per role, in the order of ROLES. Mainz's objects throughout; the
# outsider is a coordinator of Hannover.
MATRIX = {
    "list": ("get", [200, 200, 200, 200, 200]),
    "export": ("get", [200, 200, 200, 200, 200]),
    "detail": ("get", [200, 200, 200, 404, 200]),
    "edit": ("get", [200, 403, 200, 404, 403]),
    "status": ("get", [200, 403, 403, 404, 403]),
    "create": ("get", [200, 403, 403, 403, 403]),
    "contact_create": ("get", [200, 403, 200, 404, 403]),
    "contact_edit": ("get", [200, 403, 200, 404, 403]),
    "contact_delete": ("post", [302, 403, 302, 404, 403]),
    "user_list": ("get", [200, 403, 200, 200, 403]),
    "user_invite": ("get", [200, 403, 200, 200, 403]),
    "invitation_resend": ("post", [302, 403, 302, 404, 403]),
    "my_authority": ("get", [302, 302, 302, 302, 302]),
}

CASES = [
    (view, role, method, statuses[i])
    for view, (method, statuses) in MATRIX.items()
    for i, role in enumerate(ROLES)
]


def _url(view, mainz, contact, pending):
    return {
        "list": reverse("authorities:list"),
        "export": reverse("authorities:export"),
        "detail": reverse("authorities:detail", args=[mainz.pk]),
        "edit": reverse("authorities:edit", args=[mainz.pk]),
        "status": reverse("authorities:status", args=[mainz.pk]),
        "create": reverse("authorities:create"),
        "contact_create": reverse("authorities:contact_create", args=[mainz.pk]),
        "contact_edit": reverse("authorities:contact_edit", args=[mainz.pk, contact.pk]),
        "contact_delete": reverse("authorities:contact_delete", args=[mainz.pk, contact.pk]),
        "user_list": reverse("accounts:user_list"),
        "user_invite": reverse("accounts:user_invite"),
        "invitation_resend": reverse("accounts:invitation_resend", args=[pending.pk]),
        "my_authority": reverse("pages:my_authority"),
    }[view]


@pytest.mark.parametrize("view,role,method,expected", CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_each_role_gets_the_expected_status(
    client_for, cast, mainz, mainz_contact, pending_colleague, view, role, method, expected
):
    client = client_for(cast[role])
    url = _url(view, mainz, mainz_contact, pending_colleague)

    response = client.post(url) if method == "post" else client.get(url)

    assert response.status_code == expected


def test_refused_contact_delete_leaves_the_contact(
    client_for, member, outsider, funder, mainz, mainz_contact
):
    url = reverse("authorities:contact_delete", args=[mainz.pk, mainz_contact.pk])
    for user in (member, outsider, funder):
        client_for(user).post(url)
    assert ContactPerson.objects.filter(pk=mainz_contact.pk).exists()
    assert not HistoryEntry.objects.filter(authority=mainz).exists()


def test_authority_staff_are_sent_to_their_own_authority(client_for, member, outsider, mainz, hannover):
    assert client_for(member).get(reverse("pages:my_authority"))["Location"] == mainz.get_absolute_url()
    assert client_for(outsider).get(reverse("pages:my_authority"))["Location"] == hannover.get_absolute_url()


def test_member_sees_only_own_authority_in_list_and_export(client_for, member, mainz, hannover):
    client = client_for(member)

    listing = client.get(reverse("authorities:list")).text
    export = client.get(reverse("authorities:export")).content.decode("utf-8-sig")

    assert "Stadt Mainz" in listing and "Region Hannover" not in listing
    assert "Stadt Mainz" in export and "Region Hannover" not in export


def test_member_of_other_authority_gets_404_for_every_mainz_page(client_for, outsider, mainz, mainz_contact):
    client = client_for(outsider)
    for url in [
        reverse("authorities:detail", args=[mainz.pk]),
        reverse("authorities:edit", args=[mainz.pk]),
        reverse("authorities:status", args=[mainz.pk]),
        reverse("authorities:contact_create", args=[mainz.pk]),
        reverse("authorities:contact_edit", args=[mainz.pk, mainz_contact.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"name": "Übernommen", "function": "head", "phone": "0"}).status_code == 404
        ), url

    mainz.refresh_from_db()
    mainz_contact.refresh_from_db()
    assert mainz.phone == "" and mainz_contact.name == "Andrea Becker"
    assert mainz.contacts.count() == 1


# --- tampered form fields -------------------------------------------------------------------------


def test_coordinator_cannot_edit_other_authoritys_contact_through_own_authoritys_url(
    client_for, coordinator, mainz, hannover
):
    foreign = ContactPersonFactory(authority=hannover, name="Monika Krüger")

    response = client_for(coordinator).post(
        reverse("authorities:contact_edit", args=[mainz.pk, foreign.pk]),
        {"name": "Gekapert", "function": "head", "email": "", "phone": ""},
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Monika Krüger"


def test_coordinator_cannot_delete_other_authoritys_contact_through_own_authoritys_url(
    client_for, coordinator, mainz, hannover
):
    foreign = ContactPersonFactory(authority=hannover)

    response = client_for(coordinator).post(
        reverse("authorities:contact_delete", args=[mainz.pk, foreign.pk])
    )

    assert response.status_code == 404
    assert ContactPerson.objects.filter(pk=foreign.pk).exists()


def test_coordinator_adding_a_contact_with_a_foreign_authority_field_adds_it_to_own_authority(
    client_for, coordinator, mainz, hannover
):
    response = client_for(coordinator).post(
        reverse("authorities:contact_create", args=[mainz.pk]),
        {"name": "Lena Weber", "function": "contact", "email": "", "phone": "", "authority": hannover.pk},
    )

    assert response.status_code == 302
    contact = ContactPerson.objects.get(name="Lena Weber")
    assert contact.authority == mainz
    assert not hannover.contacts.exists()


def test_coordinator_invitation_with_added_role_and_authority_fields_creates_own_authority_staff(
    client_for, coordinator, mainz, hannover, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("accounts:user_invite"),
            {
                "first_name": "Jonas",
                "last_name": "Fischer",
                "email": "jonas.fischer@example.org",
                "role": Role.PROJECT_STAFF,
                "authority": hannover.pk,
                "is_staff": "on",
                "is_superuser": "on",
            },
        )

    assert response.status_code == 302
    invited = User.objects.get(email="jonas.fischer@example.org")
    assert invited.role == Role.AUTHORITY_STAFF
    assert invited.authority == mainz
    assert not invited.is_staff and not invited.is_superuser
    assert len(mailoutbox) == 1


def test_coordinator_edit_with_added_name_ags_and_notes_fields_changes_only_contact_data(
    client_for, coordinator, mainz
):
    mainz.notes = "Intern: Leitungswechsel 2025"
    mainz.save()

    response = client_for(coordinator).post(
        reverse("authorities:edit", args=[mainz.pk]),
        {
            "phone": "06131 12-0",
            "email": "auslaenderbehoerde@stadt.mainz.de",
            "name": "Stadt Mainz am Rhein",
            "ags": "07315999",
            "notes": "überschrieben",
            "participation_status": "completed",
        },
    )

    assert response.status_code == 302
    mainz.refresh_from_db()
    assert mainz.phone == "06131 12-0"
    assert mainz.email == "auslaenderbehoerde@stadt.mainz.de"
    assert (mainz.name, mainz.ags, mainz.notes) == ("Stadt Mainz", "07315000", "Intern: Leitungswechsel 2025")
    assert mainz.participation_status == "interested"


def test_outsider_cannot_resend_invitation_of_mainz_colleague(
    client_for, outsider, pending_colleague, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(outsider).post(
            reverse("accounts:invitation_resend", args=[pending_colleague.pk])
        )

    assert response.status_code == 404
    assert mailoutbox == []


def test_coordinator_sees_only_own_authoritys_accounts(
    client_for, coordinator, member, outsider, project_staff
):
    text = client_for(coordinator).get(reverse("accounts:user_list")).text
    assert member.email in text and coordinator.email in text
    assert outsider.email not in text and project_staff.email not in text


# --- what funders never see ---------------------------------------------------------------------


def test_funder_sees_no_contacts_notes_or_history_on_detail_page(
    client_for, funder, project_staff, mainz, mainz_contact
):
    client_for(project_staff).post(
        reverse("authorities:edit", args=[mainz.pk]),
        {
            "name": "Stadt Mainz",
            "kind": "kreisfreie_stadt",
            "state": "RP",
            "ags": "07315000",
            "seat": "Mainz",
            "notes": "Vertraulich: Personalengpass",
            "phone": "06131 12-3456",
        },
    )
    assert HistoryEntry.objects.filter(authority=mainz).exists()

    text = client_for(funder).get(reverse("authorities:detail", args=[mainz.pk])).text

    assert "Stadt Mainz" in text and "06131 12-3456" in text
    for secret in [
        "Andrea Becker",
        "andrea.becker@mainz.example.org",
        "Vertraulich",
        "Personalengpass",
        "Notizen des Projektteams",
        "Ansprechpersonen",
        "Änderungsverlauf",
        project_staff.last_name,
    ]:
        assert secret not in text, secret


def test_project_staff_see_contacts_notes_and_history_on_detail_page(
    client_for, project_staff, mainz, mainz_contact
):
    Authority.objects.filter(pk=mainz.pk).update(notes="Vertraulich: Personalengpass")

    text = client_for(project_staff).get(reverse("authorities:detail", args=[mainz.pk])).text

    assert "Andrea Becker" in text and "Vertraulich: Personalengpass" in text and "Änderungsverlauf" in text


def test_member_sees_contacts_but_not_project_notes(client_for, member, mainz, mainz_contact):
    Authority.objects.filter(pk=mainz.pk).update(notes="Vertraulich: Personalengpass")

    text = client_for(member).get(reverse("authorities:detail", args=[mainz.pk])).text

    assert "Andrea Becker" in text
    assert "Vertraulich" not in text and "Notizen des Projektteams" not in text
    # A member may look, not change.
    assert reverse("authorities:edit", args=[mainz.pk]) not in text


def test_funder_export_has_no_notes_column(client_for, funder, mainz):
    Authority.objects.filter(pk=mainz.pk).update(notes="Vertraulich: Personalengpass")

    content = client_for(funder).get(reverse("authorities:export")).content.decode("utf-8-sig")

    assert "Notizen" not in content and "Vertraulich" not in content
