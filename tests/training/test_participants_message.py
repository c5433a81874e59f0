"""Project staff write to everyone enrolled in a course: one mail each through the outbox, all or none,
once per message however often it is posted; the page says how many mails were queued."""

import pytest
from django.core.exceptions import PermissionDenied

from portal.notifications import services
from portal.notifications.models import Notification
from tests.factories import EnrollmentFactory
from tests.helpers import page_queries
from tests.training.helpers import (
    CANCELLED,
    REQUESTED,
    WAITLISTED,
    field_error,
    messages_of,
    page_text,
    url,
)
from training.services.enrollments import course_message_send

TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def people(course, staff_of):
    """Two confirmed, one request, one on the waiting list and one who cancelled."""
    confirmed_1, confirmed_2, asked, waiting, gone = staff_of(n=5)
    EnrollmentFactory(course=course, participant=confirmed_1)
    EnrollmentFactory(course=course, participant=confirmed_2)
    EnrollmentFactory(course=course, participant=asked, status=REQUESTED, confirmed_at=None)
    EnrollmentFactory(course=course, participant=waiting, status=WAITLISTED, waitlist_position=1)
    EnrollmentFactory(course=course, participant=gone, status=CANCELLED, confirmed_at=None)
    return {"seats": [confirmed_1, confirmed_2, asked], "waiting": waiting, "gone": gone}


def _message(**extra):
    return {
        "subject": "Raumänderung",
        "text": "Wir treffen uns in Raum 3.12.\nBis bald!",
        "token": TOKEN,
        **extra,
    }


def test_project_staff_message_everyone_holding_a_seat(
    client_for, project_staff, course, people, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(project_staff)
    participants_page = client.get(url("participants", course.pk))
    assert f'href="{url("participants_message", course.pk)}"' in participants_page.content.decode()
    page = page_text(client.get(url("participants_message", course.pk)))
    assert "Die Nachricht geht als E-Mail an 3 angemeldete Personen." in page
    assert "Auf Wunsch auch an 1 Person auf der Warteliste." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("participants_message", course.pk), _message(), follow=True)

    assert response.redirect_chain == [(url("participants", course.pk), 302)]
    assert messages_of(response) == ["Die Nachricht wurde als 3 E-Mails in den Versand gegeben."]
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(p.email for p in people["seats"])
    mail = mailoutbox[0]
    assert mail.subject == "Raumänderung – Aufenthaltsrecht kompakt"
    assert "Wir treffen uns in Raum 3.12.\nBis bald!" in mail.body
    assert project_staff.get_full_name() in mail.body
    assert "Raum 3.12.<br>Bis bald!" in mail.alternatives[0][0]
    assert mail.reply_to == [project_staff.email]
    assert Notification.objects.filter(kind="training.participants_message").count() == 3


def test_the_waiting_list_is_written_to_only_when_chosen(
    client_for, project_staff, course, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(project_staff).post(
            url("participants_message", course.pk), _message(waiting_list="on"), follow=True
        )

    assert messages_of(response) == ["Die Nachricht wurde als 4 E-Mails in den Versand gegeben."]
    recipients = {mail.to[0] for mail in mailoutbox}
    assert people["waiting"].email in recipients and people["gone"].email not in recipients


def test_the_same_message_posted_twice_goes_out_once(
    client_for, project_staff, course, people, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(project_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("participants_message", course.pk), _message())
        again = client.post(url("participants_message", course.pk), _message(), follow=True)

    assert len(mailoutbox) == 3
    # (The first post's message is still waiting to be shown.)
    assert messages_of(again)[-1:] == [
        "Diese Nachricht wurde bereits verschickt; es wurde keine weitere E-Mail versandt."
    ]
    # A new form is a new message.
    html = client.get(url("participants_message", course.pk)).content.decode()
    assert 'name="token"' in html and TOKEN not in html


@pytest.mark.parametrize(
    "change, field_id, error",
    [
        ({"subject": ""}, "id_subject", "Dieses Feld ist zwingend erforderlich."),
        ({"text": "  "}, "id_text", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_message_without_subject_or_text_is_refused_at_the_field(
    client_for, project_staff, course, people, change, field_id, error
):
    response = client_for(project_staff).post(url("participants_message", course.pk), _message(**change))

    assert field_error(response.content.decode(), field_id) == error
    assert not Notification.objects.exists()


def test_a_tampered_token_is_refused(client_for, project_staff, course, people):
    response = client_for(project_staff).post(url("participants_message", course.pk), _message(token="x"))

    assert "Das Formular ist nicht mehr gültig. Bitte laden Sie die Seite neu." in page_text(response)
    assert not Notification.objects.exists()


def test_a_message_to_nobody_is_refused(client_for, project_staff, course):
    response = client_for(project_staff).post(url("participants_message", course.pk), _message())

    assert "Niemand ist angemeldet: Die Nachricht hätte keine Empfängerinnen und Empfänger." in page_text(
        response
    )
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_write_to_the_participants(client_for, request, who, course, people):
    client = client_for(request.getfixturevalue(who))

    assert client.get(url("participants_message", course.pk)).status_code == 403
    assert client.post(url("participants_message", course.pk), _message()).status_code == 403
    assert not Notification.objects.exists()
    with pytest.raises(PermissionDenied):
        course_message_send(
            course=course, by=request.getfixturevalue(who), subject="a", text="b", token=TOKEN
        )


def test_a_message_is_all_or_none(project_staff, course, people, monkeypatch):
    sent = []

    def fail_on_the_second(**kwargs):
        if sent:
            raise RuntimeError("mail server")
        sent.append(kwargs)

    monkeypatch.setattr(services, "send_email", fail_on_the_second)

    with pytest.raises(RuntimeError):
        course_message_send(course=course, by=project_staff, subject="a", text="b", token=TOKEN)

    assert not Notification.objects.exists()


def test_the_message_page_runs_the_same_queries_for_3_and_30_people(
    client_for, project_staff, course, staff_of, django_assert_max_num_queries
):
    client = client_for(project_staff)
    for person in staff_of(n=3):
        EnrollmentFactory(course=course, participant=person)
    with_3 = page_queries(client, url("participants_message", course.pk))
    for position, person in enumerate(staff_of(n=27), start=1):
        EnrollmentFactory(course=course, participant=person, status=WAITLISTED, waitlist_position=position)

    with django_assert_max_num_queries(with_3):
        client.get(url("participants_message", course.pk))
