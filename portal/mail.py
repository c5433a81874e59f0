"""E-mails: rendered from templates/email/<name>.{subject.txt,txt,html} in the recipient's language,
handed to Celery after the transaction commits, and sent by the worker with retries.

A notification (portal.notifications) keeps its rendered mail on its claim, counts every try and
is marked failed after the last one, so that project staff can see it and send it again."""

from smtplib import SMTPException

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from portal.notifications.services import (
    notification_attempt_failed,
    notification_mark_failed,
    notification_mark_sent,
    notification_pending,
    notification_store_payload,
)

# SMTP errors and network errors are worth another try; anything else is a bug and fails at once.
RETRY_FOR = (SMTPException, OSError)
# Five tries in all: the first and four retries, about 1, 2, 4 and 8 seconds apart plus jitter.
MAX_RETRIES = 4


def render_email(*, template: str, context: dict, language: str = "de") -> dict:
    context = {"base_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"email/{template}.subject.txt", context)
        return {
            "subject": " ".join(subject.split()),
            "body": render_to_string(f"email/{template}.txt", context),
            "html": render_to_string(f"email/{template}.html", context),
        }


def send_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str = "de",
    reply_to=None,
    attachments=None,
    notification=None,
) -> None:
    """Render now, deliver after commit: a rolled-back change sends nothing.

    `attachments` is a list of `(filename, content, mimetype)` with text content (a str): the task
    arguments travel as JSON, so binary files do not belong here. `notification` is the claim of a
    mail that must go out once (portal.notifications): the rendered mail is stored on it, so that a
    failed one can be sent again, and it is marked sent after delivery.
    """
    message = render_email(template=template, context=context, language=language)
    payload = {
        "to": list(to),
        "reply_to": list(reply_to or []),
        "attachments": [list(attachment) for attachment in attachments or []],
        **message,
    }
    if notification is not None:
        notification_store_payload(notification=notification, payload={**payload, "language": language})
    deliver_email.delay_on_commit(notification_id=notification.pk if notification else None, **payload)


def deliver_payload(*, payload: dict, notification_id: int | None = None) -> None:
    """Enqueue a stored mail again (after commit), e.g. when project staff resend a failed one."""
    fields = ("to", "subject", "body", "html", "reply_to", "attachments")
    deliver_email.delay_on_commit(
        notification_id=notification_id, **{key: payload[key] for key in fields if key in payload}
    )


class DeliveryTask(DjangoTask):
    """A Django task (with `delay_on_commit`) that marks the claim failed once it gives up: after
    the last retry, or at once on an error that is not worth retrying. Celery calls `on_failure`
    only for the final failure; a retry is reported to `on_retry` instead."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        notification_id = (kwargs or {}).get("notification_id")
        if notification_id:
            notification_mark_failed(notification_id=notification_id, error=_describe(exc))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


@shared_task(
    base=DeliveryTask,
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver_email(*, to, subject, body, html, reply_to=(), attachments=(), notification_id=None):
    # With acks_late, a task whose worker died is delivered again. A claim that was marked sent (or
    # given up on) meanwhile must not produce a second mail.
    if notification_id and not notification_pending(notification_id=notification_id):
        return
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=list(reply_to)
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except RETRY_FOR as error:
        if notification_id:
            notification_attempt_failed(notification_id=notification_id, error=_describe(error))
        raise
    if notification_id:
        # Marked after the SMTP server accepted the mail. A worker that dies in between leaves the
        # claim "in Versand"; the broker hands the unacknowledged task to the next worker, which
        # sends the mail again: in this one gap the portal errs on the side of at least once.
        notification_mark_sent(notification_id=notification_id)
