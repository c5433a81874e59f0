from django import template
from django.conf import settings

from portal.privacy.retention import (
    AMIF_KEEPING_YEARS,
    FAILED_LOGIN_DAYS,
    FAILED_MAIL_CONTENT_DAYS,
    SENT_MAIL_CONTENT_DAYS,
    last_payment_day,
    participants_erase_after,
    participants_restrict_after,
    project_end,
)

register = template.Library()


@register.simple_tag
def retention_facts() -> dict:
    """The storage periods the Datenschutz page names, from the current project and the settings."""
    return {
        "project_end": project_end(),
        "months": settings.RETENTION_MONTHS,
        "restrict_after": participants_restrict_after(),
        "last_payment": last_payment_day(),
        "last_payment_known": settings.AMIF_LAST_PAYMENT_DATE is not None,
        "keeping_years": AMIF_KEEPING_YEARS,
        "erase_after": participants_erase_after(),
        "staff_days": settings.STAFF_ACCOUNT_RETENTION_DAYS,
        "security_log_days": settings.SECURITY_LOG_RETENTION_DAYS,
        "log_days": settings.LOG_RETENTION_DAYS,
        "failed_login_days": FAILED_LOGIN_DAYS,
        "sent_mail_days": SENT_MAIL_CONTENT_DAYS,
        "failed_mail_days": FAILED_MAIL_CONTENT_DAYS,
    }


# The data-protection supervisory authorities of the two states (Art. 77 DSGVO).
SUPERVISORY_AUTHORITIES = [
    {
        "state": "Rheinland-Pfalz",
        "name": "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz",
        "address": "Hintere Bleiche 34, 55116 Mainz",
        "email": "poststelle@datenschutz.rlp.de",
    },
    {
        "state": "Niedersachsen",
        "name": "Die Landesbeauftragte für den Datenschutz Niedersachsen",
        "address": "Prinzenstraße 5, 30159 Hannover",
        "email": "poststelle@lfd.niedersachsen.de",
    },
]


@register.simple_tag
def privacy_parties() -> dict:
    """Who the Datenschutz page names: the data-protection officer and the processors (settings the
    operator fills in) and the supervisory authorities."""
    return {
        "dpo": settings.PORTAL_DPO,
        "processors": settings.PORTAL_PROCESSORS,
        "supervisors": SUPERVISORY_AUTHORITIES,
        "backup_days": settings.BACKUP_RETENTION_DAYS,
    }
