"""Contact persons of an authority (added, changed and removed by project staff and the authority's
coordinator, each with a history entry) and how the history reads on the detail page."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Authority, ContactPerson, HistoryAction, HistoryEntry
from authorities.services import registry as services
from tests.authorities.pages import field_error
from tests.factories import ContactPersonFactory, UserFactory

# --- contact persons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["project_staff", "coordinator"])
def test_staff_add_edit_and_remove_a_contact_person(client_for, request, mainz, who):
    user = request.getfixturevalue(who)
    client = client_for(user)

    created = client.post(
        reverse("authorities:contact_create", args=[mainz.pk]),
        {"name": "Aylin Demir", "function": "head", "email": "aylin.demir@mainz.example.org", "phone": ""},
    )
    contact = ContactPerson.objects.get(name="Aylin Demir")
    edited = client.post(
        reverse("authorities:contact_edit", args=[mainz.pk, contact.pk]),
        {
            "name": "Aylin Demir",
            "function": "deputy",
            "email": "aylin.demir@mainz.example.org",
            "phone": "06131 1",
        },
    )
    page_with_contact = client.get(mainz.get_absolute_url()).text
    removed = client.post(reverse("authorities:contact_delete", args=[mainz.pk, contact.pk]))
    page_without_contact = client.get(mainz.get_absolute_url()).text

    assert [r.status_code for r in (created, edited, removed)] == [302, 302, 302]
    assert contact.authority == mainz
    assert "Stellvertretende Leitung" in page_with_contact and "06131 1" in page_with_contact
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    assert "Die Ansprechperson „Aylin Demir“ wurde entfernt." in page_without_contact
    assert "Noch keine Ansprechpersonen eingetragen." in page_without_contact
    history = list(mainz.history.order_by("pk").values_list("action", "actor", "subject"))
    assert history == [
        (HistoryAction.CONTACT_ADDED, user.pk, "Aylin Demir"),
        (HistoryAction.CONTACT_UPDATED, user.pk, "Aylin Demir"),
        (HistoryAction.CONTACT_DELETED, user.pk, "Aylin Demir"),
    ]
    assert "Ansprechperson entfernt: Aylin Demir" in page_without_contact
    assert "<del>Leitung</del> → <ins>Stellvertretende Leitung</ins>" in page_without_contact


def test_contact_delete_needs_post(client_for, project_staff, mainz):
    contact = ContactPersonFactory(authority=mainz)

    response = client_for(project_staff).get(
        reverse("authorities:contact_delete", args=[mainz.pk, contact.pk])
    )

    assert response.status_code == 405
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_coordinator_gets_german_errors_for_a_contact_without_name(client_for, coordinator, mainz):
    response = client_for(coordinator).post(
        reverse("authorities:contact_create", args=[mainz.pk]),
        {"name": "", "function": "", "email": "kein at", "phone": "06131"},
    )

    assert response.status_code == 200
    assert "Bitte korrigieren Sie die 3 markierten Angaben." in response.text
    assert field_error(response.text, "name") == "Dieses Feld ist zwingend erforderlich."
    assert field_error(response.text, "email") == "Bitte gültige E-Mail-Adresse eingeben."
    assert 'value="06131"' in response.text
    assert not ContactPerson.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_history_names_the_import_when_no_person_changed_it(client_for, project_staff, mainz):
    HistoryEntry.objects.create(
        authority=mainz,
        actor=None,
        action=HistoryAction.IMPORTED,
        changes=[{"field": "population", "old": "1", "new": "2"}],
    )

    page = client_for(project_staff).get(mainz.get_absolute_url()).text

    assert "Aus dem Verzeichnis aktualisiert" in page and "Systemimport" in page
    assert "Einwohnerzahl: <del>1</del> → <ins>2</ins>" in page


def test_detail_page_runs_the_same_queries_for_2_and_20_contacts_and_history_entries(
    client_for, project_staff, mainz, django_assert_max_num_queries
):

    client = client_for(project_staff)

    def add(n):
        for _ in range(n):
            contact = ContactPersonFactory(authority=mainz)
            HistoryEntry.objects.create(
                authority=mainz, actor=project_staff, action=HistoryAction.CONTACT_ADDED, subject=contact.name
            )

    add(2)
    with CaptureQueriesContext(connection) as queries:
        client.get(mainz.get_absolute_url())
    add(18)
    with django_assert_max_num_queries(len(queries)):
        client.get(mainz.get_absolute_url())


def test_the_history_comes_in_pages_of_20_newest_first_with_the_same_queries(
    client_for, project_staff, mainz, django_assert_max_num_queries
):
    client = client_for(project_staff)

    def add(numbers):
        for number in numbers:
            HistoryEntry.objects.create(
                authority=mainz,
                actor=project_staff,
                action=HistoryAction.CONTACT_ADDED,
                subject=f"Person {number:02d}",
            )

    def subjects(response):
        return re.findall(r"<strong>Ansprechperson hinzugefügt: (Person \d+)</strong>", response.text)

    add(range(2))
    with CaptureQueriesContext(connection) as queries:
        client.get(mainz.get_absolute_url())
    # Pinned (issue 18): session and user; the authority with the size of its history, its processes,
    # contacts, the history's page and the status changes (the history is not counted apart).
    assert len(queries) == 7
    assert not [query for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    add(range(2, 45))
    with django_assert_max_num_queries(len(queries)):
        first = client.get(mainz.get_absolute_url())
    last = client.get(mainz.get_absolute_url(), {"seite": 3})

    assert subjects(first) == [f"Person {number:02d}" for number in range(44, 24, -1)]
    assert subjects(last) == [f"Person {number:02d}" for number in range(4, -1, -1)]
    assert "1–20 von 45" in first.text and "41–45 von 45" in last.text
    # The page links lead back to the history, not to the top of the authority's page.
    assert 'href="?seite=2#verlauf" rel="next"' in first.text


def test_coordinator_finds_each_contacts_edit_link_and_remove_button(client_for, coordinator, mainz):
    contacts = ContactPersonFactory.create_batch(2, authority=mainz)

    page = client_for(coordinator).get(mainz.get_absolute_url()).text

    for contact in contacts:
        edit = reverse("authorities:contact_edit", args=[mainz.pk, contact.pk])
        remove = reverse("authorities:contact_delete", args=[mainz.pk, contact.pk])
        assert f'<a class="kern-link" href="{edit}">{contact.name} bearbeiten</a>' in page
        assert (
            f'<form method="post" action="{remove}" data-confirm="{contact.name} wirklich entfernen?">'
            in page
        )


def test_detail_page_shows_numbers_and_dates_in_german_format(client_for, member, mainz):
    Authority.objects.filter(pk=mainz.pk).update(
        population=218578,
        population_date=date(2022, 5, 15),
        participation_status="participating",
        status_changed_on=date(2024, 3, 1),
        joined_on=date(2024, 3, 1),
    )

    text = client_for(member).get(mainz.get_absolute_url()).text

    assert "218.578 (Stand 15.05.2022)" in text
    assert "Nimmt teil" in text and "seit 01.03.2024" in text


def test_member_reads_dates_in_the_history_in_german_format(client_for, project_staff, member, mainz):
    services.authority_change_status(
        authority=mainz, status="participating", changed_on=date(2025, 4, 1), by=project_staff
    )
    text = client_for(member).get(mainz.get_absolute_url()).text
    assert "01.04.2025" in text
    assert "2025-04-01" not in text


def test_history_reads_in_the_viewers_language_with_every_text_escaped(client_for, project_staff, mainz):
    # Built in Python (authorities.selectors.registry.history_items), as the template wrote it.
    HistoryEntry.objects.create(
        authority=mainz,
        actor=project_staff,
        action=HistoryAction.PHASE_CHANGED,
        subject="<b>Umsetzung</b>",
        changes=[{"field": "phase", "old": "2", "new": "4"}, {"field": "coach", "old": "", "new": ""}],
        reason="Übersprungen & <i>begründet</i>",
    )
    german = client_for(project_staff)
    english = client_for(UserFactory(project_staff=True))
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    for _ in range(2):  # the labels of the choices are kept per field, never their translation
        page = german.get(mainz.get_absolute_url()).text
        assert "<strong>Phase gewechselt: &lt;b&gt;Umsetzung&lt;/b&gt;</strong>" in page
        assert "Phase: <del>Standortbestimmung</del> → <ins>Umsetzung</ins>" in page
        assert "Prozessbegleitung: <ins>–</ins>" in page
        assert "Begründung: Übersprungen &amp; &lt;i&gt;begründet&lt;/i&gt;</p>" in page
        assert f"· {project_staff}</span>" in page
        page = english.get(mainz.get_absolute_url()).text
        assert "<strong>Phase changed: &lt;b&gt;Umsetzung&lt;/b&gt;</strong>" in page
        assert "Phase: <del>Site assessment</del> → <ins>Implementation</ins>" in page
        assert "Reason: Übersprungen &amp;" in page
