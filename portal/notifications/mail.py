"""E-mails: rendered from templates/email/<name>.{subject.txt,txt,html} in the recipient's language,
written to the outbox in the same transaction as the change that causes them, handed to Celery after
the transaction commits, and sent by the worker with retries.

The outbox is `portal.notifications.Notification`: every mail is a row with its rendered payload. A
notification's row is also its claim (sent once); other mails get a row of their own. When the broker
is down at commit, the request still succeeds and the row waits (`enqueued_at` empty) until the sweep
(`enqueue_waiting`, every minute by beat and in `manage.py send_reminders`) hands it over. The worker
counts every try and marks the row failed after the last one, so that project staff can see it and
send it again."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from portal.links import absolute_url
from portal.notifications.kinds import KINDS
from portal.notifications.outbox import (
    notification_attempt_failed,
    notification_lock_pending,
    notification_mark_enqueued,
    notification_mark_failed,
    notification_mark_sent,
    notification_mark_sent_to_nobody,
    notification_store_payload,
    outbox_add,
    outbox_last_pk,
    outbox_waiting,
)

logger = logging.getLogger(__name__)

# SMTP errors and network errors are worth another try; anything else is a bug and fails at once.
RETRY_FOR = (SMTPException, OSError)
# Five tries in all: the first and four retries, about 1, 2, 4 and 8 seconds apart plus jitter.
MAX_RETRIES = 4
# A mail the broker has not accepted this long after its commit is handed over by the sweep; until
# then its own on-commit hand-over may still be running (e.g. after a scan committed many mails).
OUTBOX_GRACE = timedelta(minutes=2)
# A mail the broker accepted this long ago that no worker has tried yet was lost by the broker; the
# sweep hands it over again. Longer than a dead worker's task takes to come back (CELERY_VISIBILITY_TIMEOUT).
OUTBOX_LOST_AFTER = timedelta(hours=1)
# Mails handed over per sweep; the next sweep takes the rest.
OUTBOX_BATCH = 1000
# After the broker refused a mail, the mails of the next seconds wait in the outbox without a try.
BROKER_PAUSE_SECONDS = 10
_broker_failed_at: float | None = None  # per process: time.monotonic() of the last refusal
# Inside `handover_batch()`: the mails to hand to the broker together once the block is done.
_handover: ContextVar[list[int] | None] = ContextVar("handover", default=None)
# Inside `mails_to_nobody()`: nothing is handed to the broker.
_to_nobody: ContextVar[bool] = ContextVar("to_nobody", default=False)


def render_email(*, template: str, context: dict, language: str = "de") -> dict:
    context = {"base_url": absolute_url(), **context}
    with translation.override(language):
        return {
            "subject": render_subject(template, context),
            "body": render_text(f"email/{template}.txt", context),
            "html": render_to_string(f"email/{template}.html", context),
        }


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: "Recht & Ordnung" stays as it is, not
    "Recht &amp; Ordnung" (the HTML part is escaped as usual)."""
    # The backend's template wraps the engine's, whose render() takes a Context with autoescape off.
    template = get_template(template_name).template  # type: ignore[attr-defined]
    return template.render(Context(context, autoescape=False))


def render_subject(template: str, context: dict) -> str:
    """The subject line of templates/email/<template>.subject.txt: plain text on one line (a line
    break in a header would end it)."""
    return " ".join(render_text(f"email/{template}.subject.txt", context).split())


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
    """Render now, write to the outbox, deliver after commit: a rolled-back change sends nothing.

    `attachments` is a list of `(filename, content, mimetype)` with text content (a str): the
    payload is stored as JSON, so binary files do not belong here. `notification` is the claim of a
    mail that must go out once (portal.notifications): the rendered mail is stored on it; without
    one, the mail gets a row of its own. Either row is marked sent after delivery, and a failed one
    can be sent again.
    """
    message = render_email(template=template, context=context, language=language)
    payload = {
        "to": list(to),
        "reply_to": list(reply_to or []),
        "attachments": [list(attachment) for attachment in attachments or []],
        **message,
        "language": language,
        "template": template,
    }
    if notification is None:
        notification = outbox_add(payload=payload)
    else:
        notification_store_payload(notification=notification, payload=payload)
    enqueue_on_commit(notification_id=notification.pk)


def enqueue_on_commit(*, notification_id: int) -> None:
    """Hand the mail to the broker once the transaction commits (at once outside of one); inside
    `handover_batch()` together with the batch's other mails after the block."""
    if _to_nobody.get():
        return
    batch = _handover.get()
    if batch is not None:
        batch.append(notification_id)
    else:
        transaction.on_commit(lambda: enqueue(notification_id=notification_id))


@contextmanager
def handover_batch() -> Iterator[None]:
    """Mails written inside the block go to the broker together once it is done and committed, and one
    UPDATE marks them handed over (a scan of 10,000 reminders: one statement, not 10,000). When the block
    fails, nothing is handed over: what was committed waits in the outbox for the sweep."""
    batch: list[int] = []
    token = _handover.set(batch)
    try:
        yield
    finally:
        _handover.reset(token)
    if batch and not _to_nobody.get():
        transaction.on_commit(lambda: enqueue_many(batch))


@contextmanager
def mails_to_nobody() -> Iterator[None]:
    """Mails written inside the block are marked sent and never reach the broker: the demo data's
    ~230 confirmations would keep the worker busy for minutes before a newcomer's first real mail.
    Use inside the transaction that writes them."""
    after_pk = outbox_last_pk()
    token = _to_nobody.set(True)
    try:
        yield
    finally:
        _to_nobody.reset(token)
    notification_mark_sent_to_nobody(after_pk=after_pk)


def enqueue(*, notification_id: int) -> bool:
    """Hand the mail to the broker; False when the broker cannot be reached. The change that caused
    the mail is committed by then, so the request goes on; the mail waits in the outbox."""
    return enqueue_many([notification_id]) == 1


def enqueue_many(notification_ids: list[int]) -> int:
    """Hand the mails to the broker in order and mark those it accepted in one UPDATE; returns how
    many. Stops at the first refusal: the rest wait in the outbox for the sweep."""
    global _broker_failed_at
    handed_over: list[int] = []
    for notification_id in notification_ids:
        if _broker_failed_at is not None and time.monotonic() - _broker_failed_at < BROKER_PAUSE_SECONDS:
            # Each try costs the request up to a few seconds; a course cancelled for 60 people would
            # otherwise wait a minute for a broker that was down a moment ago.
            logger.warning(
                "Mail %s waits in the outbox: the broker was not reachable just now", notification_id
            )
            break
        try:
            deliver_email.delay(notification_id=notification_id)
        except (BrokerError, OSError) as error:
            _broker_failed_at = time.monotonic()
            logger.warning(
                "Mail %s waits in the outbox: the broker is not reachable (%s)",
                notification_id,
                _describe(error),
            )
            break
        _broker_failed_at = None
        handed_over.append(notification_id)
    if handed_over:
        notification_mark_enqueued(notification_ids=handed_over)
    return len(handed_over)


def enqueue_waiting(*, now=None, grace: timedelta = OUTBOX_GRACE) -> int:
    """The outbox sweep: hand every mail the broker did not accept at commit (or lost since) to it
    now; returns how many were handed over. Stops at the first failure (the broker is still down;
    the next sweep tries again). A mail handed over twice (two sweeps at once) is still sent once:
    the worker locks the row and skips a sent one."""
    now = now or timezone.now()
    waiting = outbox_waiting(
        claimed_before=now - grace, enqueued_before=now - OUTBOX_LOST_AFTER, limit=OUTBOX_BATCH
    )
    return enqueue_many(waiting)


class DeliveryTask(DjangoTask):
    """A Django task that marks the mail failed once it gives up: after
    the last retry, or at once on an error that is not worth retrying. Celery calls `on_failure`
    only for the final failure; a retry is reported to `on_retry` instead."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        notification_id = (kwargs or {}).get("notification_id")
        if notification_id:
            notification_mark_failed(notification_id=notification_id, error=_describe(exc))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


# Registered under its name from before the move out of portal/mail.py: messages queued in the broker
# at a deploy still find their task.
@shared_task(
    name="portal.mail.deliver_email",
    base=DeliveryTask,
    autoretry_for=RETRY_FOR,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver_email(*, notification_id):
    """Send one mail of the outbox. The row stays locked from the check to "sent", so that a second
    task for it (acks_late hands a dead worker's task to the next one; the sweep may hand a mail over
    twice) waits and then finds it sent, or given up on, and sends nothing."""
    try:
        with _row_lock():
            notification = notification_lock_pending(notification_id=notification_id)
            if notification is None or not notification.payload:
                return
            _message(notification.payload).send()
            # Marked after the SMTP server accepted the mail. A worker that dies in between leaves
            # the row "in Versand"; the broker hands the unacknowledged task to the next worker,
            # which sends the mail again: in this one gap the portal errs on the side of at least once.
            # A mail without a claim keeps no copy once sent (reset links, other people's
            # messages); a notification keeps its own, as the record of what the person was told,
            # unless its kind says otherwise (a one-time link of the staff survey).
            kind = KINDS.get(notification.kind)
            keep = bool(notification.kind) and (kind is None or kind.keep_copy)
            notification_mark_sent(notification_id=notification_id, keep_payload=keep)
    except RETRY_FOR as error:
        # Outside the rolled-back transaction, so that the try counts.
        notification_attempt_failed(notification_id=notification_id, error=_describe(error))
        raise


def _row_lock():
    # SQLite has no row locks: its transaction would lock the whole database while SMTP talks.
    return transaction.atomic() if connection.features.has_select_for_update else nullcontext()


def _message(payload: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=payload["to"],
        reply_to=list(payload.get("reply_to") or []),
    )
    message.attach_alternative(payload["html"], "text/html")
    for filename, content, mimetype in payload.get("attachments") or []:
        message.attach(filename, content, mimetype)
    return message
