from celery import shared_task

from portal.privacy import retention


@shared_task(name="portal.privacy.tasks.apply_retention")
def apply_retention():
    """Daily: anonymise participants once the retention period after the project's end is over, and
    prune the security log and the failed-login records."""
    retention.security_log_prune()
    return retention.participants_anonymise_due()
