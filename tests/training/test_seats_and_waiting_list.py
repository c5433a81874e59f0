"""The enrollment services as a specification of seats and the waiting list: direct and request mode,
promotion in order, the seat limit per authority, capacity changes. Concurrency is in
test_concurrency.py."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import CourseFactory
from tests.training.helpers import (
    CANCELLED,
    CONFIRMED,
    REQUESTED,
    WAITLISTED,
    enroll_themselves,
    statuses,
    waiting_list,
)
from training.models import Enrollment, EnrollmentMode
from training.services import courses as course_services
from training.services import enrollments as services
from training.services.enrollments import EnrollmentRefused


def test_direct_enrollment_confirms_until_capacity_then_waitlists_in_order(staff_of):
    course = CourseFactory(capacity=2)
    people = staff_of(n=5)

    enroll_themselves(course, people)

    assert statuses(course) == [
        (people[0], CONFIRMED, None),
        (people[1], CONFIRMED, None),
        (people[2], WAITLISTED, 1),
        (people[3], WAITLISTED, 2),
        (people[4], WAITLISTED, 3),
    ]
    first = Enrollment.objects.get(participant=people[0])
    assert first.enrolled_by == people[0]
    assert first.confirmed_at is not None


def test_each_enrollment_mails_the_participant_in_german(
    member, staff_of, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(capacity=1, title="Aufenthaltsrecht kompakt")
    (other,) = staff_of()

    with django_capture_on_commit_callbacks(execute=True):
        enroll_themselves(course, [member, other])

    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([member.email], "Anmeldung bestätigt: Aufenthaltsrecht kompakt"),
        ([other.email], "Warteliste: Aufenthaltsrecht kompakt"),
    ]


def test_request_mode_holds_a_seat_until_project_staff_confirm(project_staff, member, staff_of):
    course = CourseFactory(capacity=1, enrollment_mode=EnrollmentMode.REQUEST)
    (other,) = staff_of()

    request, waiting = enroll_themselves(course, [member, other])

    assert (request.status, request.confirmed_at) == (REQUESTED, None)
    # The request holds the only seat: the next person waits.
    assert (waiting.status, waiting.waitlist_position) == (WAITLISTED, 1)
    with pytest.raises(PermissionDenied):
        services.enrollment_confirm(enrollment=request, by=member)

    confirmed = services.enrollment_confirm(enrollment=request, by=project_staff)

    assert confirmed.status == CONFIRMED
    assert confirmed.confirmed_at is not None
    with pytest.raises(EnrollmentRefused):
        services.enrollment_confirm(enrollment=waiting, by=project_staff)


def test_in_request_mode_a_freed_seat_goes_to_the_first_waiting_person_as_a_request(
    project_staff, member, staff_of
):
    course = CourseFactory(capacity=1, enrollment_mode=EnrollmentMode.REQUEST)
    (other,) = staff_of()
    request, waiting = enroll_themselves(course, [member, other])

    services.enrollment_cancel(enrollment=request, by=member)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (REQUESTED, None)


def test_cancelling_a_confirmed_seat_promotes_the_first_waiting_person_and_mails_them(
    staff_of, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(capacity=2, title="Fachkräfteeinwanderung")
    people = staff_of(n=5)
    seat, *_ = enroll_themselves(course, people)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.enrollment_cancel(enrollment=seat, by=people[0])

    assert (cancelled.status, cancelled.cancelled_by) == (CANCELLED, people[0])
    assert cancelled.cancelled_at is not None
    assert statuses(course)[1:] == [
        (people[1], CONFIRMED, None),
        (people[2], CONFIRMED, None),
        (people[3], WAITLISTED, 1),
        (people[4], WAITLISTED, 2),
    ]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([people[0].email], "Abmeldung: Fachkräfteeinwanderung"),
        ([people[2].email], "Platz frei geworden: Fachkräfteeinwanderung"),
    ]


def test_cancelling_a_waiting_place_closes_the_gap_and_promotes_nobody(staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=5)
    enrollments = enroll_themselves(course, people)

    services.enrollment_cancel(enrollment=enrollments[2], by=people[2])

    assert waiting_list(course) == [(people[1], 1), (people[3], 2), (people[4], 3)]
    assert Enrollment.objects.filter(course=course).holding_seats().get().participant == people[0]


def test_cancelling_twice_changes_nothing(staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=3)
    seat, *_ = enroll_themselves(course, people)
    services.enrollment_cancel(enrollment=seat, by=people[0])

    again = services.enrollment_cancel(enrollment=seat, by=people[0])

    assert again.status == CANCELLED
    assert waiting_list(course) == [(people[2], 1)]


def test_raising_the_capacity_promotes_in_waiting_list_order(project_staff, staff_of):
    course = CourseFactory(capacity=1)
    people = staff_of(n=6)
    enroll_themselves(course, people)

    course_services.course_update(course=course, by=project_staff, capacity=4)

    assert [status for _, status, _ in statuses(course)] == [CONFIRMED] * 4 + [WAITLISTED] * 2
    assert waiting_list(course) == [(people[4], 1), (people[5], 2)]


def test_lowering_the_capacity_takes_no_seat_away(project_staff, staff_of):
    course = CourseFactory(capacity=3)
    enroll_themselves(course, staff_of(n=3))

    # Project staff confirmed it (tests/training/test_course_form.py: asked for on the form).
    course_services.course_update(course=course, by=project_staff, capacity=1, fewer_seats_confirmed=True)

    assert Enrollment.objects.filter(course=course, status=CONFIRMED).count() == 3


def test_the_seat_limit_per_authority_sends_the_next_colleague_to_the_waiting_list(mainz, staff_of):
    course = CourseFactory(capacity=5, seats_per_authority=2)
    people = staff_of(mainz, n=3)

    enroll_themselves(course, people)

    assert [(status, position) for _, status, position in statuses(course)] == [
        (CONFIRMED, None),
        (CONFIRMED, None),
        (WAITLISTED, 1),
    ]


def test_a_person_of_a_full_authority_keeps_their_place_while_the_next_one_moves_up(
    member, coordinator, outsider, staff_of
):
    course = CourseFactory(capacity=3, seats_per_authority=1)
    (third,), (fourth,) = staff_of(), staff_of()
    # member (Mainz) confirmed, coordinator (Mainz) waits for Mainz's seat, outsider and third take
    # the other seats, fourth waits behind the coordinator.
    enrollments = enroll_themselves(course, [member, coordinator, outsider, third, fourth])
    assert waiting_list(course) == [(coordinator, 1), (fourth, 2)]

    services.enrollment_cancel(enrollment=enrollments[2], by=outsider)

    assert waiting_list(course) == [(coordinator, 1)]
    assert Enrollment.objects.get(participant=fourth).status == CONFIRMED
    mainz_seats = Enrollment.objects.filter(course=course, participant__authority=member.authority)
    assert mainz_seats.holding_seats().count() == 1


def test_raising_the_seat_limit_per_authority_promotes_the_waiting_colleague(
    project_staff, member, coordinator
):
    course = CourseFactory(capacity=5, seats_per_authority=1)
    enroll_themselves(course, [member, coordinator])

    course_services.course_update(course=course, by=project_staff, seats_per_authority=2)

    assert Enrollment.objects.get(participant=coordinator).status == CONFIRMED
    assert waiting_list(course) == []
