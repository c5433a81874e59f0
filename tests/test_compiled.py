"""portal.compiled (issue 18): a read compiled once per process gives, for every call, the rows the
ORM gives for the call's values (ids and moments, on SQLite and PostgreSQL alike), builds its
queryset once per shape, and refuses what it cannot put into the statement as a parameter."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.compiled import compiled_once
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from training.models import Enrollment

built: list[bool] = []


def _ahead(*, shape: bool, person: int, now: dt.datetime):
    built.append(shape)
    enrollments = Enrollment.objects.filter(participant=person, course__dates__starts_at__gte=now)
    if shape:  # another statement: newest first, with the course's title
        return enrollments.order_by("-created_at", "-pk").values_list("pk", "course__title", "created_at")
    return enrollments.order_by("pk").values_list("pk", "created_at")


read_ahead = compiled_once(_ahead)


def test_each_call_gives_the_rows_of_its_own_values_and_builds_once_per_shape(db):
    now = timezone.now()
    first, second = UserFactory(), UserFactory()
    soon = CourseFactory(title="Bald", dates=None)
    CourseDateFactory(course=soon, starts_at=now + dt.timedelta(days=2))
    later = CourseFactory(title="Später", dates=None)
    CourseDateFactory(course=later, starts_at=now + dt.timedelta(days=20))
    enrollments = [
        EnrollmentFactory(course=soon, participant=first),
        EnrollmentFactory(course=later, participant=first),
        EnrollmentFactory(course=later, participant=second),
    ]
    built.clear()

    for person in (first, second):
        for moment in (now, now + dt.timedelta(days=10), now + dt.timedelta(days=30)):
            for shape in (False, True):
                expected = list(_ahead(shape=shape, person=person.pk, now=moment))
                assert read_ahead(shape=shape, person=person.pk, now=moment) == expected

    # What the calls found differs by person and moment, as it should.
    assert read_ahead(shape=False, person=first.pk, now=now) == [
        (enrollments[0].pk, enrollments[0].created_at),
        (enrollments[1].pk, enrollments[1].created_at),
    ]
    assert read_ahead(shape=True, person=first.pk, now=now + dt.timedelta(days=10)) == [
        (enrollments[1].pk, "Später", enrollments[1].created_at)
    ]
    assert read_ahead(shape=False, person=second.pk, now=now + dt.timedelta(days=30)) == []
    # Built for the comparisons each time (12), by the read once per shape at most (this process may
    # have compiled it in an earlier test).
    assert len(built) - 12 <= 2


def test_a_call_is_one_query(db):
    person = UserFactory()
    EnrollmentFactory(participant=person)
    read_ahead(shape=False, person=person.pk, now=timezone.now())

    with CaptureQueriesContext(connection) as queries:
        rows = read_ahead(shape=False, person=person.pk, now=timezone.now())

    assert len(rows) == 1 and len(queries) == 1


def test_what_is_no_parameter_is_refused(db):
    def written_in(*, shape, person, now):
        # A value written into the SQL text: another call's value would never reach the statement.
        written = RawSQL(f"participant_id = {person}", [], output_field=BooleanField())
        return Enrollment.objects.filter(written, created_at__lte=now).values_list("pk")

    with pytest.raises(ValueError, match="'person' is not a parameter"):
        compiled_once(written_in)(person=3, now=timezone.now())
    with pytest.raises(TypeError, match="only ints and datetimes"):
        read_ahead(shape=False, person="3", now=timezone.now())
    with pytest.raises(TypeError, match="time zone"):
        read_ahead(shape=False, person=3, now=dt.datetime(2026, 1, 1))  # noqa: DTZ001
