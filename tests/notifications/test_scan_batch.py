"""A beat run at scale: each scan is one batch. Per mail two statements (the claim, the rendered mail),
every person's setting read once per kind, the whole batch handed to the broker after the commit and
marked so in one UPDATE; a scan that fails sends nothing of its batch (issue 18)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from portal.notifications.scans import SCANS, run_all_scans
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from training.scans import course_reminders

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _due_reminders(authority, count):
    """A published course starting in three days (its 7-day reminder is due) with `count` participants."""
    start = NOW + timedelta(days=3)
    course = CourseFactory(
        dates=None,
        registration_opens=start - timedelta(days=60),
        registration_closes=start - timedelta(days=1),
        capacity=count + 5,
    )
    CourseDateFactory(course=course, starts_at=start, ends_at=start + timedelta(hours=6))
    people = [UserFactory(authority=authority) for _ in range(count)]
    for person in people:
        EnrollmentFactory(course=course, participant=person)
    return course, people


def _statements(now):
    with CaptureQueriesContext(connection) as queries:
        sent = run_all_scans(now)
    return sent["training.course_reminder"], [query["sql"] for query in queries.captured_queries]


def test_each_further_mail_of_a_scan_costs_two_statements(mainz):
    course, _people = _due_reminders(mainz, 5)
    sent_small, small = _statements(NOW)
    # One course in each run: the coordinators' deadline scan reads once per course, whatever its size
    # (with both courses in the second run it read once more, when the course's coordinators existed).
    Notification.objects.all().delete()
    course.delete()
    _due_reminders(mainz, 20)
    sent_large, large = _statements(NOW)

    assert (sent_small, sent_large) == (5, 20)
    assert len(large) - len(small) <= 2 * (25 - 5)
    assert not [sql for sql in large if "SAVEPOINT" in sql.upper() and "notification" in sql.lower()]
    assert all(claim.payload["subject"].startswith("Erinnerung") for claim in Notification.objects.all())


def test_the_settings_are_read_once_per_kind_and_still_honoured(
    mainz, mailoutbox, django_capture_on_commit_callbacks
):
    _course, people = _due_reminders(mainz, 6)
    NotificationPreference.objects.create(
        user=people[0], kind="training.course_reminder", mode=DeliveryMode.OFF
    )

    with django_capture_on_commit_callbacks(execute=True):
        sent, statements = _statements(NOW)

    assert sent == 5
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(person.email for person in people[1:])
    preference_reads = [
        sql for sql in statements if "notificationpreference" in sql.lower() and "course_reminder" in sql
    ]
    assert len(preference_reads) == 1


def test_the_batch_goes_to_the_broker_after_the_commit_and_is_marked_in_one_update(
    mainz, mailoutbox, django_capture_on_commit_callbacks
):
    _due_reminders(mainz, 8)

    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run_all_scans(NOW)
        assert mailoutbox == []  # nothing handed over before the commit
        for callback in callbacks:
            callback()

    assert len(mailoutbox) == 8
    marks = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "enqueued_at" in q["sql"]
    ]
    assert len(marks) == 1
    assert not Notification.objects.filter(enqueued_at__isnull=True).exists()


def test_a_scan_that_fails_sends_nothing_of_its_batch(
    mainz, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    _due_reminders(mainz, 3)

    def breaks_after_sending(now):
        course_reminders(now)
        raise RuntimeError("the scan broke after its mails")

    monkeypatch.setitem(SCANS, "training.course_reminder", breaks_after_sending)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        run_all_scans(NOW)

    assert not Notification.objects.exists()
    assert mailoutbox == []

    # The next run claims them again and sends them, once.
    monkeypatch.setitem(SCANS, "training.course_reminder", course_reminders)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_all_scans(NOW)["training.course_reminder"] == 3
        assert run_all_scans(NOW)["training.course_reminder"] == 0
    assert len(mailoutbox) == 3
