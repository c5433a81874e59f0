"""Fixtures the training tests share (the standing cast is in tests/conftest.py; helpers that read
pages and build courses are in tests/training/pages.py)."""

from datetime import timedelta

import pytest
from django.utils import translation

from tests.factories import AuthorityFactory, CourseDateFactory, CourseFactory, TopicFactory, UserFactory
from tests.helpers import took_place
from tests.training.helpers import course_on, enroll_themselves
from training.models import CourseStatus


@pytest.fixture(autouse=True)
def _german_again_after_each_test():
    # A request with the English language cookie leaves English active in this thread (the locale
    # middleware activates it and nothing switches back); services called directly by the next test
    # would then speak English.
    yield
    translation.deactivate()


@pytest.fixture
def course(db):
    return course_on(30, title="Aufenthaltsrecht kompakt", capacity=3)


@pytest.fixture
def past_course(db):
    return course_on(-3, title="Vergangene Schulung", status=CourseStatus.COMPLETED)


@pytest.fixture
def colleague(mainz):
    """A second member of staff at Mainz, beside `member` and `coordinator`."""
    return UserFactory(
        authority=mainz, first_name="Clara", last_name="Kollegin", email="clara@mainz.example.org"
    )


@pytest.fixture
def hannover_member(hannover):
    return UserFactory(
        authority=hannover, first_name="Hanno", last_name="Verden", email="hanno@hannover.example.org"
    )


@pytest.fixture
def topic(db):
    return TopicFactory(name="Fachkräfteeinwanderung")


@pytest.fixture
def staff_of(db):
    """`staff_of(authority, n)`: n authority-staff users of one authority (a new one if None)."""

    def make(authority=None, n=1):
        authority = authority or AuthorityFactory()
        return UserFactory.create_batch(n, authority=authority)

    return make


@pytest.fixture
def held_course(project_staff, staff_of):
    """A course of two dates, both over, with two confirmed participants and one on the waiting list."""
    course = CourseFactory(capacity=2)
    CourseDateFactory(course=course, starts_at=course.dates.get().starts_at + timedelta(days=1))
    enrollments = enroll_themselves(course, staff_of(n=3))
    return took_place(course), enrollments
