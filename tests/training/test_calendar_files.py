"""Calendar files of the trainings: a course's dates as .ics, the personal feed behind a secret token,
and the calendar attached to the confirmation mail."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory
from tests.training.helpers import two_dates_in_2026
from training import ics
from training.models import (
    CalendarToken,
    CourseStatus,
    EnrollmentStatus,
    OpenTo,
)
from training.services import enrollments as services


def unfold(text: str) -> list[str]:
    """The logical lines of an iCalendar text (RFC 5545, 3.1)."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


@pytest.fixture
def course(db):
    return two_dates_in_2026()


def test_course_calendar_has_every_date_with_stable_uids_in_utc(course, settings):
    settings.PORTAL_BASE_URL = "https://abh-portal.example.org"
    first, second = course.dates.order_by("starts_at")

    lines = unfold(ics.course_calendar(course))
    again = unfold(ics.course_calendar(course))

    uids = [line for line in lines if line.startswith("UID:")]
    assert uids == [
        f"UID:course-{course.pk}-date-{first.pk}@abh-portal.example.org",
        f"UID:course-{course.pk}-date-{second.pk}@abh-portal.example.org",
    ]
    assert uids == [line for line in again if line.startswith("UID:")]
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines.count("BEGIN:VEVENT") == 2
    # 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    assert "DTSTART:20260310T080000Z" in lines
    assert "DTEND:20260310T153000Z" in lines
    assert "DTSTART:20260714T070000Z" in lines
    assert f"URL:https://abh-portal.example.org/schulungen/{course.pk}/" in lines
    assert "SUMMARY:Aufenthaltsrecht kompakt (Termin 1 von 2)" in lines


def test_calendar_text_is_escaped_and_folded_at_75_octets(db):
    course = CourseFactory(
        title="Recht, Praxis; Teil \\ eins",
        description="Erste Zeile\nZweite Zeile mit Umlauten: " + "äöüß " * 40,
        location="Mainz, Rathaus",
        dates=None,
    )
    CourseDateFactory(course=course, room="Saal 3")

    text = ics.course_calendar(course)

    raw_lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    assert any(line.startswith(" ") for line in raw_lines), "the long description must be folded"
    text.encode("utf-8").decode("utf-8")  # every fold lies between characters
    lines = unfold(text)
    assert "SUMMARY:Recht\\, Praxis\\; Teil \\\\ eins" in lines
    assert "LOCATION:Mainz\\, Rathaus\\, Saal 3" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:Erste Zeile\\nZweite Zeile mit Umlauten: äöüß äöüß")
    assert "\n" not in description


def test_course_ics_view_for_whoever_may_see_the_course(course, member, outsider, client_for):
    url = reverse("training:course_ics", args=[course.pk])
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.decode().count("BEGIN:VEVENT") == 2

    course.open_to = OpenTo.RP
    course.save()
    assert client_for(outsider).get(url).status_code == 404  # an authority in Niedersachsen
    course.status = CourseStatus.DRAFT
    course.save()
    assert client_for(member).get(url).status_code == 404


def test_personal_feed_by_secret_token_without_login(course, member):
    EnrollmentFactory(course=course, participant=member)
    requested = EnrollmentFactory(participant=member, status=EnrollmentStatus.REQUESTED)
    waiting = EnrollmentFactory(participant=member, status=EnrollmentStatus.WAITLISTED, waitlist_position=1)
    token = CalendarToken.objects.create(user=member)

    response = Client().get(reverse("training:calendar_feed", args=[token.token]))

    assert response.status_code == 200
    text = response.content.decode()
    assert f"UID:course-{course.pk}-date-" in text
    assert text.count("BEGIN:VEVENT") == 3
    assert "STATUS:TENTATIVE" in text  # the request is not decided yet
    assert f"course-{requested.course_id}-" in text
    assert f"course-{waiting.course_id}-" not in text
    assert Client().get(reverse("training:calendar_feed", args=["falsches-token"])).status_code == 404


def test_rotating_the_feed_link_invalidates_the_old_one(member, client_for):
    client = client_for(member)
    url = reverse("training:calendar_settings")
    assert "Kalender-Link erstellen" in client.get(url).content.decode()

    client.post(url)
    old = CalendarToken.objects.get(user=member).token
    assert reverse("training:calendar_feed", args=[old]) in client.get(url).content.decode()
    client.post(url)
    new = CalendarToken.objects.get(user=member).token

    assert new != old
    assert Client().get(reverse("training:calendar_feed", args=[old])).status_code == 404
    assert Client().get(reverse("training:calendar_feed", args=[new])).status_code == 200


def test_calendar_settings_only_for_authority_staff(funder, client_for):
    assert client_for(funder).get(reverse("training:calendar_settings")).status_code == 403


def test_confirmation_mail_carries_the_course_calendar(
    course, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=course, participant=member, by=member)

    assert len(mailoutbox) == 1
    [(filename, content, mimetype)] = mailoutbox[0].attachments
    assert filename == "schulung-aufenthaltsrecht-kompakt.ics"
    assert mimetype == "text/calendar"
    assert content.count("BEGIN:VEVENT") == 2
    assert f"UID:course-{course.pk}-date-" in content


def test_waiting_list_mail_has_no_calendar(member, mailoutbox, django_capture_on_commit_callbacks):
    full = CourseFactory(capacity=1)
    EnrollmentFactory(course=full)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(course=full, participant=member, by=member)
    assert mailoutbox[0].attachments == []


def test_the_first_calendar_link_replaces_nothing(member, client_for):
    client = client_for(member)
    url = reverse("training:calendar_settings")

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert [str(m) for m in first.context["messages"]] == ["Ihr Kalender-Link ist erstellt."]
    assert [str(m) for m in second.context["messages"]] == [
        "Ihr Kalender-Link ist neu erstellt. Der bisherige Link gilt nicht mehr."
    ]
