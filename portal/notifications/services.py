from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.notifications.models import Notification, NotificationStatus


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


def notification_mark_sent(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT, sent_at=timezone.now()
    )
