from celery import shared_task

from portal.notifications.mail import enqueue_waiting
from portal.notifications.scans import run_all_scans


@shared_task
def run_scans() -> dict[str, int]:
    return run_all_scans()


@shared_task
def sweep_outbox() -> int:
    """Hand the broker every mail it could not take at commit (it was down); beat, every minute."""
    return enqueue_waiting()
