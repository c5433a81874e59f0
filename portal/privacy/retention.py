"""How long personal data are kept: participants' data until RETENTION_MONTHS after the end of the
current funding project (`project_end()`), the security log for SECURITY_LOG_RETENTION_DAYS,
failed-login records for 30 days."""

import calendar
import logging
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from authorities.models import ContactPerson
from authorities.services.survey import survey_data_prune
from portal.accounts.models import Role
from portal.notifications.models import Notification, NotificationStatus
from portal.privacy.erasure import contacts_erase, person_erase
from portal.privacy.models import SecurityEvent

logger = logging.getLogger("portal.security")

FAILED_LOGIN_DAYS = 30
# The rendered content of a sent mail (kept in the outbox row) is of no use once it went out.
SENT_MAIL_CONTENT_DAYS = 90


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


def participants_erase_after() -> date:
    """The last day participants' personal data are kept."""
    return add_months(project_end(), settings.RETENTION_MONTHS)


def participants_anonymise_due(*, today: date | None = None) -> int:
    """After the retention period: erase every account of authority staff and the authorities'
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


def survey_comments_prune(*, today: date | None = None) -> int:
    """The customers' survey comments, SURVEY_COMMENT_RETENTION_DAYS after their wave ended."""
    return survey_data_prune(today=today)
