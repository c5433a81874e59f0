"""Delivery of notifications: the rendered mail is kept on the claim, every try is counted, SMTP
errors are retried (five tries in all) and a mail that never gets through is marked failed.

Tasks run eagerly here (tests/conftest.py); with `flaky_smtp` they do not propagate errors, and
Celery then runs each retry at once, inline, with the same `max_retries` and the same `on_failure`
as a worker, only without the countdown. tests/notifications/test_integration.py does the same
with a real worker and a real SMTP server."""

import pytest
from django.db import transaction
from django.urls import reverse

from portal.notifications.mail import deliver_email, send_email
from portal.notifications.models import Notification, NotificationStatus
from portal.notifications.services import notify
from tests.factories import CourseFactory
from training.models import Enrollment
from training.services.enrollments import enrollment_create


def _notify(recipient, obj, kind="training.course_reminder"):
    return notify(
        recipient=recipient, kind=kind, obj=obj, template="test/notice", context={"obj": obj}, occasion="7d"
    )


@pytest.mark.usefixtures("notice_templates")
def test_the_rendered_mail_is_kept_on_the_claim(
    member, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(member, mainz)

    claim = Notification.objects.get()
    assert claim.status == NotificationStatus.SENT
    assert claim.sent_at is not None
    assert claim.attempts == 1
    assert claim.payload["to"] == ["member@mainz.example.org"]
    assert claim.payload["subject"] == "Hinweis zu Stadt Mainz"
    assert "Neuigkeiten zu Stadt Mainz" in claim.payload["body"]
    assert "<p>Es gibt Neuigkeiten" in claim.payload["html"]
    assert claim.payload["attachments"] == []
    assert claim.payload["language"] == member.language
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == claim.payload["subject"]


@pytest.mark.usefixtures("notice_templates")
def test_footer_says_why_and_where_to_change_it(
    member, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, mainz)
        _notify(member, mainz, kind="training.course_changed")

    settings_url = "http://127.0.0.1:8000" + reverse("notifications:settings")
    reminder, changed = mailoutbox
    html = reminder.alternatives[0].content
    assert "Warum Sie diese E-Mail erhalten: Erinnerung vor einer Schulung (7 Tage und 1 Tag vorher)." in (
        reminder.body
    )
    assert settings_url in reminder.body
    assert f'href="{settings_url}"' in html
    assert "Erinnerung vor einer Schulung" in html
    # A service mail says why it came, and that it cannot be switched off.
    assert "Änderung oder Absage einer Schulung" in changed.body
    assert "Diese Servicemail lässt sich nicht abbestellen." in changed.body
    assert settings_url not in changed.body


@pytest.mark.usefixtures("notice_templates")
def test_smtp_refusing_three_times_then_accepting_sends_one_mail(
    member, mainz, flaky_smtp, mailoutbox, django_capture_on_commit_callbacks
):
    backend = flaky_smtp(3)

    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, mainz)

    assert backend.tries == 4
    assert len(mailoutbox) == 1
    claim = Notification.objects.get()
    assert claim.status == NotificationStatus.SENT
    assert claim.attempts == 4
    assert claim.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"


@pytest.mark.usefixtures("notice_templates")
def test_smtp_refusing_always_marks_the_claim_failed_after_five_tries(
    member, mainz, flaky_smtp, mailoutbox, django_capture_on_commit_callbacks
):
    backend = flaky_smtp(100)

    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, mainz)

    assert backend.tries == 5
    assert mailoutbox == []
    claim = Notification.objects.get()
    assert claim.status == NotificationStatus.FAILED
    assert claim.attempts == 5
    assert claim.sent_at is None
    assert "Connection unexpectedly closed" in claim.last_error


@pytest.mark.usefixtures("notice_templates")
def test_a_task_delivered_again_after_the_claim_was_sent_sends_nothing(
    member, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    # acks_late: a worker that dies after marking the claim sent, before acknowledging the task,
    # leaves the task to the next worker, which finds the claim sent.
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, mainz)
    claim = Notification.objects.get()

    deliver_email.apply(kwargs={"notification_id": claim.pk})

    assert len(mailoutbox) == 1
    claim.refresh_from_db()
    assert claim.attempts == 1


def test_mails_without_a_claim_get_a_row_of_their_own_in_the_outbox(
    member, flaky_smtp, mailoutbox, django_capture_on_commit_callbacks
):
    flaky_smtp(1)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_email(to=[member.email], template="password_reset", context={"user": member, "url": "/x/"})
    mail = Notification.objects.get()
    assert (mail.recipient, mail.kind, mail.object_id) == (member, "", None)
    assert mail.payload["to"] == ["member@mainz.example.org"]
    assert mail.payload["template"] == "password_reset"
    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    mail.refresh_from_db()
    assert mail.status == NotificationStatus.SENT
    assert mail.attempts == 2
    assert mail.enqueued_at is not None
    # Sent, it keeps no copy: the reset link is not stored any longer.
    assert mail.payload == {}


def test_a_rolled_back_enrollment_enqueues_nothing(member, mailoutbox, django_capture_on_commit_callbacks):
    course = CourseFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enrollment_create(course=course, participant=member, by=member)
        raise RuntimeError("Abbruch nach der Anmeldung")

    assert callbacks == []
    assert mailoutbox == []
    assert not Enrollment.objects.exists()


def test_a_committed_enrollment_enqueues_its_mail(member, mailoutbox, django_capture_on_commit_callbacks):
    # The counterpart of the rollback test: the same call, committed, sends the confirmation.
    course = CourseFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrollment_create(course=course, participant=member, by=member)

    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    assert course.title in mailoutbox[0].subject
