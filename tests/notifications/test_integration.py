"""A real Celery worker against the local Redis delivers to a real SMTP server started by the test.

Runs only when Redis answers on 127.0.0.1:6379 and the worker can reach the test database
(PostgreSQL, or SQLite in a file; pytest-django's in-memory SQLite is invisible to a subprocess).
The worker uses Redis database 15 (14 on the second xdist worker …), which the test empties before
and after. The fixtures are in conftest.py, the shared parts in integration.py."""

import time
from datetime import timedelta

from django.utils import timezone

from portal.notifications.models import Notification, NotificationStatus
from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.notifications.integration import QUICK_REDELIVERY, needs_redis, wait_for
from training.models import Attendance
from training.services.enrollments import enrollment_create
from training.services.feedback import feedback_requests_send

pytestmark = needs_redis()


# --- the tests -----------------------------------------------------------------------------------


def test_an_enrollment_is_delivered_once_with_both_parts(inbox, worker):
    member = UserFactory(email="teilnehmerin@mainz.example.org")
    course = CourseFactory(title="Aufenthaltsrecht kompakt")
    worker.start(app=QUICK_REDELIVERY)

    enrollment_create(course=course, participant=member, by=member)  # commits; enqueues on commit

    wait_for(lambda: inbox.messages, 20, "the confirmation")
    time.sleep(1)  # anything that would come twice comes now
    assert inbox.recipients() == ["teilnehmerin@mainz.example.org"]
    message = inbox.messages[0]
    assert str(message["Subject"]) == "Anmeldung bestätigt: Aufenthaltsrecht kompakt"
    types = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in types
    assert "text/html" in types
    assert "text/calendar" in types


def test_a_killed_worker_delivers_every_due_mail_after_its_restart(inbox, worker):
    """30 feedback requests are due. The worker is killed twice in the middle of the batch:

    1. while the 10th mail is in the SMTP conversation, before the server accepted it: the task
       comes back from Redis (acks_late) and the mail arrives once;
    2. after the server accepted the 20th mail, before the claim was marked sent: the task comes
       back too, and that one mail arrives twice. This is the gap in which the portal errs on the
       side of at least once (README). Every other mail arrives exactly once.
    """
    course = CourseFactory(dates=None)
    end = timezone.now() - timedelta(days=1)
    date = CourseDateFactory(course=course, starts_at=end - timedelta(hours=6), ends_at=end)
    for n in range(30):
        participant = UserFactory(email=f"person{n:02}@example.org")
        enrollment = EnrollmentFactory(course=course, participant=participant)
        Attendance.objects.create(enrollment=enrollment, course_date=date, present=True)
    assert feedback_requests_send() == 30  # the scan claims and enqueues all 30

    inbox.stop("DATA", 10)
    worker.start(app=QUICK_REDELIVERY)
    assert inbox.stopped.wait(20), "the worker never reached the 10th mail"
    worker.kill()
    inbox.release()
    assert len(inbox.messages) == 9

    inbox.stop("QUIT", 20)
    worker.start(app=QUICK_REDELIVERY)
    assert inbox.stopped.wait(20), "the restarted worker never reached the 20th mail"
    accepted_before_the_kill = inbox.recipients()[-1]
    worker.kill()
    inbox.release()

    worker.start(app=QUICK_REDELIVERY)
    wait_for(
        lambda: Notification.objects.filter(status=NotificationStatus.SENT).count() == 30,
        25,
        "all 30 claims to be marked sent",
    )
    time.sleep(1)

    received = inbox.recipients()
    expected = [f"person{n:02}@example.org" for n in range(30)]
    assert sorted(set(received)) == expected
    twice = sorted(r for r in set(received) if received.count(r) > 1)
    assert twice == [accepted_before_the_kill]
    assert received.count(accepted_before_the_kill) == 2
    assert len(received) == 31
