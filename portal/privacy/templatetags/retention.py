from django import template
from django.conf import settings

from portal.privacy.retention import (
    FAILED_LOGIN_DAYS,
    SENT_MAIL_CONTENT_DAYS,
    participants_erase_after,
    project_end,
)

register = template.Library()


@register.simple_tag
def retention_facts() -> dict:
    """The storage periods the Datenschutz page names, from the current project and the settings."""
    return {
        "project_end": project_end(),
        "months": settings.RETENTION_MONTHS,
        "erase_after": participants_erase_after(),
        "security_log_days": settings.SECURITY_LOG_RETENTION_DAYS,
        "failed_login_days": FAILED_LOGIN_DAYS,
        "sent_mail_days": SENT_MAIL_CONTENT_DAYS,
    }
