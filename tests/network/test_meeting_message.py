"""Project staff write to everyone registered for a meeting: one mail each through the outbox, once per
message; moderators from the authorities and members may not."""

import pytest
from django.core.exceptions import PermissionDenied

from network.models import RegistrationStatus
from network.services.meetings import meeting_message_send
from portal.notifications.models import Notification
from tests.factories import MeetingRegistrationFactory
from tests.helpers import page_queries
from tests.network.helpers import messages_of, url

TOKEN = "fedcba9876543210fedcba9876543210"
MESSAGE = {"subject": "Anreise", "text": "Bitte nutzen Sie den Eingang B.", "token": TOKEN}


@pytest.fixture
def registered(meeting, member, colleague, coordinator):
    MeetingRegistrationFactory(meeting=meeting, participant=member)
    MeetingRegistrationFactory(meeting=meeting, participant=colleague)
    MeetingRegistrationFactory(meeting=meeting, participant=coordinator, status=RegistrationStatus.CANCELLED)
    return [member, colleague]


def test_project_staff_message_everyone_registered_for_a_meeting(
    client_for, project_staff, meeting, registered, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(project_staff)
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{url("meeting_message", meeting)}"' in detail
    page = client.get(url("meeting_message", meeting)).content.decode()
    assert "Die Nachricht geht als E-Mail an 2 angemeldete Personen." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("meeting_message", meeting), MESSAGE, follow=True)

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert messages_of(response) == ["Die Nachricht wurde als 2 E-Mails in den Versand gegeben."]
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(person.email for person in registered)
    mail = mailoutbox[0]
    assert mail.subject == "Anreise – Netzwerktreffen Frühjahr"
    assert "Bitte nutzen Sie den Eingang B." in mail.body and mail.reply_to == [project_staff.email]
    assert meeting.get_absolute_url() in mail.body
    assert Notification.objects.filter(kind="network.participants_message").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_message", meeting), MESSAGE)
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("who", ["coordinator", "member", "funder"])
def test_only_project_staff_write_to_the_registered(client_for, request, who, meeting, registered):
    user = request.getfixturevalue(who)
    client = client_for(user)

    assert client.get(url("meeting_message", meeting)).status_code == 403
    assert client.post(url("meeting_message", meeting), MESSAGE).status_code == 403
    with pytest.raises(PermissionDenied):
        meeting_message_send(meeting=meeting, by=user, **MESSAGE)
    assert not Notification.objects.exists()


def test_the_moderating_coordinator_sees_no_message_button(client_for, coordinator, meeting):
    html = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()

    assert "Bearbeiten" in html and url("meeting_message", meeting) not in html


def test_the_message_page_runs_the_same_queries_for_2_and_20_people(
    client_for, project_staff, meeting, django_assert_max_num_queries
):
    client = client_for(project_staff)
    MeetingRegistrationFactory.create_batch(2, meeting=meeting)
    with_2 = page_queries(client, url("meeting_message", meeting))
    MeetingRegistrationFactory.create_batch(18, meeting=meeting)

    with django_assert_max_num_queries(with_2):
        client.get(url("meeting_message", meeting))
