"""Meetings of a network: planning them, registering (oneself or a colleague), attendance, the
calendar file, and cancelling after the start."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import Meeting, MeetingRegistration, RegistrationStatus
from network.services import meetings as services
from tests.factories import (
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import at, took_place
from tests.network.helpers import messages_of, url

REGISTERED = RegistrationStatus.REGISTERED


# --- access ---------------------------------------------------------------------------------------


def test_member_gets_404_for_another_networks_meeting_under_their_own_network(
    client_for, member, network, other_meeting
):
    # The meeting id of network B put into network A's URL.
    tampered = reverse("network:meeting", args=[network.pk, other_meeting.pk])
    client = client_for(member)
    assert client.get(tampered).status_code == 404
    tampered_register = reverse("network:meeting_register", args=[network.pk, other_meeting.pk])
    assert client.post(tampered_register).status_code == 404
    assert not MeetingRegistration.objects.exists()


def test_member_cannot_unregister_someone_else(client_for, member, mainz, meeting):
    colleague = UserFactory(authority=mainz)
    registration = MeetingRegistrationFactory(meeting=meeting, participant=colleague)
    response = client_for(member).post(url("meeting_unregister", meeting, registration.pk))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == REGISTERED


def test_member_who_does_not_moderate_may_not_plan_meetings_or_write_minutes(client_for, member, meeting):
    client = client_for(member)
    assert client.get(reverse("network:meeting_create", args=[meeting.network_id])).status_code == 403
    assert client.get(url("meeting_edit", meeting)).status_code == 403
    assert client.get(url("minutes", meeting)).status_code == 403
    assert client.get(url("meeting_attendance", meeting)).status_code == 403
    assert client.get(reverse("network:create")).status_code == 403


# --- planning -------------------------------------------------------------------------------------


def test_moderator_creates_a_meeting(client_for, member, network):
    network.moderators.add(member)
    starts = (timezone.localtime() + dt.timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    response = client_for(member).post(
        reverse("network:meeting_create", args=[network.pk]),
        {
            "title": "Fachtag Service",
            "kind": "conference",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
            "online_link": "https://video.example.org/fachtag",
            "capacity": "30",
        },
    )
    meeting = Meeting.objects.get(title="Fachtag Service")
    assert response.status_code == 302
    assert meeting.network == network and meeting.created_by == member


def test_meeting_needs_a_place_and_a_deadline_before_the_start(client_for, project_staff, network):
    starts = timezone.localtime() + dt.timedelta(days=10)
    response = client_for(project_staff).post(
        reverse("network:meeting_create", args=[network.pk]),
        {
            "title": "Ohne Ort",
            "kind": "meeting",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "registration_deadline": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "Bitte geben Sie einen Veranstaltungsort oder einen Online-Link an." in response.text
    assert "Der Anmeldeschluss muss vor dem Beginn liegen." in response.text
    assert not Meeting.objects.filter(title="Ohne Ort").exists()


def test_capacity_cannot_drop_below_the_registrations(project_staff, mainz, meeting):
    for _ in range(2):
        MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
    with pytest.raises(ValidationError, match="bereits 2 Personen angemeldet"):
        services.meeting_update(meeting=meeting, by=project_staff, capacity=1)


def test_an_update_changes_only_what_the_form_offers(project_staff, meeting, other_network):
    """The updates set whatever attribute a caller passed (e.g. move a meeting to another network);
    now only the form's fields, and a name outside them is a programming error."""
    with pytest.raises(TypeError):
        services.meeting_update(meeting=meeting, by=project_staff, network=other_network)
    # An explicit position: the factory's sequence reaches 99 after 99 items in one test process.
    item = MinutesItemFactory(minutes__meeting=meeting, position=1)
    with pytest.raises(TypeError):
        services.minutes_item_update(item=item, by=project_staff, position=99)
    meeting.refresh_from_db(), item.refresh_from_db()
    assert meeting.network != other_network and item.position == 1


def test_moderator_pages_render(client_for, project_staff, mainz, meeting):
    item = MinutesItemFactory(
        minutes__meeting=meeting, minutes__published_at=None, responsible_authority=mainz
    )
    MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
    client = client_for(project_staff)
    for path in [
        reverse("network:create"),
        reverse("network:edit", args=[meeting.network_id]),
        reverse("network:meeting_create", args=[meeting.network_id]),
        url("meeting_edit", meeting),
        url("meeting_attendance", meeting),
        url("minutes", meeting),
        url("minutes_item_edit", meeting, item.pk),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert item.text in client.get(url("minutes", meeting)).text
    response = client.post(url("minutes_item_delete", meeting, item.pk), follow=True)
    assert "Der Punkt wurde gelöscht." in messages_of(response)


# --- registering ----------------------------------------------------------------------------------


def test_member_registers_and_gets_a_confirmation_with_calendar(
    client_for, member, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(url("meeting_register", meeting), follow=True)
    assert "ist angemeldet" in " ".join(messages_of(response))
    assert MeetingRegistration.objects.get(meeting=meeting, participant=member).status == REGISTERED
    assert "Sie sind für dieses Treffen angemeldet." in response.text
    (mail,) = mailoutbox
    assert "Anmeldung bestätigt" in mail.subject
    filename, content, mimetype = mail.attachments[0]
    assert filename.endswith(".ics") and "SUMMARY:Netzwerktreffen Frühjahr" in content


def test_second_registration_is_refused_in_german(client_for, member, meeting):
    client = client_for(member)
    client.post(url("meeting_register", meeting))
    response = client.post(url("meeting_register", meeting), follow=True)
    assert f"{member} ist für dieses Treffen bereits angemeldet." in messages_of(response)
    assert MeetingRegistration.objects.filter(meeting=meeting).count() == 1


def test_member_unregisters_and_may_register_again(client_for, member, meeting):
    client = client_for(member)
    client.post(url("meeting_register", meeting))
    registration = MeetingRegistration.objects.get(participant=member)
    response = client.post(url("meeting_unregister", meeting, registration.pk), follow=True)
    assert f"{member} ist abgemeldet." in messages_of(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED and registration.cancelled_at
    client.post(url("meeting_register", meeting))
    assert MeetingRegistration.objects.filter(participant=member, status=REGISTERED).count() == 1


def test_after_the_deadline_the_page_explains_instead_of_offering_the_button(client_for, member, network):
    meeting = MeetingFactory(network=network, registration_deadline=timezone.now() - dt.timedelta(hours=1))
    client = client_for(member)
    page = client.get(meeting.get_absolute_url())
    assert "Anmeldung nicht möglich" in page.text
    assert "Der Anmeldeschluss war am" in page.text
    assert "Jetzt anmelden" not in page.text
    response = client.post(url("meeting_register", meeting), follow=True)
    assert any("Der Anmeldeschluss war am" in m for m in messages_of(response))
    assert not MeetingRegistration.objects.exists()


def test_the_deadline_reads_the_german_and_the_english_way(client_for, member, network):
    day = timezone.localdate() - dt.timedelta(days=1)
    meeting = MeetingFactory(network=network, registration_deadline=at(day, 9))
    client = client_for(member)

    german = client.get(meeting.get_absolute_url()).text
    client.cookies["portal_language"] = "en"
    english = client.get(meeting.get_absolute_url()).text

    assert f"Der Anmeldeschluss war am {day:%d.%m.%Y}, 09:00 Uhr;" in german
    assert f"The registration deadline was {day:%d/%m/%Y}, 09:00;" in english


def test_a_full_meeting_refuses_further_registrations(client_for, member, mainz, meeting):
    for _ in range(meeting.capacity):
        MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
    client = client_for(member)
    page = client.get(meeting.get_absolute_url())
    assert "Alle Plätze sind vergeben" in page.text
    assert "0 von 2 Plätzen frei" in page.text
    response = client.post(url("meeting_register", meeting), follow=True)
    assert "Alle Plätze sind vergeben; eine Anmeldung ist nicht mehr möglich." in messages_of(response)
    assert meeting.registrations.filter(status=REGISTERED).count() == 2


def test_a_meeting_that_has_begun_takes_no_registrations(member, network):
    meeting = MeetingFactory(
        network=network,
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        registration_deadline=None,
    )
    with pytest.raises(services.RegistrationRefused, match="bereits begonnen"):
        services.meeting_register(meeting=meeting, participant=member, by=member)


def test_staff_of_a_non_member_authority_cannot_be_registered(project_staff, outsider, meeting):
    with pytest.raises(services.RegistrationRefused, match="keiner Mitgliedsbehörde"):
        services.meeting_register(meeting=meeting, participant=outsider, by=project_staff)


def test_meeting_calendar_download(client_for, member, meeting):
    response = client_for(member).get(url("meeting_ics", meeting))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "BEGIN:VEVENT" in text and f"UID:network-meeting-{meeting.pk}@" in text
    assert "SUMMARY:Netzwerktreffen Frühjahr" in text


# --- colleagues -----------------------------------------------------------------------------------


def test_coordinator_registers_a_colleague_but_nobody_from_elsewhere(
    client_for, coordinator, member, outsider, meeting
):
    client = client_for(coordinator)
    page = client.get(meeting.get_absolute_url())
    assert "Kollegin oder Kollegen anmelden" in page.text
    client.post(url("meeting_register", meeting), {"participant": member.pk})
    assert MeetingRegistration.objects.filter(meeting=meeting, participant=member).exists()
    response = client.post(url("meeting_register", meeting), {"participant": outsider.pk}, follow=True)
    assert "Bitte wählen Sie eine Person aus der Liste aus." in messages_of(response)
    assert not MeetingRegistration.objects.filter(participant=outsider).exists()


def test_the_colleague_list_names_each_person_with_their_authority_and_is_what_the_post_accepts(
    client_for, coordinator, member, meeting
):
    """Courses and meetings share one colleague form: "Name (Behörde)" in the list, and the list the
    page offers is the one the POST accepts (the meeting took the coordinator on POST, not on GET)."""
    client = client_for(coordinator)

    page = client.get(meeting.get_absolute_url())
    refused = client.post(url("meeting_register", meeting), {"participant": coordinator.pk}, follow=True)

    assert f"{member.get_full_name()} (Stadt Mainz)</option>" in page.text
    assert f"{coordinator.get_full_name()} (Stadt Mainz)</option>" not in page.text
    assert "Bitte wählen Sie eine Person aus der Liste aus." in messages_of(refused)
    assert not MeetingRegistration.objects.filter(participant=coordinator).exists()


# --- attendance and the moderators' view ----------------------------------------------------------


def test_moderators_see_the_registered_people_and_mark_attendance(client_for, member, mainz, meeting):
    meeting.network.moderators.add(member)
    first, second = (
        MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
        for _ in range(2)
    )
    took_place(meeting)
    client = client_for(member)
    page = client.get(meeting.get_absolute_url())
    assert "Angemeldete Personen" in page.text and first.participant.get_full_name() in page.text
    response = client.post(url("meeting_attendance", meeting), {"present": [first.pk]}, follow=True)
    assert "Anwesenheit gespeichert: 1 anwesend." in messages_of(response)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.attended, second.attended) == (True, False)


def test_members_do_not_see_the_list_of_registered_people(client_for, member, mainz, meeting):
    MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
    page = client_for(member).get(meeting.get_absolute_url())
    assert "Angemeldete Personen" not in page.text


@pytest.mark.parametrize("who", ["project_staff", "member", "coordinator"])
def test_meeting_page_runs_the_same_queries_for_3_and_30_registrations(
    client_for, request, who, mainz, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    request.getfixturevalue("member")  # a colleague still to register: the coordinator's form shows
    client = client_for(user)
    network = NetworkFactory(members=[mainz], moderators=[user] if who == "project_staff" else [])

    def meeting_with(count):
        meeting = MeetingFactory(network=network, capacity=None)
        for _ in range(count):
            MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))
        minutes = MinutesFactory(meeting=meeting)
        for _ in range(count):
            MinutesItemFactory(minutes=minutes, responsible_authority=mainz)
        return meeting

    small = meeting_with(3)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(small.get_absolute_url()).status_code == 200

    large = meeting_with(30)
    with django_assert_num_queries(len(queries)):
        assert client.get(large.get_absolute_url()).status_code == 200


# --- cancelling after the start (figures of the past) ---------------------------------------------


@pytest.fixture
def begun_meeting(network):
    return MeetingFactory(
        network=network,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=2),
        registration_deadline=None,
    )


def test_member_cannot_unregister_once_the_meeting_has_begun(client_for, member, begun_meeting):
    registration = MeetingRegistrationFactory(meeting=begun_meeting, participant=member)
    client = client_for(member)

    page = client.get(begun_meeting.get_absolute_url())
    response = client.post(url("meeting_unregister", begun_meeting, registration.pk), follow=True)

    assert url("meeting_unregister", begun_meeting, registration.pk) not in page.text
    assert "Das Treffen hat bereits begonnen; eine Abmeldung ist nicht mehr möglich." in page.text
    assert "Das Treffen hat bereits begonnen; eine Abmeldung ist nicht mehr möglich." in messages_of(response)
    registration.refresh_from_db()
    assert registration.status == REGISTERED


def test_coordinator_cannot_unregister_a_colleague_once_the_meeting_has_begun(
    client_for, coordinator, member, begun_meeting
):
    registration = MeetingRegistrationFactory(meeting=begun_meeting, participant=member)
    client = client_for(coordinator)

    page = client.get(begun_meeting.get_absolute_url())
    client.post(url("meeting_unregister", begun_meeting, registration.pk))

    assert url("meeting_unregister", begun_meeting, registration.pk) not in page.text
    assert client.get(url("meeting_registration_correct", begun_meeting, registration.pk)).status_code == 403
    registration.refresh_from_db()
    assert registration.status == REGISTERED


def test_project_staff_correct_a_registration_after_the_start_with_a_reason(
    client_for, project_staff, member, begun_meeting
):
    registration = MeetingRegistrationFactory(meeting=begun_meeting, participant=member)
    client = client_for(project_staff)
    correct = url("meeting_registration_correct", begun_meeting, registration.pk)
    assert correct in client.get(begun_meeting.get_absolute_url()).text

    response = client.post(correct, {"reason": "Falsche Person angemeldet."}, follow=True)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.cancellation_reason == "Falsche Person angemeldet."
    assert registration.cancelled_by == project_staff
    assert "Korrekturen nach Beginn" in response.text
    assert "Falsche Person angemeldet." in response.text


def test_project_staff_correcting_a_registration_without_a_reason_get_a_field_error(
    client_for, project_staff, member, begun_meeting
):
    registration = MeetingRegistrationFactory(meeting=begun_meeting, participant=member)

    response = client_for(project_staff).post(
        url("meeting_registration_correct", begun_meeting, registration.pk), {"reason": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Bitte geben Sie den Grund der Korrektur an."]}
    with pytest.raises(ValidationError) as error:
        services.meeting_unregister(registration=registration, by=project_staff)
    assert list(error.value.message_dict) == ["reason"]
    registration.refresh_from_db()
    assert registration.status == REGISTERED


def test_attendance_for_a_meeting_ahead_is_refused_next_to_the_form(client_for, member, mainz, meeting):
    meeting.network.moderators.add(member)
    registration = MeetingRegistrationFactory(meeting=meeting, participant=UserFactory(authority=mainz))

    response = client_for(member).post(url("meeting_attendance", meeting), {"present": [registration.pk]})

    assert response.status_code == 200
    assert "Die Anwesenheit kann erst erfasst werden, wenn das Treffen begonnen hat" in response.text
    registration.refresh_from_db()
    assert not registration.attended
