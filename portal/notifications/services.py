"""Sending a notification: check the person's choice, claim it once, render it in their language,
deliver it after commit. Scans and events call `notify`; nothing else sends scheduled mail."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from portal.notifications.kinds import KINDS, Kind
from portal.notifications.mail import enqueue_on_commit, handover_batch, send_email
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference, NotificationStatus
from portal.notifications.outbox import outbox_claim

if TYPE_CHECKING:
    from portal.accounts.models import User


# Inside `notification_batch()`: every person's choice per kind, read once per kind for the batch.
_batch_modes: ContextVar[dict[str, dict[int, str]] | None] = ContextVar("batch_modes", default=None)


def delivery_mode(user: "User", kind: str) -> str:
    """Immediate (the default), digest or off, as the person chose; service mails always go out."""
    if KINDS[kind].mandatory:
        return DeliveryMode.IMMEDIATE
    batch = _batch_modes.get()
    if batch is not None:
        if kind not in batch:
            batch[kind] = dict(
                NotificationPreference.objects.filter(kind=kind).values_list("user_id", "mode")
            )
        return batch[kind].get(user.pk, DeliveryMode.IMMEDIATE)
    preference = (
        NotificationPreference.objects.filter(user=user, kind=kind).values_list("mode", flat=True).first()
    )
    return preference or DeliveryMode.IMMEDIATE


@contextmanager
def notification_batch() -> Iterator[None]:
    """One scan's mails as one unit: written in one transaction, each person's settings read once per
    kind, handed to the broker together after the commit and marked so in one UPDATE. Per mail the scan
    then runs two statements (the claim, the rendered mail). A failing scan sends nothing of its batch;
    the next run claims it again."""
    token = _batch_modes.set({})
    try:
        with handover_batch(), transaction.atomic():
            yield
    finally:
        _batch_modes.reset(token)


def notification_claim(
    *, recipient: "User", kind: str, obj: models.Model, occasion: str = ""
) -> Notification | None:
    """Claim the right to send this mail; None when it was claimed before (by anyone, ever)."""
    return outbox_claim(recipient_id=recipient.pk, kind=kind, obj=obj, occasion=occasion)


def notify(
    *,
    recipient: "User",
    kind: str,
    obj: models.Model,
    template: str,
    context: dict[str, Any],
    occasion: str = "",
    attachments: list[tuple[str, str, str]] | None = None,
    reply_to: list[str] | None = None,
) -> bool:
    """Send one notification once; False when the person switched it off or it was sent before.

    `template` names templates/email/<template>.{subject.txt,txt,html}; the context gets `recipient`
    and `notification_kind` (a Kind) for the footer that says why the mail came and where to change
    the setting (templates/email/_footer.txt and _footer.html).
    """
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
        reply_to=reply_to,
        notification=claim,
    )
    return True


def participants_message(
    *,
    recipients: "Iterable[User]",
    kind: str,
    obj: models.Model,
    sender: "User",
    subject: str,
    text: str,
    token: str,
) -> int:
    """A message of project staff to everyone taking part in `obj` (a course, a meeting): one mail per
    person through the outbox, all in one transaction (all or none), answers going to the sender.
    The apps decide who may send and who receives it. `token` is the form's (`ParticipantMessageForm`):
    the same message posted twice (a double click, a reload) goes out once. Returns how many mails
    were queued."""
    queued = 0
    with notification_batch():
        for recipient in recipients:
            queued += notify(
                recipient=recipient,
                kind=kind,
                obj=obj,
                occasion=f"message-{token}",
                template="participants_message",
                context={"subject": subject, "text": text, "sender": sender, "about": obj},
                reply_to=[sender.email],
            )
    return queued


def preferences_for(user: "User") -> list[dict[str, Any]]:
    """Every kind with the person's current mode, in the order of KINDS, for the settings page."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return [
        {
            "kind": kind,
            "mode": DeliveryMode.IMMEDIATE if kind.mandatory else chosen.get(code, DeliveryMode.IMMEDIATE),
        }
        for code, kind in KINDS.items()
    ]


def modes_for(kind: Kind) -> list[str]:
    """The choices a kind offers: immediately or off, and the weekly digest where there is one."""
    if kind.mandatory:
        return [DeliveryMode.IMMEDIATE]
    if kind.digest:
        return [DeliveryMode.IMMEDIATE, DeliveryMode.DIGEST, DeliveryMode.OFF]
    return [DeliveryMode.IMMEDIATE, DeliveryMode.OFF]


@transaction.atomic
def preferences_update(*, user: "User", modes: dict[str, str]) -> None:
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


@transaction.atomic
def notification_resend(*, notification: Notification, by: "User") -> Notification:
    """Project staff send a failed mail again, as it was rendered; enqueued after commit."""
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
