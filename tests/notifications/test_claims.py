from portal.notifications.models import Notification
from portal.notifications.services import notification_claim


def test_a_mail_is_claimed_once_per_recipient_object_and_occasion(member, coordinator, mainz):
    first = notification_claim(recipient=member, kind="test.reminder", obj=mainz, occasion="7d")

    assert first is not None
    assert notification_claim(recipient=member, kind="test.reminder", obj=mainz, occasion="7d") is None
    # Another occasion, recipient or kind is another mail.
    assert notification_claim(recipient=member, kind="test.reminder", obj=mainz, occasion="1d") is not None
    assert notification_claim(recipient=coordinator, kind="test.reminder", obj=mainz, occasion="7d")
    assert notification_claim(recipient=member, kind="test.other", obj=mainz, occasion="7d") is not None
    assert Notification.objects.count() == 4
