from celery import shared_task

from portal.privacy import retention
from portal.privacy.journal import journal_sync


@shared_task(name="portal.privacy.tasks.apply_retention")
def apply_retention():
    """Daily: anonymise participants once the retention period after the project's end is over, and
    prune the security log, the failed-login records and the content of sent mails and old survey comments."""
    journal_sync()
    retention.security_log_prune()
    retention.sent_mail_content_prune()
    retention.survey_comments_prune()
    return retention.participants_anonymise_due()
