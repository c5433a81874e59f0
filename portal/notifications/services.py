"""Sending a notification: check the person's choice, claim it once, render it in their language,
deliver it after commit. Scans and events call `notify`; nothing else sends scheduled mail."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.notifications.kinds import KINDS
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference, NotificationStatus


def delivery_mode(user, kind: str) -> str:
    """Immediate (the default), digest or off, as the person chose; service mails always go out."""
    if KINDS[kind].mandatory:
        return DeliveryMode.IMMEDIATE
    preference = (
        NotificationPreference.objects.filter(user=user, kind=kind).values_list("mode", flat=True).first()
    )
    return preference or DeliveryMode.IMMEDIATE


def notification_claim(*, recipient, kind: str, obj, occasion: str = "") -> Notification | None:
    """Claim the right to send this mail; None when it was claimed before (by anyone, ever)."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient,
                kind=kind,
                object_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                occasion=occasion,
            )
    except IntegrityError:
        return None


def notify(
    *, recipient, kind: str, obj, template: str, context: dict, occasion: str = "", attachments=None
) -> bool:
    """Send one notification once; False when the person switched it off or it was sent before.

    `template` names templates/email/<template>.{subject.txt,txt,html}; the context gets `recipient`
    and `notification_kind` (a Kind) for the footer that says why the mail came and where to change
    the setting (templates/email/_footer.txt and _footer.html).
    """
    from portal.mail import send_email  # portal.mail imports this module for notification_mark_sent

    if not recipient.is_active or delivery_mode(recipient, kind) != DeliveryMode.IMMEDIATE:
        return False
    claim = notification_claim(recipient=recipient, kind=kind, obj=obj, occasion=occasion)
    if claim is None:
        return False
    send_email(
        to=[recipient.email],
        template=template,
        context={**context, "recipient": recipient, "notification_kind": KINDS[kind]},
        language=recipient.language,
        attachments=attachments,
        notification=claim,
    )
    return True


def preferences_for(user) -> list[dict]:
    """Every kind with the person's current mode, in the order of KINDS, for the settings page."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return [
        {
            "kind": kind,
            "mode": DeliveryMode.IMMEDIATE if kind.mandatory else chosen.get(code, DeliveryMode.IMMEDIATE),
        }
        for code, kind in KINDS.items()
    ]


def modes_for(kind) -> list[str]:
    """The choices a kind offers: immediately or off, and the weekly digest where there is one."""
    if kind.mandatory:
        return [DeliveryMode.IMMEDIATE]
    if kind.digest:
        return [DeliveryMode.IMMEDIATE, DeliveryMode.DIGEST, DeliveryMode.OFF]
    return [DeliveryMode.IMMEDIATE, DeliveryMode.OFF]


@transaction.atomic
def preferences_update(*, user, modes: dict[str, str]) -> None:
    """Save the person's choices; service mails and choices a kind does not offer are refused."""
    for code, mode in modes.items():
        kind = KINDS.get(code)
        if kind is None or mode not in modes_for(kind):
            raise ValueError(f"{code}: {mode}")
        if kind.mandatory:
            continue
        if mode == DeliveryMode.IMMEDIATE:
            # The default needs no row.
            NotificationPreference.objects.filter(user=user, kind=code).delete()
        else:
            NotificationPreference.objects.update_or_create(user=user, kind=code, defaults={"mode": mode})


# --- delivery (called by portal.mail) ------------------------------------------------------------


def notification_store_payload(*, notification: Notification, payload: dict) -> None:
    notification.payload = payload
    Notification.objects.filter(pk=notification.pk).update(payload=payload)


def outbox_add(*, payload: dict) -> Notification:
    """A mail without a claim (password reset, confirmation, …) gets its own row in the outbox. A
    mail to one person of the portal names them as recipient, so that their data export lists it
    and their erasure empties it."""
    recipient = None
    if len(payload["to"]) == 1:
        recipient = get_user_model().objects.filter(email=payload["to"][0].lower()).first()
    return Notification.objects.create(recipient=recipient, payload=payload)


def outbox_waiting(*, claimed_before, enqueued_before, limit: int) -> list[int]:
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
    changes = {"status": NotificationStatus.SENT, "sent_at": timezone.now(), "attempts": F("attempts") + 1}
    if not keep_payload:
        changes["payload"] = {}
    Notification.objects.filter(pk=notification_id).update(**changes)


@transaction.atomic
def notification_resend(*, notification: Notification, by) -> Notification:
    """Project staff send a failed mail again, as it was rendered; enqueued after commit."""
    from portal.mail import enqueue_on_commit

    if not by.is_project_staff:
        raise PermissionDenied
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != NotificationStatus.FAILED or not notification.payload:
        return notification
    notification.status = NotificationStatus.CLAIMED
    notification.enqueued_at = None
    notification.save(update_fields=["status", "enqueued_at"])
    enqueue_on_commit(notification_id=notification.pk)
    return notification
