"""When and for whom enrollment is open, through the services: the registration window, unpublished
courses, the states a course is open to, who enrolls whom, and nobody twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from tests.factories import CourseFactory, EnrollmentFactory
from tests.training.helpers import CANCELLED, CONFIRMED, WAITLISTED, message
from training.models import CourseStatus, Enrollment, OpenTo
from training.services import enrollments as services
from training.services.enrollments import EnrollmentRefused


def test_before_the_registration_window_authority_staff_are_told_when_it_opens(member):
    opens = timezone.make_aware(dt.datetime(2099, 3, 2, 9, 30))
    course = CourseFactory(registration_opens=opens, registration_closes=opens + dt.timedelta(days=30))

    with pytest.raises(EnrollmentRefused) as refused:
        services.enrollment_create(course=course, participant=member, by=member)

    assert message(refused) == "Die Anmeldung beginnt am 02.03.2099, 09:30 Uhr."
    assert not Enrollment.objects.exists()


def test_after_the_registration_window_authority_staff_are_told_since_when_it_is_closed(member, coordinator):
    closes = timezone.make_aware(dt.datetime(2020, 11, 5, 18, 0))
    course = CourseFactory(registration_opens=closes - dt.timedelta(days=30), registration_closes=closes)

    with pytest.raises(EnrollmentRefused) as refused:
        services.enrollment_create(course=course, participant=member, by=coordinator)

    assert message(refused) == "Die Anmeldung ist seit dem 05.11.2020, 18:00 Uhr geschlossen."


def test_project_staff_may_enroll_outside_the_registration_window(project_staff, member):
    course = CourseFactory(
        registration_opens=timezone.now() - dt.timedelta(days=30),
        registration_closes=timezone.now() - dt.timedelta(days=1),
    )

    enrollment = services.enrollment_create(course=course, participant=member, by=project_staff)

    assert (enrollment.status, enrollment.enrolled_by) == (CONFIRMED, project_staff)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (CourseStatus.DRAFT, "Die Schulung ist noch nicht veröffentlicht."),
        (CourseStatus.CANCELLED, "Die Schulung wurde abgesagt."),
        (CourseStatus.COMPLETED, "Die Schulung ist abgeschlossen."),
    ],
)
def test_nobody_enrolls_in_a_course_that_is_not_published(project_staff, member, status, reason):
    course = CourseFactory(status=status)

    for by in (member, project_staff):
        with pytest.raises(EnrollmentRefused) as refused:
            services.enrollment_create(course=course, participant=member, by=by)
        assert message(refused) == reason


def test_a_course_not_open_to_the_participants_state_is_refused(project_staff, member, outsider):
    course = CourseFactory(open_to=OpenTo.NI)

    for by in (member, project_staff):
        with pytest.raises(EnrollmentRefused) as refused:
            services.enrollment_create(course=course, participant=member, by=by)
        assert message(refused) == "Die Schulung ist für Behörden aus diesem Land nicht geöffnet."

    assert services.enrollment_create(course=course, participant=outsider, by=outsider).status == CONFIRMED


# --- who enrolls whom ------------------------------------------------------------------------------


def test_a_coordinator_enrolls_and_cancels_a_colleague_of_their_authority(coordinator, member):
    course = CourseFactory()

    enrollment = services.enrollment_create(course=course, participant=member, by=coordinator)
    assert (enrollment.participant, enrollment.status) == (member, CONFIRMED)
    assert enrollment.enrolled_by == coordinator

    cancelled = services.enrollment_cancel(enrollment=enrollment, by=coordinator)
    assert (cancelled.status, cancelled.cancelled_by) == (CANCELLED, coordinator)


def test_a_coordinator_may_not_enroll_or_cancel_another_authoritys_person(coordinator, outsider):
    course = CourseFactory()

    with pytest.raises(PermissionDenied):
        services.enrollment_create(course=course, participant=outsider, by=coordinator)

    enrollment = services.enrollment_create(course=course, participant=outsider, by=outsider)
    with pytest.raises(PermissionDenied):
        services.enrollment_cancel(enrollment=enrollment, by=coordinator)
    enrollment.refresh_from_db()
    assert enrollment.status == CONFIRMED


def test_a_member_may_not_enroll_or_cancel_a_colleague(member, coordinator):
    course = CourseFactory()

    with pytest.raises(PermissionDenied):
        services.enrollment_create(course=course, participant=coordinator, by=member)

    enrollment = services.enrollment_create(course=course, participant=coordinator, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.enrollment_cancel(enrollment=enrollment, by=member)


def test_project_staff_enroll_and_cancel_anyone(project_staff, member, outsider):
    course = CourseFactory()

    for person in (member, outsider):
        enrollment = services.enrollment_create(course=course, participant=person, by=project_staff)
        services.enrollment_cancel(enrollment=enrollment, by=project_staff)

    assert list(Enrollment.objects.values_list("status", "cancelled_by")) == [
        (CANCELLED, project_staff.pk),
        (CANCELLED, project_staff.pk),
    ]


def test_funders_and_project_staff_cannot_be_participants(project_staff, funder):
    course = CourseFactory()

    for participant, by in [(funder, funder), (funder, project_staff), (project_staff, project_staff)]:
        with pytest.raises(PermissionDenied):
            services.enrollment_create(course=course, participant=participant, by=by)
    assert not Enrollment.objects.exists()


def test_nobody_enrolls_twice(coordinator, member):
    course = CourseFactory(capacity=1)
    services.enrollment_create(course=course, participant=member, by=member)

    with pytest.raises(EnrollmentRefused) as refused:
        services.enrollment_create(course=course, participant=member, by=coordinator)

    assert message(refused) == f"{member} ist für diese Schulung bereits angemeldet."
    # Also not from the waiting list.
    services.enrollment_create(course=course, participant=coordinator, by=coordinator)
    with pytest.raises(EnrollmentRefused):
        services.enrollment_create(course=course, participant=coordinator, by=coordinator)
    assert Enrollment.objects.count() == 2


def test_the_database_refuses_a_second_active_enrollment(member):
    # The last line of defence if a service ever forgot to check.
    enrollment = EnrollmentFactory(participant=member)

    with pytest.raises(IntegrityError):
        EnrollmentFactory(
            course=enrollment.course, participant=member, status=WAITLISTED, waitlist_position=1
        )


def test_the_database_refuses_a_waiting_position_without_waiting(member):
    with pytest.raises(IntegrityError):
        EnrollmentFactory(participant=member, status=CONFIRMED, waitlist_position=1)


def test_a_cancelled_person_may_enroll_again(member):
    course = CourseFactory()
    first = services.enrollment_create(course=course, participant=member, by=member)
    services.enrollment_cancel(enrollment=first, by=member)

    again = services.enrollment_create(course=course, participant=member, by=member)

    assert again.pk != first.pk
    assert again.status == CONFIRMED
    assert sorted(Enrollment.objects.values_list("status", flat=True)) == [CANCELLED, CONFIRMED]
