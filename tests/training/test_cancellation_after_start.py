"""Once a course's first date has begun, its enrollments are figures the funders read: participants
and coordinators can no longer cancel (the page says why, no button), project staff correct with a
reason that is kept with the enrollment and shown on the participant list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from training.models import EnrollmentStatus
from training.services import courses as course_services
from training.services import enrollments as services

REFUSED = "Die Schulung hat bereits begonnen; die Anmeldung kann nicht mehr storniert werden."


@pytest.fixture
def begun_course(db):
    """A two-day course: the first day was yesterday, the second is next week."""
    course = CourseFactory(dates=None, registration_opens=None, registration_closes=None)
    yesterday = timezone.now() - dt.timedelta(days=1)
    CourseDateFactory(course=course, starts_at=yesterday, ends_at=yesterday + dt.timedelta(hours=7))
    next_week = timezone.now() + dt.timedelta(days=7)
    CourseDateFactory(course=course, starts_at=next_week, ends_at=next_week + dt.timedelta(hours=7))
    return course


def cancel_url(enrollment):
    return reverse("training:enrollment_cancel", args=[enrollment.pk])


def correct_url(enrollment):
    return reverse("training:enrollment_correct", args=[enrollment.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_member_cannot_cancel_once_the_course_has_begun(client_for, member, begun_course):
    enrollment = EnrollmentFactory(course=begun_course, participant=member)
    client = client_for(member)

    page = client.get(begun_course.get_absolute_url())
    response = client.post(cancel_url(enrollment), follow=True)

    assert cancel_url(enrollment) not in page.text
    assert REFUSED in page.text
    assert any(REFUSED in message for message in messages_of(response))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_coordinator_cannot_cancel_a_colleague_once_the_course_has_begun(
    client_for, coordinator, member, begun_course
):
    enrollment = EnrollmentFactory(course=begun_course, participant=member)
    client = client_for(coordinator)

    course_page = client.get(begun_course.get_absolute_url())
    participants_page = client.get(reverse("training:participants", args=[begun_course.pk]))
    response = client.post(cancel_url(enrollment), follow=True)

    for page in (course_page, participants_page):
        assert cancel_url(enrollment) not in page.text
        assert correct_url(enrollment) not in page.text
    assert any(REFUSED in message for message in messages_of(response))
    assert client.get(correct_url(enrollment)).status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_member_still_cancels_before_the_start(client_for, member):
    course = CourseFactory()
    enrollment = EnrollmentFactory(course=course, participant=member)
    client = client_for(member)

    assert cancel_url(enrollment) in client.get(course.get_absolute_url()).text
    client.post(cancel_url(enrollment))

    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CANCELLED


def test_project_staff_correct_an_enrollment_after_the_start_with_a_reason(
    client_for, project_staff, member, mainz, begun_course, django_capture_on_commit_callbacks
):
    enrollment = EnrollmentFactory(course=begun_course, participant=member)
    waiting = EnrollmentFactory(
        course=begun_course,
        participant=UserFactory(authority=mainz),
        status=EnrollmentStatus.WAITLISTED,
        waitlist_position=1,
    )
    begun_course.capacity = 1
    begun_course.save()
    client = client_for(project_staff)
    participants = reverse("training:participants", args=[begun_course.pk])
    assert correct_url(enrollment) in client.get(participants).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            correct_url(enrollment), {"reason": "Doppelt erfasst, war nie da."}, follow=True
        )

    assert response.redirect_chain[-1][0] == participants
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CANCELLED
    assert enrollment.cancellation_reason == "Doppelt erfasst, war nie da."
    assert enrollment.cancelled_by == project_staff
    # Kept where the participant list shows what changed after the start.
    assert "Korrekturen nach Beginn" in response.text
    assert "Doppelt erfasst, war nie da." in response.text
    # The seat goes to nobody: the course is under way.
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.WAITLISTED


def test_project_staff_without_a_reason_get_a_field_error(client_for, project_staff, member, begun_course):
    enrollment = EnrollmentFactory(course=begun_course, participant=member)

    response = client_for(project_staff).post(correct_url(enrollment), {"reason": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Bitte geben Sie den Grund der Korrektur an."]}
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_the_service_refuses_project_staff_a_correction_without_a_reason(project_staff, member, begun_course):
    enrollment = EnrollmentFactory(course=begun_course, participant=member)

    with pytest.raises(ValidationError) as error:
        services.enrollment_cancel(enrollment=enrollment, by=project_staff)

    assert list(error.value.message_dict) == ["reason"]
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_project_staff_plain_cancel_after_the_start_leads_to_the_correction_page(
    client_for, project_staff, member, begun_course
):
    enrollment = EnrollmentFactory(course=begun_course, participant=member)

    response = client_for(project_staff).post(cancel_url(enrollment))

    assert response.status_code == 302
    assert response["Location"] == correct_url(enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_a_seat_freed_by_a_correction_stays_free_when_the_course_is_edited_later(
    project_staff, member, mainz, begun_course
):
    begun_course.capacity = 1
    begun_course.save()
    corrected = EnrollmentFactory(course=begun_course, participant=member)
    waiting = EnrollmentFactory(
        course=begun_course,
        participant=UserFactory(authority=mainz),
        status=EnrollmentStatus.WAITLISTED,
        waitlist_position=1,
        confirmed_at=None,
    )
    services.enrollment_cancel(enrollment=corrected, by=project_staff, reason="Doppelt erfasst.")

    # The course form sends every field again: a new title, the seat limit as it was.
    values = {name: getattr(begun_course, name) for name in course_services.COURSE_FIELDS}
    course_services.course_update(
        course=begun_course, by=project_staff, **{**values, "title": "Neu betitelt"}
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (EnrollmentStatus.WAITLISTED, 1)
