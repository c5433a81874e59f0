"""The storage periods beyond the participants' erasure (portal/privacy/retention.py): accounts restricted
to the AMIF evidence after the project, project-staff and funder accounts after their end, failed mails,
expired sessions; and the Datenschutz page that names controller, DPO, supervisory authorities, processors,
legal bases and recipients."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from authorities.models import ContactPerson
from network.models import Subscription, SubscriptionMode
from portal.notifications.models import Notification, NotificationPreference, NotificationStatus
from portal.privacy import retention, tasks
from tests.factories import ContactPersonFactory, EnrollmentFactory, NetworkFactory, UserFactory
from training.models import CalendarToken, Enrollment


def test_after_the_project_accounts_are_restricted_to_the_evidence(
    settings, member, coordinator, project_staff, mainz, client_for
):
    settings.PROJECT_END_DATE = date(2027, 12, 31)
    settings.RETENTION_MONTHS = 12
    enrollment = EnrollmentFactory(participant=member)
    Subscription.objects.create(user=member, network=NetworkFactory(), mode=SubscriptionMode.IMMEDIATE)
    NotificationPreference.objects.create(user=member, kind="training.reminder", mode="off")
    CalendarToken.objects.create(user=member)
    ContactPersonFactory(authority=mainz, name="Dr. Amalia Amtsleitung")
    session = client_for(member)

    assert retention.participants_restrict_due(today=date(2028, 12, 31)) == 0
    assert session.get(reverse("accounts:profile")).status_code == 200

    assert retention.participants_restrict_due(today=date(2029, 1, 1)) == 2

    member.refresh_from_db()
    project_staff.refresh_from_db()
    assert not member.is_active and member.erased_at is None
    assert member.last_name  # the evidence still names the person until the AMIF period ends
    assert Enrollment.objects.filter(pk=enrollment.pk, participant=member).exists()
    assert not Subscription.objects.filter(user=member).exists()
    assert not NotificationPreference.objects.filter(user=member).exists()
    assert not CalendarToken.objects.filter(user=member).exists()
    assert not ContactPerson.objects.exists()
    assert project_staff.is_active
    assert session.get(reverse("accounts:profile")).status_code == 302  # logged out
    assert retention.participants_restrict_due(today=date(2029, 1, 2)) == 0


def test_staff_and_funder_accounts_go_after_their_end(db):
    now = timezone.now()

    def account(*, active, days_since_login, **role):
        person = UserFactory(is_active=active, **role)
        person.last_login = now - timedelta(days=days_since_login)
        person.save()
        return person

    settings_days = settings.STAFF_ACCOUNT_RETENTION_DAYS
    left = account(project_staff=True, active=False, days_since_login=settings_days + 1)
    funder_left = account(funder=True, active=False, days_since_login=settings_days + 5)
    recently_left = account(project_staff=True, active=False, days_since_login=settings_days - 1)
    working = account(project_staff=True, active=True, days_since_login=400)
    participant = account(active=False, days_since_login=400)

    assert retention.staff_accounts_erase_due(now=now) == 2

    for person, erased in [
        (left, True),
        (funder_left, True),
        (recently_left, False),
        (working, False),
        (participant, False),  # participants follow the AMIF period
    ]:
        person.refresh_from_db()
        assert (person.erased_at is not None) is erased, person


def test_failed_mails_lose_their_content_after_30_days(member):
    def failed(days_ago):
        notification = Notification.objects.create(
            recipient=member,
            status=NotificationStatus.FAILED,
            payload={"to": [member.email], "subject": "Erinnerung", "body": "Guten Tag"},
            last_error=f"550 mailbox {member.email} unavailable",
        )
        Notification.objects.filter(pk=notification.pk).update(
            claimed_at=timezone.now() - timedelta(days=days_ago)
        )
        return notification

    old, recent = failed(31), failed(29)

    assert retention.failed_mail_content_prune() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.payload == {} and old.last_error == "" and old.status == NotificationStatus.FAILED
    assert recent.payload and member.email in recent.last_error


def test_expired_sessions_are_cleared_daily_by_beat(client_for, member):
    client_for(member)
    live = Session.objects.get()
    expired = Session.objects.create(
        session_key="abgelaufen", session_data="", expire_date=timezone.now() - timedelta(minutes=1)
    )

    tasks.clear_expired_sessions.delay().get()

    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]
    assert not Session.objects.filter(pk=expired.pk).exists()
    entry = settings.CELERY_BEAT_SCHEDULE["sessions-clear"]
    assert entry["task"] == tasks.clear_expired_sessions.name and entry["schedule"] == 24 * 3600


def test_the_privacy_page_names_who_is_responsible_and_who_sees_what(client, db, settings):
    settings.PORTAL_DPO = {
        "name": "Dr. Daria Datenschutz",
        "address": "Postfach 1, 55001 Mainz",
        "email": "dsb@ism.example",
    }
    settings.PORTAL_PROCESSORS = {
        "hosting": "Rechenzentrum Beispiel GmbH, Mainz",
        "mail": "",
        "backup": "Ablage AG, Trier",
    }

    page = client.get(reverse("pages:privacy")).content.decode()

    assert "Dr. Daria Datenschutz" in page and "dsb@ism.example" in page and "Postfach 1" in page
    assert "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz" in page
    assert "Die Landesbeauftragte für den Datenschutz Niedersachsen" in page
    assert "Rechenzentrum Beispiel GmbH, Mainz" in page and "Ablage AG, Trier" in page
    assert "vom Betreiber noch nicht eingetragen" in page  # the mail server, not entered
    assert "Landesdatenschutzgesetzes Rheinland-Pfalz (LDSG)" in page and "(NDSG)" in page
    assert "Art. 6 Abs. 1 lit. c oder e DSGVO" in page
    assert "Beiträge mit dem Namen und der Behörde" in page
    assert "Anmeldungen zu dessen Netzwerktreffen aus allen Mitgliedsbehörden" in page
    assert "nur zusammengefasste Zahlen" in page
    assert f"Sicherungen: verschlüsselt, {settings.BACKUP_RETENTION_DAYS} Tage" in page
    assert "Webservers und der Hintergrundprozesse" in page and f"{settings.LOG_RETENTION_DAYS} Tage" in page
