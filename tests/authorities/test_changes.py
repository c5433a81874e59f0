"""Changing the registry: create, edit, status; every change leaves a history entry with who and
what, shown on the detail page; bad input is refused with a German message next to the field.
Contact persons and how the history reads: test_contacts_and_history.py."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from authorities.models import Authority, HistoryAction, HistoryEntry
from tests.authorities.pages import field_error

CREATE = reverse("authorities:create")


def _detail(mainz):
    return reverse("authorities:detail", args=[mainz.pk])


def _authority_form(**overrides):
    data = {
        "name": "Landkreis Cochem-Zell",
        "kind": "landkreis",
        "state": "RP",
        "ags": "07135000",
        "seat": "Cochem",
        "street": "Endertplatz 2",
        "postal_code": "56812",
        "city": "Cochem",
        "phone": "02671 61-0",
        "email": "auslaenderbehoerde@cochem-zell.de",
        "website": "https://www.cochem-zell.de",
        "staff_count": "12",
        "population": "61587",
        "population_date": "2022-05-15",
        "joined_on": "",
        "notes": "Erstgespräch im Mai",
        "participation_status": "interested",
    }
    return {**data, **overrides}


# --- create ------------------------------------------------------------------------------------------


def test_project_staff_create_an_authority_and_see_it_in_the_history(client_for, project_staff):
    client = client_for(project_staff)

    response = client.post(CREATE, _authority_form())

    authority = Authority.objects.get(ags="07135000")
    assert response.status_code == 302
    assert response["Location"] == authority.get_absolute_url()
    assert (authority.name, authority.population, authority.population_date) == (
        "Landkreis Cochem-Zell",
        61587,
        date(2022, 5, 15),
    )
    entry = authority.history.get()
    assert (entry.action, entry.actor, entry.subject) == (
        HistoryAction.CREATED,
        project_staff,
        authority.name,
    )

    page = client.get(response["Location"]).text
    assert "Die Behörde „Landkreis Cochem-Zell“ wurde angelegt." in page
    assert "Behörde angelegt: Landkreis Cochem-Zell" in page
    assert project_staff.get_full_name() in page


def test_project_staff_create_a_participating_authority_that_joined_today(client_for, project_staff):
    client_for(project_staff).post(CREATE, _authority_form(participation_status="participating"))

    authority = Authority.objects.get(ags="07135000")
    # As when the status is changed later: taking part since the day it was recorded.
    assert authority.status_changed_on == timezone.localdate()
    assert authority.joined_on == timezone.localdate()


def test_project_staff_create_a_participating_authority_with_its_own_join_date(client_for, project_staff):
    client_for(project_staff).post(
        CREATE, _authority_form(participation_status="participating", joined_on="2024-03-01")
    )

    assert Authority.objects.get(ags="07135000").joined_on == date(2024, 3, 1)


def test_project_staff_get_a_german_error_next_to_ags_for_a_duplicate(client_for, project_staff, mainz):
    before = Authority.objects.count()

    response = client_for(project_staff).post(CREATE, _authority_form(ags="07315000", name="Zweites Mainz"))

    assert response.status_code == 200
    assert (
        field_error(response.text, "ags")
        == "Eine Behörde mit diesem Amtlichen Gemeindeschlüssel gibt es bereits."
    )
    assert Authority.objects.count() == before
    assert not HistoryEntry.objects.exists()


def test_project_staff_see_their_input_kept_and_an_error_summary_after_bad_input(client_for, project_staff):
    response = client_for(project_staff).post(
        CREATE, _authority_form(ags="7315", postal_code="5681", population="viele", website="cochem-zell")
    )

    text = response.text
    assert response.status_code == 200
    assert not Authority.objects.exists()
    # The summary at the top counts the problems and links each field.
    assert "Bitte korrigieren Sie die 4 markierten Angaben." in text
    for field in ("ags", "postal_code", "population", "website"):
        assert f'href="#id_{field}"' in text
    assert field_error(text, "ags") == "Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern."
    assert field_error(text, "postal_code") == "Die Postleitzahl besteht aus 5 Ziffern."
    assert field_error(text, "population") == "Bitte eine ganze Zahl eingeben."
    assert field_error(text, "website") == "Bitte eine gültige Adresse eingeben."
    assert 'aria-invalid="true"' in text
    # What was typed is still there.
    for value in ("Landkreis Cochem-Zell", "Endertplatz 2", "Erstgespräch im Mai", "viele", "7315"):
        assert value in text


def test_project_staff_get_required_field_errors_in_german(client_for, project_staff):
    response = client_for(project_staff).post(CREATE, _authority_form(name="", seat=""))

    assert field_error(response.text, "name") == "Dieses Feld ist zwingend erforderlich."
    assert field_error(response.text, "seat") == "Dieses Feld ist zwingend erforderlich."
    assert not Authority.objects.exists()


# --- edit ---------------------------------------------------------------------------------------------


def _edit_form(authority, **overrides):
    data = {
        "name": authority.name,
        "kind": authority.kind,
        "state": authority.state,
        "ags": authority.ags,
        "seat": authority.seat,
        "street": "",
        "postal_code": "",
        "city": "",
        "phone": "",
        "email": "",
        "website": "",
        "staff_count": "",
        "population": str(authority.population or ""),
        "population_date": "",
        "joined_on": "",
        "notes": "",
    }
    return {**data, **overrides}


def test_project_staff_edit_an_authority_and_the_change_is_recorded(client_for, project_staff, mainz):
    client = client_for(project_staff)

    response = client.post(
        reverse("authorities:edit", args=[mainz.pk]),
        _edit_form(mainz, phone="06131 12-0", kind="grosse_selbststaendige_stadt", notes="Leitung neu"),
    )

    assert response.status_code == 302
    mainz.refresh_from_db()
    assert (mainz.phone, mainz.kind, mainz.notes) == (
        "06131 12-0",
        "grosse_selbststaendige_stadt",
        "Leitung neu",
    )
    entry = mainz.history.get()
    assert entry.action == HistoryAction.UPDATED and entry.actor == project_staff
    assert {c["field"]: (c["old"], c["new"]) for c in entry.changes} == {
        "phone": ("", "06131 12-0"),
        "kind": ("kreisfreie_stadt", "grosse_selbststaendige_stadt"),
        "notes": ("", "Leitung neu"),
    }

    page = client.get(_detail(mainz)).text
    assert "Die Änderungen wurden gespeichert." in page
    assert "Stammdaten geändert" in page
    assert "<del>Kreisfreie Stadt</del> → <ins>Große selbständige Stadt</ins>" in page
    assert "Telefon: <ins>06131 12-0</ins>" in page


def test_project_staff_saving_without_changes_records_nothing(client_for, project_staff, mainz):
    client_for(project_staff).post(reverse("authorities:edit", args=[mainz.pk]), _edit_form(mainz))

    assert not mainz.history.exists()


def test_project_staff_cannot_give_an_authority_another_authoritys_ags(
    client_for, project_staff, mainz, hannover
):
    response = client_for(project_staff).post(
        reverse("authorities:edit", args=[mainz.pk]), _edit_form(mainz, ags=hannover.ags, phone="1")
    )

    assert response.status_code == 200
    assert (
        field_error(response.text, "ags")
        == "Eine Behörde mit diesem Amtlichen Gemeindeschlüssel gibt es bereits."
    )
    mainz.refresh_from_db()
    assert (mainz.ags, mainz.phone) == ("07315000", "")


def test_coordinator_edits_contact_data_of_own_authority(client_for, coordinator, mainz):
    client = client_for(coordinator)
    url = reverse("authorities:edit", args=[mainz.pk])

    form = client.get(url).text
    response = client.post(
        url,
        {
            "street": "Kaiserstraße 3-5",
            "postal_code": "55116",
            "city": "Mainz",
            "phone": "06131 12-2345",
            "email": "abh@stadt.mainz.de",
            "website": "https://www.mainz.de",
            "staff_count": "48",
        },
    )

    # Only contact data is offered: no name, AGS, notes or status.
    for field in ("street", "phone", "staff_count"):
        assert f'name="{field}"' in form
    for field in ("name", "ags", "notes", "participation_status", "kind", "state"):
        assert f'name="{field}"' not in form
    assert response.status_code == 302
    mainz.refresh_from_db()
    assert (mainz.street, mainz.postal_code, mainz.staff_count) == ("Kaiserstraße 3-5", "55116", 48)
    entry = mainz.history.get()
    assert entry.actor == coordinator
    assert client.get(_detail(mainz)).text.count(coordinator.get_full_name()) >= 1


def test_coordinator_gets_a_german_error_for_a_bad_email_and_nothing_is_saved(client_for, coordinator, mainz):
    response = client_for(coordinator).post(
        reverse("authorities:edit", args=[mainz.pk]), {"phone": "06131 12-0", "email": "keine-adresse"}
    )

    assert response.status_code == 200
    assert field_error(response.text, "email") == "Bitte gültige E-Mail-Adresse eingeben."
    assert 'value="06131 12-0"' in response.text
    mainz.refresh_from_db()
    assert mainz.phone == ""
    assert not mainz.history.exists()


def test_member_cannot_edit_own_authority(client_for, member, mainz):
    response = client_for(member).post(reverse("authorities:edit", args=[mainz.pk]), {"phone": "0"})

    assert response.status_code == 403
    mainz.refresh_from_db()
    assert mainz.phone == ""


# --- participation status ----------------------------------------------------------------------------


def test_project_staff_change_the_status_and_it_shows_in_history(client_for, project_staff, mainz):
    client = client_for(project_staff)

    response = client.post(
        reverse("authorities:status", args=[mainz.pk]),
        {"participation_status": "participating", "changed_on": "2025-02-01"},
    )

    assert response.status_code == 302
    mainz.refresh_from_db()
    assert mainz.participation_status == "participating"
    assert mainz.status_changed_on == date(2025, 2, 1)
    assert mainz.joined_on == date(2025, 2, 1)
    entry = mainz.history.get()
    assert (entry.action, entry.actor) == (HistoryAction.STATUS_CHANGED, project_staff)

    page = client.get(_detail(mainz)).text
    assert "Der Teilnahmestatus wurde geändert." in page
    assert "Teilnahmestatus geändert" in page
    assert "<del>Interessiert</del> → <ins>Nimmt teil</ins>" in page
    assert "seit 01.02.2025" in page


def test_project_staff_change_status_to_today_when_no_date_given(client_for, project_staff, mainz):
    client_for(project_staff).post(
        reverse("authorities:status", args=[mainz.pk]), {"participation_status": "paused"}
    )

    mainz.refresh_from_db()
    assert (mainz.participation_status, mainz.status_changed_on) == ("paused", timezone.localdate())
    assert mainz.joined_on is None


def test_rejoining_keeps_the_first_join_date(client_for, project_staff, mainz):
    client = client_for(project_staff)
    url = reverse("authorities:status", args=[mainz.pk])
    client.post(url, {"participation_status": "participating", "changed_on": "2024-03-01"})
    client.post(url, {"participation_status": "paused", "changed_on": "2024-09-01"})
    client.post(url, {"participation_status": "participating", "changed_on": "2025-01-01"})

    mainz.refresh_from_db()
    assert mainz.joined_on == date(2024, 3, 1)
    assert mainz.status_changed_on == date(2025, 1, 1)
    assert mainz.history.filter(action=HistoryAction.STATUS_CHANGED).count() == 3


def test_project_staff_get_an_error_when_the_status_does_not_change(client_for, project_staff, mainz):
    response = client_for(project_staff).post(
        reverse("authorities:status", args=[mainz.pk]), {"participation_status": "interested"}
    )

    assert response.status_code == 200
    assert field_error(response.text, "participation_status") == "Die Behörde hat diesen Status bereits."
    assert not mainz.history.exists()


def test_project_staff_get_an_error_for_a_bad_status_date(client_for, project_staff, mainz):
    response = client_for(project_staff).post(
        reverse("authorities:status", args=[mainz.pk]),
        {"participation_status": "paused", "changed_on": "31.02.2025"},
    )

    assert field_error(response.text, "changed_on") == "Bitte ein gültiges Datum eingeben."
    mainz.refresh_from_db()
    assert mainz.participation_status == "interested"
