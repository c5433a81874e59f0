"""E-mails: rendered from templates/email/<name>.{subject.txt,txt,html} in the recipient's language,
handed to Celery after the transaction commits, and sent by the worker with retries."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from portal.notifications.services import notification_mark_sent


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
    mail that must go out once (portal.notifications); it is marked sent after delivery.
    """
    message = render_email(template=template, context=context, language=language)
    deliver_email.delay_on_commit(
        to=list(to),
        reply_to=list(reply_to or []),
        attachments=[list(attachment) for attachment in attachments or []],
        notification_id=notification.pk if notification else None,
        **message,
    )


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=4,
)
def deliver_email(*, to, subject, body, html, reply_to=(), attachments=(), notification_id=None):
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=list(reply_to)
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
    if notification_id:
        # Marked after the SMTP server accepted the mail: a worker dying in between leaves the claim
        # "in Versand" and the mail is not sent again (the portal errs on the side of at most once).
        notification_mark_sent(notification_id=notification_id)
