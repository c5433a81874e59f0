"""How long personal data are kept, and the rule each period follows.

- Participants (authority staff): their enrollments, attendance, sign-in sheets and certificates are the
  project's audit evidence. Art. 82(1) of Regulation (EU) 2021/1060 (the Common Provisions Regulation,
  which governs the AMIF 2021–2027) requires the documents to be kept for five years from 31 December of
  the year of the managing authority's last payment to the project (`evidence_kept_until()`); the accounts
  are pseudonymised on the day after (Art. 17(3)(b) DSGVO until then). Earlier, RETENTION_MONTHS after
  the project's end (final report and its check), processing is restricted (Art. 18 DSGVO) to that
  evidence: the accounts are deactivated, their subscriptions and settings and the authorities' contact
  persons deleted (`participants_restrict_due()`).
- Project staff and funders: their accounts are pseudonymised STAFF_ACCOUNT_RETENTION_DAYS after the
  account was deactivated and last used (the end of their work in the project).
- The security log for SECURITY_LOG_RETENTION_DAYS, failed-login records for 30 days, the content of sent
  mails for 90 days and of failed ones for 30 days, expired sessions daily (`clearsessions`), the
  customers' survey comments SURVEY_COMMENT_RETENTION_DAYS after their wave."""

import calendar
import logging
from datetime import date, timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.functions import Coalesce
from django.utils import timezone

from authorities.models import ContactPerson
from authorities.services.survey import survey_data_prune
from portal.accounts.models import Role
from portal.accounts.services import sessions_end
from portal.notifications.models import Notification, NotificationStatus
from portal.privacy.erasure import contacts_erase, person_erase
from portal.privacy.models import SecurityEvent

logger = logging.getLogger("portal.security")

FAILED_LOGIN_DAYS = 30
# The rendered content of a sent mail (kept in the outbox row) is of no use once it went out.
SENT_MAIL_CONTENT_DAYS = 90
# A mail that failed is resent by project staff within days or not at all.
FAILED_MAIL_CONTENT_DAYS = 30
# Art. 82(1) Regulation (EU) 2021/1060: five years from 31 December of the year of the last payment.
AMIF_KEEPING_YEARS = 5


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def project_end() -> date:
    """The last day of the current funding project (`FundingProject.is_current`). Only when no project
    is marked current (a fresh database) the setting PROJECT_END_DATE stands in for it."""
    # By the app registry: privacy and reports are independent apps of the same layer.
    project = apps.get_model("reports", "FundingProject").objects.current()
    return project.ends_on if project else settings.PROJECT_END_DATE


def last_payment_day() -> date:
    """The day of the managing authority's last payment to the project: AMIF_LAST_PAYMENT_DATE once the
    operator knows it; until then estimated as the project's end + RETENTION_MONTHS (final report, its
    check and the balance payment)."""
    return settings.AMIF_LAST_PAYMENT_DATE or add_months(project_end(), settings.RETENTION_MONTHS)


def evidence_kept_until() -> date:
    """The last day the AMIF audit evidence must be kept (Art. 82(1) Regulation (EU) 2021/1060)."""
    return date(last_payment_day().year + AMIF_KEEPING_YEARS, 12, 31)


def participants_restrict_after() -> date:
    """The last day participants' accounts are in use; afterwards only the evidence is kept."""
    return add_months(project_end(), settings.RETENTION_MONTHS)


def participants_erase_after() -> date:
    """The last day participants' personal data are kept."""
    return evidence_kept_until()


def participants_restrict_due(*, today: date | None = None) -> int:
    """After the project's end + RETENTION_MONTHS: authority staff can no longer log in, their
    subscriptions, notification settings and calendar links go, and the authorities' contact persons
    are deleted (no evidence). Returns the number of accounts deactivated."""
    today = today or timezone.localdate()
    if today <= participants_restrict_after():
        return 0
    User = get_user_model()
    active = User.objects.filter(role=Role.AUTHORITY_STAFF, is_active=True, erased_at__isnull=True)
    people = list(active)
    for person in people:
        sessions_end(person)
    active.update(is_active=False)
    for model in ("network.Subscription", "notifications.NotificationPreference", "training.CalendarToken"):
        apps.get_model(model).objects.filter(user__role=Role.AUTHORITY_STAFF).delete()
    contacts_erase(contacts=ContactPerson.objects.all())
    if people:
        logger.info("retention_restricted accounts=%s", len(people))
    return len(people)


def participants_anonymise_due(*, today: date | None = None) -> int:
    """After the AMIF keeping period: erase every account of authority staff and the authorities'
    contact persons. Returns the number of accounts erased (0 before the day)."""
    today = today or timezone.localdate()
    if today <= participants_erase_after():
        return 0
    erased = 0
    pending = get_user_model().objects.filter(role=Role.AUTHORITY_STAFF, erased_at__isnull=True)
    for pk in pending.values_list("pk", flat=True).iterator():
        # One transaction per person: one failure does not undo the others, the next run retries it.
        person_erase(user=get_user_model()(pk=pk), by=None, reason="retention")
        erased += 1
    contacts_erase(contacts=ContactPerson.objects.all())
    if erased:
        logger.info("retention_erased accounts=%s", erased)
    return erased


def staff_accounts_erase_due(*, now=None) -> int:
    """Accounts of project staff and funders end with their work: once deactivated and not used for
    STAFF_ACCOUNT_RETENTION_DAYS (last login, or the invitation when there was none), they are erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STAFF_ACCOUNT_RETENTION_DAYS)
    ended = (
        get_user_model()
        .objects.filter(role__in=[Role.PROJECT_STAFF, Role.FUNDER], is_active=False, erased_at__isnull=True)
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=cutoff)
    )
    erased = 0
    for pk in ended.values_list("pk", flat=True):
        person_erase(user=get_user_model()(pk=pk), by=None, reason="retention")
        erased += 1
    return erased


def security_log_prune(*, now=None) -> int:
    now = now or timezone.now()
    deleted, _ = SecurityEvent.objects.filter(
        at__lt=now - timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)
    ).delete()
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessAttempt.objects.filter(attempt_time__lt=now - timedelta(days=FAILED_LOGIN_DAYS)).delete()
    AccessFailureLog.objects.filter(attempt_time__lt=now - timedelta(days=FAILED_LOGIN_DAYS)).delete()
    AccessLog.objects.filter(attempt_time__lt=now - timedelta(days=FAILED_LOGIN_DAYS)).delete()
    return deleted


def sent_mail_content_prune(*, now=None) -> int:
    """Sent mails keep their row (the once-only claim), not their text and addresses."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(
            status=NotificationStatus.SENT, sent_at__lt=now - timedelta(days=SENT_MAIL_CONTENT_DAYS)
        )
        .exclude(payload={})
        .update(payload={})
    )


def failed_mail_content_prune(*, now=None) -> int:
    """Failed mails keep their row (the claim, shown on the failed-mails page), not their text,
    addresses and the server's error message, once nobody resent them within FAILED_MAIL_CONTENT_DAYS."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(
            status=NotificationStatus.FAILED, claimed_at__lt=now - timedelta(days=FAILED_MAIL_CONTENT_DAYS)
        )
        .exclude(payload={}, last_error="")
        .update(payload={}, last_error="")
    )


def sessions_clear_expired() -> None:
    """`manage.py clearsessions`: expired sessions leave the database."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def survey_comments_prune(*, today: date | None = None) -> int:
    """The customers' survey comments, SURVEY_COMMENT_RETENTION_DAYS after their wave ended."""
    return survey_data_prune(today=today)
