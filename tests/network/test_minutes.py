"""Minutes of a meeting: drafted by the moderators, published to the members; tasks with someone
responsible, collected on the network page until they are done."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from network.models import ItemKind, MinutesItem, RegistrationStatus
from network.services import meetings as services
from tests.factories import (
    MeetingFactory,
    MinutesFactory,
    MinutesItemFactory,
)
from tests.network.helpers import messages_of, url

REGISTERED = RegistrationStatus.REGISTERED


# --- drafting and publishing ----------------------------------------------------------------------


def test_moderator_drafts_minutes_that_members_see_only_once_published(
    client_for, member, coordinator, mainz, meeting
):
    meeting.network.moderators.add(coordinator)
    moderator = client_for(coordinator)
    moderator.post(url("minutes", meeting), {"kind": "information", "text": "Bericht aus Mainz"})
    moderator.post(
        url("minutes", meeting),
        {
            "kind": "task",
            "text": "Checkliste entwerfen",
            "responsible_authority": mainz.pk,
            "due_on": "2030-01-31",
        },
    )
    assert MinutesItem.objects.count() == 2

    reader = client_for(member)
    assert "Bericht aus Mainz" not in reader.get(meeting.get_absolute_url()).text
    assert "Checkliste entwerfen" not in reader.get(meeting.network.get_absolute_url()).text
    assert "Bericht aus Mainz" in moderator.get(meeting.get_absolute_url()).text

    meeting.starts_at = timezone.now() - dt.timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])
    response = moderator.post(url("minutes_publish", meeting), follow=True)
    assert "Das Protokoll ist veröffentlicht und für alle Mitglieder sichtbar." in messages_of(response)
    assert "Bericht aus Mainz" in reader.get(meeting.get_absolute_url()).text
    assert "Checkliste entwerfen" in reader.get(meeting.network.get_absolute_url()).text


def test_minutes_of_a_meeting_ahead_cannot_be_published(client_for, project_staff, meeting):
    """Minutes record what was said: the service refuses before the meeting begins, and the page
    offers no button until then."""
    minutes = MinutesFactory(meeting=meeting, published_at=None)
    MinutesItemFactory(minutes=minutes, text="Vorab notiert")
    staff = client_for(project_staff)
    page = staff.get(url("minutes", meeting)).text
    assert "Veröffentlichen können Sie es, sobald das Treffen begonnen hat." in page
    assert url("minutes_publish", meeting) not in page

    response = staff.post(url("minutes_publish", meeting), follow=True)
    assert "erst veröffentlicht werden, wenn das Treffen begonnen hat" in messages_of(response)[0]
    minutes.refresh_from_db()
    assert minutes.published_at is None

    meeting.starts_at = timezone.now() - dt.timedelta(minutes=5)
    meeting.save(update_fields=["starts_at"])
    assert url("minutes_publish", meeting) in staff.get(url("minutes", meeting)).text
    services.minutes_publish(minutes=minutes, by=project_staff)
    minutes.refresh_from_db()
    assert minutes.published_at is not None


def test_minutes_render_markdown_like_posts_and_escape_html(client_for, member, meeting):
    minutes = MinutesFactory(meeting=meeting)
    MinutesItemFactory(
        minutes=minutes,
        text="**Beschluss** zur [Checkliste](https://example.org/liste)\n\n"
        "- erster Punkt\n- <script>x</script>",
    )
    page = client_for(member).get(meeting.get_absolute_url()).text
    assert "<strong>Beschluss</strong>" in page
    assert '<a href="https://example.org/liste" rel="nofollow noopener">Checkliste</a>' in page
    assert "<li>erster Punkt</li>" in page
    assert "<li>&lt;script&gt;x&lt;/script&gt;</li>" in page


def test_a_task_cannot_name_an_authority_outside_the_network(client_for, project_staff, hannover, meeting):
    response = client_for(project_staff).post(
        url("minutes", meeting),
        {"kind": "task", "text": "Fremde Aufgabe", "responsible_authority": hannover.pk},
    )
    assert response.status_code == 200
    assert not MinutesItem.objects.exists()
    with pytest.raises(ValidationError, match="Mitgliedsbehörde"):
        services.minutes_item_add(
            meeting=meeting, by=project_staff, kind=ItemKind.TASK, text="X", responsible_authority=hannover
        )


def test_a_task_needs_someone_responsible(client_for, project_staff, meeting):
    response = client_for(project_staff).post(url("minutes", meeting), {"kind": "task", "text": "Wer?"})
    assert "Bitte nennen Sie für eine Aufgabe eine zuständige Behörde oder Person." in response.text


# --- tasks ----------------------------------------------------------------------------------------


def test_network_page_collects_open_tasks_and_marks_overdue_ones(client_for, member, mainz, meeting):
    today = timezone.localdate()
    minutes = MinutesFactory(meeting=meeting)
    MinutesItemFactory(minutes=minutes, text="Überfällige Aufgabe", due_on=today - dt.timedelta(days=3))
    MinutesItemFactory(
        minutes=minutes, text="Aufgabe für Mainz", responsible_authority=mainz, responsible_person="Frau Roth"
    )
    MinutesItemFactory(minutes=minutes, text="Erledigte Aufgabe", done_on=today)
    MinutesItemFactory(minutes=minutes, kind=ItemKind.DECISION, text="Ein Beschluss", due_on=None)
    MinutesItemFactory(
        minutes__meeting=MeetingFactory(network=meeting.network),
        minutes__published_at=None,
        text="Entwurfsaufgabe",
    )

    response = client_for(member).get(meeting.network.get_absolute_url())
    tasks = [item.text for item in response.context["open_tasks"]]
    assert tasks == ["Überfällige Aufgabe", "Aufgabe für Mainz"]
    assert "überfällig" in response.text
    assert "Frau Roth" in response.text


def test_moderator_marks_a_task_done(client_for, project_staff, meeting):
    item = MinutesItemFactory(minutes__meeting=meeting)
    client = client_for(project_staff)
    response = client.post(url("task_done", meeting, item.pk), follow=True)
    assert "Die Aufgabe ist als erledigt markiert." in messages_of(response)
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    assert not MinutesItem.objects.open_tasks().exists()


def test_member_may_not_mark_tasks_done(client_for, member, meeting):
    item = MinutesItemFactory(minutes__meeting=meeting)
    assert client_for(member).post(url("task_done", meeting, item.pk)).status_code == 403


def test_member_gets_404_for_another_networks_minutes_item(client_for, project_staff, meeting, other_meeting):
    foreign_item = MinutesItemFactory(minutes__meeting=other_meeting)
    client = client_for(project_staff)
    # Project staff see both networks, but the item must belong to the meeting in the URL.
    assert client.post(url("task_done", meeting, foreign_item.pk)).status_code == 404
    foreign_item.refresh_from_db()
    assert foreign_item.done_on is None
