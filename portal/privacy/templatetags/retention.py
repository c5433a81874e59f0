from django import template
from django.conf import settings

from portal.privacy.retention import FAILED_LOGIN_DAYS, SENT_MAIL_CONTENT_DAYS, participants_erase_after

register = template.Library()


@register.simple_tag
def retention_facts() -> dict:
    """The storage periods the Datenschutz page names, from the settings in force."""
    return {
        "project_end": settings.PROJECT_END_DATE,
        "months": settings.RETENTION_MONTHS,
        "erase_after": participants_erase_after(),
        "security_log_days": settings.SECURITY_LOG_RETENTION_DAYS,
        "failed_login_days": FAILED_LOGIN_DAYS,
        "sent_mail_days": SENT_MAIL_CONTENT_DAYS,
    }
