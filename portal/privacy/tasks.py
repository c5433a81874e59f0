from celery import shared_task

from portal.privacy import retention
from portal.privacy.journal import journal_sync


@shared_task(name="portal.privacy.tasks.apply_retention")
def apply_retention():
    """Daily: restrict, then pseudonymise participants when their periods are over, erase the accounts
    of project staff and funders whose work ended, and prune the security log, the failed-login
    records, the content of sent and failed mails and old survey comments (portal/privacy/retention.py)."""
    journal_sync()
    retention.security_log_prune()
    retention.sent_mail_content_prune()
    retention.failed_mail_content_prune()
    retention.survey_comments_prune()
    retention.staff_accounts_erase_due()
    retention.participants_restrict_due()
    return retention.participants_anonymise_due()


@shared_task(name="portal.privacy.tasks.clear_expired_sessions")
def clear_expired_sessions():
    """Daily, as `manage.py clearsessions`."""
    retention.sessions_clear_expired()
