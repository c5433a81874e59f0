"""The outbox's row operations: store a rendered mail, find the waiting ones, mark a try, a failure,
the hand-over and the delivery. Only `portal.notifications.mail` calls them. They live apart from the
notification services so that the chain is one-way (services → mail → outbox → models): when mail
imported the services and the services imported mail, the two formed an import cycle."""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Model, Q
from django.utils import timezone

from portal.notifications.models import Notification, NotificationStatus


def notification_store_payload(*, notification: Notification, payload: dict[str, Any]) -> None:
    notification.payload = payload
    Notification.objects.filter(pk=notification.pk).update(payload=payload)


def outbox_claim(*, recipient_id: int, kind: str, obj: Model, occasion: str) -> Notification | None:
    """Claim a notification in one statement: the row, or None when it was claimed before (by anyone,
    ever). `INSERT … ON CONFLICT DO NOTHING RETURNING` needs no savepoint around it (a savepoint and its
    release were two more round trips per mail of a scan) and waits for a claim of the same mail that
    another transaction has not committed yet, then does nothing."""
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        occasion=occasion,
    )
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(notification, True), connection) for field in fields]
    quote = connection.ops.quote_name
    # Table and column names come from the model, every value is a parameter.
    sql = "INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING RETURNING {pk}".format(  # noqa: S608
        table=quote(Notification._meta.db_table),
        columns=", ".join(quote(str(field.column)) for field in fields),
        values=", ".join(["%s"] * len(fields)),
        pk=quote(str(Notification._meta.pk.column)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    notification.pk = row[0]
    notification._state.adding = False
    return notification


def outbox_add(*, payload: dict[str, Any]) -> Notification:
    """A mail without a claim (password reset, confirmation, …) gets its own row in the outbox. A
    mail to one person of the portal names them as recipient, so that their data export lists it
    and their erasure empties it."""
    recipient = None
    if len(payload["to"]) == 1:
        recipient = get_user_model().objects.filter(email=payload["to"][0].lower()).first()
    return Notification.objects.create(recipient=recipient, payload=payload)


def outbox_waiting(*, claimed_before: datetime, enqueued_before: datetime, limit: int) -> list[int]:
    """Mails to hand to the broker (again), oldest first: those it did not accept at commit (it was
    down), and those it accepted long ago that no worker has tried yet (the broker lost them, e.g.
    Redis restarted without its data)."""
    return list(
        Notification.objects.filter(status=NotificationStatus.CLAIMED)
        .filter(
            Q(enqueued_at__isnull=True, claimed_at__lt=claimed_before)
            | Q(enqueued_at__lt=enqueued_before, attempts=0)
        )
        .exclude(payload={})  # a claim whose mail was never rendered has nothing to send
        .order_by("claimed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# Below SQLite's limit of 32,766 parameters: one UPDATE for the mails of a scan up to this many.
MARK_BATCH = 30000


def notification_mark_enqueued(*, notification_ids: list[int]) -> None:
    """The broker accepted these mails: one UPDATE for the batch (a scan hands over thousands)."""
    now = timezone.now()
    for start in range(0, len(notification_ids), MARK_BATCH):
        Notification.objects.filter(pk__in=notification_ids[start : start + MARK_BATCH]).update(
            enqueued_at=now
        )


def notification_lock_pending(*, notification_id: int) -> Notification | None:
    """The mail, locked until the transaction ends, if it still waits for delivery (not sent, not
    given up on, not deleted); a second task for the same mail waits here and then finds it sent."""
    return (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, status=NotificationStatus.CLAIMED)
        .first()
    )


def notification_attempt_failed(*, notification_id: int, error: str) -> None:
    Notification.objects.filter(pk=notification_id).update(attempts=F("attempts") + 1, last_error=error)


def notification_mark_failed(*, notification_id: int, error: str) -> None:
    """After the last try: the claim shows on the page of failed mails until someone resends it."""
    Notification.objects.filter(pk=notification_id, status=NotificationStatus.CLAIMED).update(
        status=NotificationStatus.FAILED, last_error=error
    )


def notification_mark_sent(*, notification_id: int, keep_payload: bool = True) -> None:
    """`keep_payload=False` empties the stored mail (a sent password reset keeps no usable link)."""
    changes: dict[str, Any] = {
        "status": NotificationStatus.SENT,
        "sent_at": timezone.now(),
        "attempts": F("attempts") + 1,
    }
    if not keep_payload:
        changes["payload"] = {}
    Notification.objects.filter(pk=notification_id).update(**changes)


def outbox_last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def notification_mark_sent_to_nobody(*, after_pk: int) -> int:
    """The mails written after `after_pk` that still wait count as sent, to nobody: the claims stay (a
    scan sends no reminder twice), nothing reaches the broker or a mailbox."""
    return Notification.objects.filter(pk__gt=after_pk, status=NotificationStatus.CLAIMED).update(
        status=NotificationStatus.SENT, sent_at=timezone.now()
    )
