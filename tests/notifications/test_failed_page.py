"""Project staff see the mails that could not be delivered and send them again."""

import pytest
from django.urls import reverse

from portal.notifications.models import Notification, NotificationStatus
from portal.notifications.services import notify

pytestmark = pytest.mark.usefixtures("notice_templates")


@pytest.fixture
def failed(member, mainz, flaky_smtp, django_capture_on_commit_callbacks):
    flaky_smtp(100)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=member,
            kind="training.course_reminder",
            obj=mainz,
            template="test/notice",
            context={"obj": mainz},
            occasion="1d",
        )
    claim = Notification.objects.get()
    assert claim.status == NotificationStatus.FAILED
    return claim


def test_project_staff_see_failed_mails(project_staff, failed, client_for):
    response = client_for(project_staff).get(reverse("notifications:failed"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "member@mainz.example.org" in page
    assert "Erinnerung vor einer Schulung" in page
    assert "Hinweis zu Stadt Mainz" in page
    assert "SMTPServerDisconnected" in page
    assert "Erneut senden" in page
    assert reverse("notifications:resend", args=[failed.pk]) in page


def test_others_may_not_see_or_resend(member, coordinator, funder, failed, client_for):
    for user in (member, coordinator, funder):
        assert client_for(user).get(reverse("notifications:failed")).status_code == 403
        assert client_for(user).post(reverse("notifications:resend", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED


def test_resend_delivers_the_stored_mail_after_commit(
    project_staff, failed, flaky_smtp, mailoutbox, client_for, django_capture_on_commit_callbacks
):
    flaky_smtp(0)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(project_staff).post(reverse("notifications:resend", args=[failed.pk]))

    assert response.status_code == 302
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Hinweis zu Stadt Mainz"
    assert mailoutbox[0].to == ["member@mainz.example.org"]
    assert mailoutbox[0].alternatives[0].mimetype == "text/html"
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.SENT
    assert failed.attempts == 6
    # Gone from the page.
    page = client_for(project_staff).get(reverse("notifications:failed")).content.decode()
    assert "Keine fehlgeschlagenen E-Mails." in page


def test_resend_sets_the_claim_back_before_the_worker_runs(
    project_staff, failed, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(project_staff).post(reverse("notifications:resend", args=[failed.pk]))

    failed.refresh_from_db()
    assert failed.status == NotificationStatus.CLAIMED
    assert len(callbacks) == 1
    # A second click finds nothing to resend and enqueues nothing.
    with django_capture_on_commit_callbacks(execute=False) as again:
        client_for(project_staff).post(reverse("notifications:resend", args=[failed.pk]))
    assert again == []
