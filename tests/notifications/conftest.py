from pathlib import Path

import pytest

from portal.celery import app as celery_app
from tests.notifications.backends import FlakyBackend

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def notice_templates(settings):
    """templates/email/test/notice.*: a minimal notification mail with the shared footer."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [TEMPLATES, *settings.TEMPLATES[0]["DIRS"]]},
        *settings.TEMPLATES[1:],
    ]


@pytest.fixture
def flaky_smtp(settings, mailoutbox):
    """`flaky_smtp(3)`: the next three tries fail with an SMTP error, later ones deliver.

    Eager tasks that propagate errors (tests/conftest.py) raise Celery's Retry out of the first
    try instead of retrying. Without propagation, an eager task runs Celery's own retry logic
    inline: `task.retry` with the task's `max_retries`, each retry applied at once (the countdown
    is skipped), and `on_failure` once the retries run out, as a worker does.
    """
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.backends.FlakyBackend"}}
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False

    def refuse(times):
        FlakyBackend.refusals = times
        FlakyBackend.tries = 0
        return FlakyBackend

    yield refuse
    celery_app.conf.task_eager_propagates = propagates
    FlakyBackend.refusals = 0
    FlakyBackend.tries = 0
