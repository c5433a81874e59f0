"""No amount of simultaneous clicking overbooks a course: many threads, each with its own database
connection, enroll and cancel at once on PostgreSQL (SQLite serialises all writers anyway).

PostgreSQL allows 100 connections and other test runs share the server, so the attempts run on a
bounded pool of threads that all start at one barrier (tests.helpers.run_together); each thread makes
several attempts in a row, which keeps that many transactions queueing on the course's row lock.
"""

import threading
import time

import pytest
from django.db import connection, connections

from tests.factories import AuthorityFactory, CourseFactory, UserFactory
from tests.helpers import run_together
from training.models import Course, Enrollment, EnrollmentStatus
from training.services import enrollments as services
from training.services.enrollments import EnrollmentRefused

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]

CONFIRMED = EnrollmentStatus.CONFIRMED
WAITLISTED = EnrollmentStatus.WAITLISTED


def enroll(course, person):
    return lambda: services.enrollment_create(course=course, participant=person, by=person)


def cancel(enrollment):
    return lambda: services.enrollment_cancel(enrollment=enrollment, by=enrollment.participant)


def authority_staff(n, authorities=5):
    offices = AuthorityFactory.create_batch(authorities)
    return [UserFactory(authority=offices[i % authorities]) for i in range(n)]


def counts(course):
    enrollments = Enrollment.objects.filter(course=course)
    return {
        "confirmed": enrollments.filter(status=CONFIRMED).count(),
        "waitlisted": enrollments.filter(status=WAITLISTED).count(),
    }


def positions_in_order_of_arrival(course):
    # Under the lock, rows are inserted one after the other: the primary key is the arrival order.
    return list(
        Enrollment.objects.filter(course=course, status=WAITLISTED)
        .order_by("pk")
        .values_list("waitlist_position", flat=True)
    )


def enroll_hundred_in_twenty_seats():
    course = CourseFactory(capacity=20)
    people = authority_staff(100)
    outcomes = run_together(enroll(course, person) for person in people)
    return course, outcomes


def test_hundred_simultaneous_enrollments_fill_twenty_seats_and_a_waiting_list_without_gaps(mailoutbox):
    course, outcomes = enroll_hundred_in_twenty_seats()

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == []
    assert counts(course) == {"confirmed": 20, "waitlisted": 80}
    assert positions_in_order_of_arrival(course) == list(range(1, 81))
    # Every thread's commit handed its mail to the (eager) worker.
    assert len(mailoutbox) == 100


def test_twenty_simultaneous_attempts_of_one_person_give_one_enrollment():
    course = CourseFactory(capacity=20)
    (person,) = authority_staff(1)

    outcomes = run_together([enroll(course, person)] * 20, workers=20)

    enrolled = [o for o in outcomes if isinstance(o, Enrollment)]
    refused = [o for o in outcomes if isinstance(o, EnrollmentRefused)]
    assert (len(enrolled), len(refused)) == (1, 19), [o for o in outcomes if isinstance(o, Exception)]
    assert Enrollment.objects.filter(course=course, participant=person).active().count() == 1


def test_cancellations_racing_new_enrollments_never_overbook_and_promote_in_order():
    course = CourseFactory(capacity=10)
    seated, waiting, newcomers = (authority_staff(10) for _ in range(3))
    seats = [services.enrollment_create(course=course, participant=p, by=p) for p in seated]
    for person in waiting:
        services.enrollment_create(course=course, participant=person, by=person)

    most_seats_seen = 0
    done = threading.Event()

    def watch():
        # Another connection looking at committed state all through the race.
        nonlocal most_seats_seen
        try:
            while not done.is_set():
                taken = Enrollment.objects.filter(course=course).holding_seats().count()
                most_seats_seen = max(most_seats_seen, taken)
        finally:
            connections.close_all()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        attempts = []
        for seat, newcomer in zip(seats, newcomers, strict=True):
            attempts += [cancel(seat), enroll(course, newcomer)]
        outcomes = run_together(attempts, workers=20)
    finally:
        done.set()
        watcher.join()

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert most_seats_seen <= course.capacity
    assert counts(course) == {"confirmed": 10, "waitlisted": 10}
    # Each cancellation promoted the first of the waiting list, in the order they had waited.
    promoted = Enrollment.objects.filter(course=course, status=CONFIRMED).order_by("confirmed_at")
    assert [e.participant for e in promoted] == waiting
    # The newcomers queued behind them, numbered 1..10 in the order they arrived.
    assert positions_in_order_of_arrival(course) == list(range(1, 11))
    still_waiting = Enrollment.objects.filter(course=course, status=WAITLISTED)
    assert {e.participant for e in still_waiting} == set(newcomers)


def test_without_the_lock_the_same_race_overbooks(monkeypatch):
    """Control: proves the tests above can fail. Counting without the row lock, with a pause between
    counting and saving, lets several threads see the same free seat."""
    has_free_seat = services._has_free_seat

    def slow_has_free_seat(course, participant):
        free = has_free_seat(course, participant)
        time.sleep(0.02)
        return free

    monkeypatch.setattr(services, "lock_course", lambda course: Course.objects.get(pk=course.pk))
    monkeypatch.setattr(services, "_has_free_seat", slow_has_free_seat)

    course, outcomes = enroll_hundred_in_twenty_seats()

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert counts(course)["confirmed"] > course.capacity
