# Load Celery with Django so that `delay_on_commit` finds the configured app.
from portal.celery import app as celery_app

__all__ = ["celery_app"]
