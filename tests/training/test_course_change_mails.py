"""A change of a course's dates, place or format mails everyone enrolled, each once, and the change
costs the request two statements per mail (the claim and the rendered mail): the dates the mails
list are read once, and the mails go to the broker together after the commit (issue 18: the course
form's POST took 0.4 s at p95 under load)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from training.models import EnrollmentStatus
from training.services import courses as course_services


def _course_with(mainz, people: int):
    course = CourseFactory(dates=None, capacity=people + 2, location="Mainz, Raum 1")
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    CourseDateFactory(course=course, starts_at=start, ends_at=start + dt.timedelta(hours=6))
    CourseDateFactory(
        course=course, starts_at=start + dt.timedelta(days=1), ends_at=start + dt.timedelta(days=1, hours=6)
    )
    enrolled = [
        EnrollmentFactory(course=course, participant=UserFactory(authority=mainz)) for _ in range(people)
    ]
    return course, [enrollment.participant for enrollment in enrolled]


def _move(course, project_staff, room):
    with CaptureQueriesContext(connection) as queries:
        course_services.course_update(course=course, by=project_staff, location=room)
    return len(queries)


def test_a_new_room_mails_everyone_enrolled_once(
    mainz, project_staff, mailoutbox, django_capture_on_commit_callbacks
):
    course, people = _course_with(mainz, 4)
    cancelled = EnrollmentFactory(
        course=course,
        participant=UserFactory(authority=mainz),
        status=EnrollmentStatus.CANCELLED,
        confirmed_at=None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        course_services.course_update(course=course, by=project_staff, location="Mainz, Raum 7")

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(person.email for person in people)
    assert cancelled.participant.email not in [mail.to[0] for mail in mailoutbox]
    for mail in mailoutbox:
        # Both dates and the new room, as they are after the change.
        assert "Mainz, Raum 7" in mail.body
        assert mail.body.count(" Uhr") == 2


def test_each_further_person_costs_the_change_two_statements(mainz, project_staff, mailoutbox):
    first, _people = _course_with(mainz, 1)
    small, _people = _course_with(mainz, 2)
    large, _people = _course_with(mainz, 8)
    _move(first, project_staff, "Raum 2")  # the first change reads what every later one finds cached
    small_queries = _move(small, project_staff, "Raum 3")
    large_queries = _move(large, project_staff, "Raum 3")

    assert large_queries - small_queries == 2 * (8 - 2)
