"""After the last date, everyone who attended is asked once for feedback, however often beat runs."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from portal.notifications.models import Notification, NotificationStatus
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory
from tests.helpers import attended
from training.models import Feedback
from training.services.feedback import feedback_requests_send


def _course_ended(days_ago: int):
    course = CourseFactory(dates=None)
    end = timezone.now() - timedelta(days=days_ago)
    CourseDateFactory(course=course, starts_at=end - timedelta(hours=6), ends_at=end)
    return course


def test_member_who_attended_is_asked_for_feedback_once(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = attended(_course_ended(days_ago=1), member)

    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_requests_send() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_requests_send() == 0  # the next hourly scan finds the claim

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.email]
    assert "Ihre Rückmeldung zu" in mail.subject
    assert f"/schulungen/anmeldungen/{enrollment.pk}/rueckmeldung/" in mail.body
    assert Notification.objects.get().status == NotificationStatus.SENT


def test_nobody_is_asked_who_was_absent_answered_already_or_whose_course_is_not_over(
    member, coordinator, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    attended(_course_ended(days_ago=1), member, present=False)
    answered = attended(_course_ended(days_ago=2), coordinator)
    Feedback.objects.create(enrollment=answered, usefulness=5)
    attended(_course_ended(days_ago=45), outsider)  # long ago: no late surprise mails
    upcoming = CourseFactory()  # one date in the future
    EnrollmentFactory(course=upcoming, participant=outsider)

    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_requests_send() == 0

    assert mailoutbox == []


def test_a_scan_missed_for_hours_catches_up_without_sending_twice(
    member, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    course = _course_ended(days_ago=3)  # beat was down since the course ended
    attended(course, member)
    attended(course, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_requests_send() == 2
        assert feedback_requests_send() == 0

    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, coordinator.email])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_send_one_mail(member, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    attended(_course_ended(days_ago=1), member)
    barrier = threading.Barrier(2)
    results = []

    def scan():
        try:
            barrier.wait()
            results.append(feedback_requests_send())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0, 1]
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1
