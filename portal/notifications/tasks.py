from celery import shared_task

from portal.notifications.scans import run_all_scans


@shared_task
def run_scans() -> dict[str, int]:
    return run_all_scans()
