"""Figures are read "as of" a moment (issue 15): on 06.12. the report for the second half of the year
counted courses of 21.12. and 29.12. and Fachtage of 27.–29.12. as held. Now nothing counts before it
happened: a period that has not begun counts nothing, a running one only what has ended by now."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from portal.reports.computations import REGISTRY, compute
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    NetworkFactory,
    UserFactory,
)
from training.models import Attendance, CourseStatus

pytestmark = pytest.mark.django_db


def _course_on(start, participant):
    course = CourseFactory(dates=None, status=CourseStatus.PUBLISHED)
    date = CourseDateFactory(course=course, starts_at=start, ends_at=start + timedelta(hours=6))
    enrollment = EnrollmentFactory(course=course, participant=participant)
    Attendance.objects.create(enrollment=enrollment, course_date=date, present=True)
    return course


@pytest.fixture
def half_year(mainz):
    """The running period around today: one course and one meeting held last week, one course and one
    Fachtag later this month, each marked attended (as a mistaken entry would)."""
    now = timezone.now()
    people = [UserFactory(authority=mainz) for _ in range(2)]
    _course_on(now - timedelta(days=7), people[0])
    _course_on(now + timedelta(days=15), people[1])
    network = NetworkFactory()
    network.members.add(mainz)
    for start, person in ((now - timedelta(days=6), people[0]), (now + timedelta(days=20), people[1])):
        meeting = MeetingFactory(network=network, starts_at=start, ends_at=start + timedelta(hours=4))
        MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)
    today = timezone.localdate()
    return {"date_from": today - timedelta(days=30), "date_to": today + timedelta(days=25)}


def test_a_running_period_counts_only_what_has_ended_by_now(half_year):
    assert compute("courses_held", **half_year) == 1
    assert compute("participants_people", **half_year) == 1
    assert compute("participant_days", **half_year) == 1
    assert compute("meetings_held", **half_year) == 1
    assert compute("meeting_participants", **half_year) == 1


def test_the_same_period_read_as_of_its_end_counts_the_rest(half_year):
    end = timezone.now() + timedelta(days=26)
    assert compute("courses_held", **half_year, as_of=end) == 2
    assert compute("participants_people", **half_year, as_of=end) == 2
    assert compute("meetings_held", **half_year, as_of=end) == 2


def test_a_period_that_has_not_begun_counts_nothing_in_any_indicator(half_year):
    today = timezone.localdate()
    future = {"date_from": today + timedelta(days=1), "date_to": today + timedelta(days=40)}
    assert {key: compute(key, **future) for key in REGISTRY} == dict.fromkeys(REGISTRY, 0)


def test_a_date_that_is_running_is_not_held_until_it_has_ended(mainz):
    start = timezone.make_aware(datetime(2025, 3, 10, 10, 0))  # until 16:00
    _course_on(start, UserFactory(authority=mainz))
    march = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}

    assert compute("courses_held", **march, as_of=start + timedelta(hours=2)) == 0
    assert compute("participants_people", **march, as_of=start + timedelta(hours=2)) == 0
    assert compute("courses_held", **march, as_of=start + timedelta(hours=6)) == 1
    assert compute("participants_people", **march, as_of=start + timedelta(hours=6)) == 1
