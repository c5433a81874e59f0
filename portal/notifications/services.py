"""Sending a notification: check the person's choice, claim it once, render it in their language,
deliver it after commit. Scans and events call `notify`; nothing else sends scheduled mail."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
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
    and `kind` for the footer that says why the mail came and where to change the setting.
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


def notification_mark_sent(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT, sent_at=timezone.now()
    )
