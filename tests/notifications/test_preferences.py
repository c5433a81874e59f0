"""Each person chooses per kind: immediately, weekly digest (where offered) or off; service mails
always go out."""

import pytest
from django.urls import reverse

from portal.notifications.kinds import KINDS
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from portal.notifications.services import delivery_mode, notify, preferences_update

pytestmark = pytest.mark.usefixtures("notice_templates")


def _notify(recipient, obj, kind):
    return notify(recipient=recipient, kind=kind, obj=obj, template="test/notice", context={"obj": obj})


def test_switched_off_sends_nothing_and_claims_nothing(
    member, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_update(user=member, modes={"training.course_reminder": DeliveryMode.OFF})

    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(member, mainz, "training.course_reminder") is False

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_service_mails_go_out_whatever_is_stored(
    member, mainz, mailoutbox, django_capture_on_commit_callbacks
):
    # Even a row written past the service (e.g. in the admin) cannot switch a service mail off.
    NotificationPreference.objects.create(user=member, kind="training.enrollment", mode=DeliveryMode.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(member, mainz, "training.enrollment") is True

    assert len(mailoutbox) == 1
    with pytest.raises(ValueError):
        preferences_update(user=member, modes={"training.enrollment": DeliveryMode.OFF})


def test_digest_is_not_sent_immediately(member, mainz, mailoutbox, django_capture_on_commit_callbacks):
    preferences_update(user=member, modes={"network.post": DeliveryMode.DIGEST})

    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(member, mainz, "network.post") is False

    assert delivery_mode(member, "network.post") == DeliveryMode.DIGEST
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_digest_only_where_the_kind_offers_one(member):
    with pytest.raises(ValueError):
        preferences_update(user=member, modes={"training.course_reminder": DeliveryMode.DIGEST})


def test_settings_page_offers_one_choice_per_optional_kind(member, client_for):
    response = client_for(member).get(reverse("notifications:settings"))

    assert response.status_code == 200
    form = response.context["form"]
    optional = [code for code, kind in KINDS.items() if not kind.mandatory]
    assert list(form.fields) == optional
    assert [value for value, _label in form.fields["network.post"].choices] == [
        "immediate",
        "digest",
        "off",
    ]
    assert [value for value, _label in form.fields["training.course_reminder"].choices] == [
        "immediate",
        "off",
    ]
    page = response.content.decode()
    assert "Immer eingeschaltet" in page
    assert str(KINDS["training.enrollment"].label) in page
    assert "Wöchentliche Zusammenfassung" in page


def test_saving_the_settings_page(member, client_for):
    data = {code: "immediate" for code, kind in KINDS.items() if not kind.mandatory}
    data |= {"training.follow_up": "off", "network.post": "digest"}

    response = client_for(member).post(reverse("notifications:settings"), data)

    assert response.status_code == 302
    assert delivery_mode(member, "training.follow_up") == DeliveryMode.OFF
    assert delivery_mode(member, "network.post") == DeliveryMode.DIGEST
    # Immediately is the default and needs no row.
    assert NotificationPreference.objects.filter(user=member).count() == 2

    client_for(member).post(reverse("notifications:settings"), data | {"training.follow_up": "immediate"})
    assert delivery_mode(member, "training.follow_up") == DeliveryMode.IMMEDIATE


def test_profile_links_to_the_settings(member, client_for):
    response = client_for(member).get(reverse("accounts:profile"))

    assert reverse("notifications:settings") in response.content.decode()
