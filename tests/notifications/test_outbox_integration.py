"""The outbox with the real stack: Redis (database 7) as the broker, a real Celery worker and a real
SMTP server started by the test (the fixtures of test_integration.py, on another Redis database).

The broker is "down" while the person enrolls (the web process publishes to a closed port), then
"returns" (the web process publishes to Redis): the sweep hands the waiting mail to the running worker,
which delivers it once; a second sweep hands over nothing.

Runs only when Redis answers on 127.0.0.1:6379 and the worker can reach the test database
(PostgreSQL, or SQLite in a file)."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.celery import app as celery_app
from portal.notifications import mail
from portal.notifications.mail import enqueue_waiting
from portal.notifications.models import Notification, NotificationStatus
from tests.factories import CourseFactory
from tests.notifications.test_integration import (
    BASE_DIR,
    _database_url,
    _forget_connections,
    _redis_answers,
    _wait_for,
)
from tests.notifications.test_integration import inbox as smtp_inbox
from training.models import Enrollment

inbox = smtp_inbox  # the SMTP server of the test, as a fixture of this module
BROKER_URL = "redis://127.0.0.1:6379/7"
CLOSED_PORT = "redis://127.0.0.1:1/0"
LATER = timedelta(minutes=3)  # past the sweep's grace period

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not _redis_answers(), reason="Redis does not answer on 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True),
]


def _flush_broker():
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


@pytest.fixture
def broker():
    """`broker.down()` / `broker.up()`: this process publishes (not eagerly) to a closed port or to
    Redis database 7, as the web server does."""
    conf = celery_app.conf
    # Celery prefers CELERY_BROKER_URL (CI sets it) to its configuration: read first, then set both.
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    saved_env = os.environ.get("CELERY_BROKER_URL")

    class Broker:
        def _point_at(self, url):
            os.environ["CELERY_BROKER_URL"] = url
            conf.broker_url = url
            conf.broker_transport_options = {}
            conf.task_always_eager = False
            _forget_connections()
            mail._broker_failed_at = None

        def down(self):
            self._point_at(CLOSED_PORT)

        def up(self):
            self._point_at(BROKER_URL)

    _flush_broker()
    try:
        yield Broker()
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        conf.update(saved)
        _forget_connections()
        mail._broker_failed_at = None
        _flush_broker()


@pytest.fixture
def worker(inbox, broker, tmp_path):
    """`worker.start(threads=1)`: a real `celery worker` (one process; with `threads` > 1, that many
    tasks at once) on Redis database 7, delivering to the test's SMTP server."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{inbox.port}",
        "CONN_MAX_AGE": "0",
    }
    log = tmp_path / "worker.log"

    class Worker:
        process = None

        def start(self, threads=1):
            pool = ["--pool=solo"] if threads == 1 else ["--pool=threads", f"--concurrency={threads}"]
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "portal.celery", "worker", *pool,
                    "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
                ],
                cwd=BASE_DIR, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    running = Worker()
    try:
        yield running
    finally:
        if running.process and running.process.poll() is None:
            os.killpg(running.process.pid, 9)
            running.process.wait(timeout=10)
        if sys.exc_info()[0] is not None:
            print(log.read_text())


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

    _wait_for(lambda: inbox.messages, 30, "the confirmation")
    _wait_for(
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

    _wait_for(lambda: inbox.messages, 30, "the mail")
    time.sleep(3)  # the other two tasks run meanwhile
    assert inbox.recipients() == [member.email]
    assert inbox.stopped.is_set()
    inbox.release()
    _wait_for(
        lambda: Notification.objects.filter(status=NotificationStatus.SENT).exists(),
        10,
        "the row marked sent",
    )
    time.sleep(2)
    assert inbox.recipients() == [member.email]
    waiting.refresh_from_db()
    assert waiting.attempts == 1
