"""The portal's Celery app as the integration test starts it: `celery -A tests.notifications.worker_app
worker`. Unacknowledged tasks of a killed worker come back after 3 seconds instead of the Redis
default of an hour, so that the test can watch the restarted worker pick them up."""

from portal.celery import app

app.conf.broker_transport_options = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

__all__ = ["app"]
