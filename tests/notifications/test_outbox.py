"""The outbox: every mail is a row written with the change that causes it. When the broker is down at
commit, the request still succeeds and the mail waits; the sweep hands it over once the broker is
back, and it is sent once.

"Broker down" is real here: Celery publishes (not eagerly) to Redis on a closed port, so kombu fails
to connect as it does when Redis is stopped. "The broker returns" switches eager mode back on, so
the sweep's hand-over runs the worker's task in this process (test_outbox_integration.py does the
same with Redis and a real worker)."""

import importlib
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.celery import app as celery_app
from portal.notifications import mail
from portal.notifications.mail import deliver_email, enqueue_waiting, send_email
from portal.notifications.models import Notification, NotificationStatus
from tests.factories import CourseFactory
from training.models import Enrollment, EnrollmentStatus

LATER = timedelta(minutes=3)  # past the sweep's grace period


@pytest.fixture
def course(db):
    return CourseFactory(title="Aufenthaltsrecht kompakt")


@pytest.mark.django_db(transaction=True)  # the mail is handed over on a real commit, inside the request
def test_with_the_broker_down_an_enrollment_succeeds_and_its_mail_follows_once_it_returns(
    broker_down, member, course, client_for, mailoutbox, caplog
):
    with caplog.at_level(logging.WARNING, logger="portal.notifications.mail"):
        response = client_for(member).post(reverse("training:enroll", args=[course.pk]), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(course.get_absolute_url(), 302)]
    assert f"{member} ist angemeldet." in response.content.decode()
    assert Enrollment.objects.get(course=course, participant=member).status == EnrollmentStatus.CONFIRMED
    waiting = Notification.objects.get()
    assert waiting.status == NotificationStatus.CLAIMED
    assert waiting.enqueued_at is None
    assert waiting.payload["subject"] == "Anmeldung bestätigt: Aufenthaltsrecht kompakt"
    assert mailoutbox == []
    assert "waits in the outbox: the broker is not reachable" in caplog.text
    assert "Connection refused" in caplog.text

    # Still down: the sweep hands nothing over and raises nothing.
    assert enqueue_waiting(now=timezone.now() + LATER) == 0

    broker_down.returns()
    # Within the grace period the mail's own hand-over may still be running: the sweep leaves it.
    assert enqueue_waiting() == 0
    assert enqueue_waiting(now=timezone.now() + LATER) == 1

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert mailoutbox[0].subject == "Anmeldung bestätigt: Aufenthaltsrecht kompakt"
    waiting.refresh_from_db()
    assert waiting.status == NotificationStatus.SENT
    assert waiting.enqueued_at is not None
    # The next sweep finds nothing to hand over, and nothing arrives twice.
    assert enqueue_waiting(now=timezone.now() + LATER) == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_after_one_refusal_the_next_mails_wait_without_costing_the_request_a_try(
    broker_down, member, course, monkeypatch, mailoutbox
):
    tries = []
    publish = deliver_email.delay
    monkeypatch.setattr(deliver_email, "delay", lambda **kwargs: tries.append(kwargs) or publish(**kwargs))

    for n in range(3):
        send_email(
            to=[f"person{n}@example.org"], template="password_reset", context={"user": member, "url": "/"}
        )

    assert len(tries) == 1
    assert Notification.objects.filter(enqueued_at__isnull=True).count() == 3

    broker_down.returns()
    assert enqueue_waiting(now=timezone.now() + LATER) == 3
    assert sorted(message.to[0] for message in mailoutbox) == [f"person{n}@example.org" for n in range(3)]


def test_a_mail_handed_over_twice_is_sent_once(member, mailoutbox, django_capture_on_commit_callbacks):
    # Two sweeps at once, or a sweep racing the mail's own hand-over: the second task finds it sent.
    with django_capture_on_commit_callbacks(execute=False):
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
    waiting = Notification.objects.get()

    assert mail.enqueue(notification_id=waiting.pk)
    assert mail.enqueue(notification_id=waiting.pk)

    assert len(mailoutbox) == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (NotificationStatus.SENT, 1)


def test_the_sweep_skips_sent_failed_and_unrendered_rows(member, mainz, mailoutbox):
    from portal.notifications.services import notification_claim

    with_payload = {"to": [member.email], "subject": "x", "body": "x", "html": "x"}
    Notification.objects.create(payload=with_payload, status=NotificationStatus.SENT)
    Notification.objects.create(payload=with_payload, status=NotificationStatus.FAILED)
    # A claim whose mail failed to render before it was stored has nothing to send.
    notification_claim(recipient=member, kind="training.course_reminder", obj=mainz, occasion="7d")

    assert enqueue_waiting(now=timezone.now() + LATER) == 0
    assert mailoutbox == []


def test_a_rolled_back_change_leaves_no_row_in_the_outbox(member, mailoutbox):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
        raise RuntimeError("Abbruch")

    assert not Notification.objects.exists()
    assert enqueue_waiting(now=timezone.now() + LATER) == 0


@pytest.mark.django_db(transaction=True)
def test_send_reminders_hands_over_the_waiting_mails_too(broker_down, member, mailoutbox):
    send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
    Notification.objects.update(claimed_at=timezone.now() - LATER)
    broker_down.returns()

    out = StringIO()
    call_command("send_reminders", stdout=out)

    assert "Postausgang: 1 E-Mails erneut an die Warteschlange übergeben" in out.getvalue()
    assert len(mailoutbox) == 1


def test_beat_sweeps_the_outbox_every_minute(member, mailoutbox, django_capture_on_commit_callbacks):
    from portal.notifications.tasks import sweep_outbox

    entry = settings.CELERY_BEAT_SCHEDULE["mail-outbox"]
    assert entry == {"task": sweep_outbox.name, "schedule": 60}
    assert "portal.notifications.tasks" in settings.CELERY_IMPORTS  # the worker loads it

    with django_capture_on_commit_callbacks(execute=False):
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
    Notification.objects.update(claimed_at=timezone.now() - LATER)

    assert sweep_outbox.apply().get() == 1
    assert len(mailoutbox) == 1


def test_a_mail_queued_under_the_task_name_of_before_the_move_is_delivered(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    # Messages in the broker at a deploy name the task as it was registered when mail lived in
    # portal/mail.py; the worker imports every module of CELERY_IMPORTS at start.
    for module in settings.CELERY_IMPORTS:
        importlib.import_module(module)
    with django_capture_on_commit_callbacks(execute=False):
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
    waiting = Notification.objects.get()

    celery_app.tasks["portal.mail.deliver_email"].apply(kwargs={"notification_id": waiting.pk}).get()

    assert len(mailoutbox) == 1
    waiting.refresh_from_db()
    assert waiting.status == NotificationStatus.SENT


def test_a_failed_mail_without_a_claim_shows_on_the_failed_page_and_is_resent(
    project_staff, flaky_smtp, mailoutbox, client_for, django_capture_on_commit_callbacks
):
    # The barrier report goes to the team's address, which belongs to no person of the portal.
    flaky_smtp(100)
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to=["barrieren@example.org"],
            template="barrier_report",
            context={"page": "/x/", "description": "Kontrast", "email": "", "language": "de"},
        )
    failed = Notification.objects.get()
    assert (failed.status, failed.recipient) == (NotificationStatus.FAILED, None)

    page = client_for(project_staff).get(reverse("notifications:failed")).content.decode()
    assert "barrieren@example.org" in page
    assert "Sonstige E-Mail" in page

    flaky_smtp(0)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(project_staff).post(reverse("notifications:resend", args=[failed.pk]))
    assert [message.to for message in mailoutbox] == [["barrieren@example.org"]]
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.SENT


def test_a_mail_the_broker_lost_is_handed_over_again_after_an_hour(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    # The broker accepted it (enqueued_at is set) but no worker ever tried it: Redis restarted
    # without its data. Here the hand-over happens and the task never runs.
    with django_capture_on_commit_callbacks(execute=False):
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
    Notification.objects.update(enqueued_at=timezone.now())
    now = timezone.now()

    assert enqueue_waiting(now=now + timedelta(minutes=50)) == 0
    assert enqueue_waiting(now=now + timedelta(minutes=61)) == 1
    assert len(mailoutbox) == 1
    assert Notification.objects.get().status == NotificationStatus.SENT
    # Tried (and sent), it is never handed over again.
    assert enqueue_waiting(now=now + timedelta(hours=5)) == 0


def test_a_mail_in_retry_is_not_taken_for_lost(
    member, mainz, flaky_smtp, mailoutbox, django_capture_on_commit_callbacks
):
    flaky_smtp(100)
    with django_capture_on_commit_callbacks(execute=True):
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})
    # As if the worker were between two tries: still in Versand, with tries counted.
    Notification.objects.update(status=NotificationStatus.CLAIMED)

    assert enqueue_waiting(now=timezone.now() + timedelta(hours=2)) == 0


def test_project_staff_see_how_many_mails_wait_for_the_broker(
    project_staff, member, client_for, django_capture_on_commit_callbacks
):
    failed_page = reverse("notifications:failed")
    assert "wartet im Postausgang" not in client_for(project_staff).get(failed_page).content.decode()

    with django_capture_on_commit_callbacks(execute=False):  # as when the broker refused them
        for _ in range(2):
            send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/"})

    page = client_for(project_staff).get(failed_page).content.decode()
    assert "2 E-Mails warten im Postausgang, weil die Warteschlange (Broker) nicht erreichbar war." in page
