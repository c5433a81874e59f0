"""The outbox's row operations: store a rendered mail, find the waiting ones, mark a try, a failure,
the hand-over and the delivery. Only `portal.notifications.mail` calls them. They live apart from the
notification services so that the chain is one-way (services → mail → outbox → models): when mail
imported the services and the services imported mail, the two formed an import cycle."""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from portal.notifications.models import Notification, NotificationStatus


def notification_store_payload(*, notification: Notification, payload: dict[str, Any]) -> None:
    notification.payload = payload
    Notification.objects.filter(pk=notification.pk).update(payload=payload)


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


def notification_mark_enqueued(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id).update(enqueued_at=timezone.now())


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
