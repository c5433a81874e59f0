from datetime import date

from django.conf import settings
from django.urls import reverse

from authorities.models import ContactPerson, HistoryAction, HistoryEntry
from portal.privacy import retention, tasks
from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import ContactPersonFactory
from tests.helpers import manage


def test_dates_follow_the_amif_keeping_rule(settings, db):
    settings.PROJECT_END_DATE = date(2027, 12, 31)
    settings.RETENTION_MONTHS = 12
    settings.AMIF_LAST_PAYMENT_DATE = None
    # Accounts in use until a year after the end; the last payment is estimated then (2028), the evidence
    # is kept for five years from 31 December 2028 (Art. 82 Regulation (EU) 2021/1060).
    assert retention.participants_restrict_after() == date(2028, 12, 31)
    assert retention.participants_erase_after() == date(2033, 12, 31)
    settings.RETENTION_MONTHS = 2
    assert retention.participants_restrict_after() == date(2028, 2, 29)
    assert retention.participants_erase_after() == date(2033, 12, 31)
    # Once the operator enters the real day of the last payment, it counts.
    settings.AMIF_LAST_PAYMENT_DATE = date(2029, 3, 15)
    assert retention.participants_erase_after() == date(2034, 12, 31)


def test_nothing_happens_until_the_retention_period_is_over(settings, member, coordinator, mainz):
    settings.PROJECT_END_DATE = date(2027, 12, 31)
    settings.RETENTION_MONTHS = 12
    ContactPersonFactory(authority=mainz)

    assert retention.participants_anonymise_due(today=date(2033, 12, 31)) == 0
    assert retention.participants_restrict_due(today=date(2028, 12, 31)) == 0

    member.refresh_from_db()
    assert member.erased_at is None and member.is_active and ContactPerson.objects.exists()


def test_after_the_period_participants_are_anonymised_and_staff_kept(
    settings, member, coordinator, outsider, project_staff, funder, mainz
):
    settings.PROJECT_END_DATE = date(2027, 12, 31)
    settings.RETENTION_MONTHS = 12
    ContactPersonFactory(
        authority=mainz, name="Dr. Amalia Amtsleitung", email="amtsleitung@mainz.example.org"
    )
    HistoryEntry.objects.create(
        authority=mainz,
        action=HistoryAction.CONTACT_ADDED,
        subject="Dr. Amalia Amtsleitung",
        changes=[{"field": "email", "old": "", "new": "amtsleitung@mainz.example.org"}],
    )

    assert retention.participants_anonymise_due(today=date(2034, 1, 1)) == 3

    for person in (member, coordinator, outsider):
        person.refresh_from_db()
        assert person.erased_at is not None and not person.is_active
        assert person.email == f"geloescht-{person.pk}@invalid" and person.last_name == ""
    for person in (project_staff, funder):
        person.refresh_from_db()
        assert person.erased_at is None and person.is_active
    assert not ContactPerson.objects.exists()
    history = HistoryEntry.objects.get()
    assert history.subject == "gelöschte Person" and "amtsleitung@mainz.example.org" not in str(
        history.changes
    )
    events = SecurityEvent.objects.filter(kind=EventKind.ERASURE)
    assert {e.details["person_id"] for e in events} == {member.pk, coordinator.pk, outsider.pk}
    assert {e.details["reason"] for e in events} == {"retention"} and not any(e.user for e in events)
    # A second run finds nobody left.
    assert retention.participants_anonymise_due(today=date(2034, 1, 2)) == 0


def test_the_daily_task_uses_today(settings, member):
    settings.PROJECT_END_DATE = date(2000, 1, 31)  # long over
    settings.RETENTION_MONTHS = 12
    assert tasks.apply_retention.delay().get() == 1
    member.refresh_from_db()
    assert member.erased_at is not None


def test_beat_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == tasks.apply_retention.name and entry["schedule"] == 24 * 3600


def test_security_log_is_pruned(settings, member):
    from datetime import timedelta

    from django.utils import timezone

    settings.SECURITY_LOG_RETENTION_DAYS = 30
    old = SecurityEvent.objects.create(kind=EventKind.LOGIN, user=member)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = SecurityEvent.objects.create(kind=EventKind.LOGIN, user=member)
    assert retention.security_log_prune() == 1
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_privacy_page_names_the_periods_and_the_rights(settings, client, db):
    settings.PROJECT_END_DATE = date(2027, 12, 31)
    settings.RETENTION_MONTHS = 12
    settings.SECURITY_LOG_RETENTION_DAYS = 90
    html = client.get(reverse("pages:privacy")).content.decode()
    assert "31.12.2027" in html and "31.12.2028" in html and "12 Monate" in html and "90 Tage" in html
    assert "31.12.2033" in html and "Art. 82" in html and "2021/1060" in html
    assert "Art. 15" in html and "Art. 17" in html and "Rechtsgrundlage" in html
    assert settings.PORTAL_OPERATOR["email"] in html


def test_privacy_page_links_the_download_when_logged_in(client_for, member):
    html = client_for(member).get(reverse("pages:privacy")).content.decode()
    assert reverse("privacy:export") in html


def test_content_of_sent_mails_is_pruned_after_90_days(member):
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from portal.notifications.models import Notification

    def mail(status, days_ago):
        return Notification.objects.create(
            recipient=member,
            status=status,
            sent_at=timezone.now() - timedelta(days=days_ago) if status == "sent" else None,
            kind=f"k{status}{days_ago}",
            object_type=ContentType.objects.get_for_model(member),
            object_id=member.pk,
            payload={"to": [member.email], "body": "Guten Tag"},
        )

    old, recent, failed = mail("sent", 91), mail("sent", 89), mail("failed", 0)
    assert retention.sent_mail_content_prune() == 1
    for notification in (old, recent, failed):
        notification.refresh_from_db()
    assert old.payload == {} and recent.payload and failed.payload


def test_privacy_page_names_the_mail_period(client, db):
    assert "Inhalt versandter E-Mails: 90 Tage" in client.get(reverse("pages:privacy")).content.decode()


def test_a_malformed_project_end_is_refused_at_start(tmp_path):
    result = manage("check", env={"PROJECT_END_DATE": "31.12.2027"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "PROJECT_END_DATE must be a date like 2027-12-31" in result.stderr
    assert manage("check", env={"PROJECT_END_DATE": "2028-06-30"}, tmp_path=tmp_path).returncode == 0


def test_command_applies_the_periods_once(settings, member):
    import io

    from django.core.management import call_command

    settings.PROJECT_END_DATE = date(2000, 1, 31)
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "accounts anonymised: 1" in out.getvalue() and "2006-12-31" in out.getvalue()
    member.refresh_from_db()
    assert member.erased_at is not None


def test_the_current_funding_project_sets_the_end_not_the_setting(settings, client, db):
    from portal.reports.models import FundingProject, Programme

    settings.PROJECT_END_DATE = date(2027, 12, 31)
    settings.RETENTION_MONTHS = 12
    FundingProject.objects.create(
        title="Altes Projekt",
        programme=Programme.AMIF_2014_2020,
        beneficiary="ism",
        starts_on=date(2015, 7, 1),
        ends_on=date(2017, 6, 30),
    )
    assert retention.project_end() == date(2027, 12, 31)  # no current project: the setting stands in
    FundingProject.objects.create(
        title="Laufendes Projekt",
        programme=Programme.AMIF_2021_2027,
        beneficiary="ism",
        starts_on=date(2025, 1, 1),
        ends_on=date(2029, 6, 30),
        is_current=True,
    )
    assert retention.project_end() == date(2029, 6, 30)
    assert retention.participants_restrict_after() == date(2030, 6, 30)
    assert retention.participants_erase_after() == date(2035, 12, 31)
    assert retention.participants_anonymise_due(today=date(2034, 1, 1)) == 0
    page = client.get(reverse("pages:privacy")).content.decode()
    assert "30.06.2029" in page and "30.06.2030" in page and "31.12.2035" in page
