"""The outbox with the real stack: Redis as the broker, a real Celery worker and a real SMTP server
started by the test (the fixtures in conftest.py).

The broker is "down" while the person enrolls (the web process publishes to a closed port), then
"returns" (the web process publishes to Redis): the sweep hands the waiting mail to the running worker,
which delivers it once; a second sweep hands over nothing.

Runs only when Redis answers on 127.0.0.1:6379 and the worker can reach the test database
(PostgreSQL, or SQLite in a file)."""

import os
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications import mail
from portal.notifications.mail import enqueue_waiting
from portal.notifications.models import Notification, NotificationStatus
from tests.factories import CourseFactory
from tests.notifications.integration import needs_redis, wait_for
from training.models import Enrollment

LATER = timedelta(minutes=3)  # past the sweep's grace period

pytestmark = needs_redis()


def test_an_enrollment_while_the_broker_is_down_is_mailed_once_when_it_returns(
    inbox, broker, worker, member, client_for
):
    course = CourseFactory(title="Aufenthaltsrecht kompakt")
    worker.start()
    broker.down()

    response = client_for(member).post(reverse("training:enroll", args=[course.pk]), follow=True)

    assert response.status_code == 200
    assert f"{member} ist angemeldet." in response.content.decode()
    assert Enrollment.objects.filter(course=course, participant=member).exists()
    waiting = Notification.objects.get()
    assert (waiting.status, waiting.enqueued_at) == (NotificationStatus.CLAIMED, None)
    time.sleep(1)
    assert inbox.messages == []

    broker.up()
    assert enqueue_waiting(now=timezone.now() + LATER) == 1

    wait_for(lambda: inbox.messages, 30, "the confirmation")
    wait_for(
        lambda: Notification.objects.filter(status=NotificationStatus.SENT).exists(),
        10,
        "the row marked sent",
    )
    assert enqueue_waiting(now=timezone.now() + LATER) == 0
    time.sleep(1.5)  # anything that would come twice comes now
    assert inbox.recipients() == [member.email]
    assert str(inbox.messages[0]["Subject"]) == "Anmeldung bestätigt: Aufenthaltsrecht kompakt"


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("sqlite"), reason="row locks need PostgreSQL"
)
def test_the_same_mail_handed_over_three_times_to_three_threads_arrives_once(
    inbox, broker, worker, member, client_for
):
    """Sweeps racing each other or the mail's own hand-over give several tasks for one mail, which
    several worker threads may run at once. The first holds the row while SMTP talks; the others
    wait for it and then find the mail sent."""
    course = CourseFactory()
    broker.down()
    client_for(member).post(reverse("training:enroll", args=[course.pk]))
    waiting = Notification.objects.get()
    worker.start(threads=3)
    # The server holds the first conversation after accepting the mail, before the row is marked sent.
    inbox.stop("QUIT", 1)

    broker.up()
    for _ in range(3):
        assert mail.enqueue(notification_id=waiting.pk)

    wait_for(lambda: inbox.messages, 30, "the mail")
    time.sleep(3)  # the other two tasks run meanwhile
    assert inbox.recipients() == [member.email]
    assert inbox.stopped.is_set()
    inbox.release()
    wait_for(
        lambda: Notification.objects.filter(status=NotificationStatus.SENT).exists(),
        10,
        "the row marked sent",
    )
    time.sleep(2)
    assert inbox.recipients() == [member.email]
    waiting.refresh_from_db()
    assert waiting.attempts == 1
