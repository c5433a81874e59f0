import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from portal.celery import app as celery_app
from portal.notifications import mail
from tests.helpers import BASE_DIR, forget_broker_connections
from tests.notifications.backends import FlakyBackend
from tests.notifications.integration import (
    BROKER_URL,
    CLOSED_PORT,
    PORTAL_APP,
    Inbox,
    database_url,
    flush_broker,
)

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


# --- integration: the SMTP server, Redis as broker, a real worker (tests/notifications/integration.py)


@pytest.fixture
def inbox():
    """An SMTP server on a free port of 127.0.0.1 that keeps what it accepts (`Inbox`)."""
    from aiosmtpd.controller import Controller

    handler = Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    try:
        yield handler
    finally:
        handler.release()
        controller.stop()


@pytest.fixture
def broker():
    """This process publishes to Redis (not eagerly), as the web server does; `broker.down()` points
    it at a closed port (the broker is down), `broker.up()` back at Redis."""
    conf = celery_app.conf
    # Celery prefers CELERY_BROKER_URL (CI sets it) to its configuration: read first, then set both.
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    saved_env = os.environ.get("CELERY_BROKER_URL")

    class Broker:
        def _point_at(self, url):
            os.environ["CELERY_BROKER_URL"] = url
            conf.broker_url = url
            conf.broker_transport_options = {}
            conf.task_always_eager = False
            forget_broker_connections()
            mail._broker_failed_at = None

        def down(self):
            self._point_at(CLOSED_PORT)

        def up(self):
            self._point_at(BROKER_URL)

    flush_broker()
    broker = Broker()
    broker.up()
    try:
        yield broker
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        conf.update(saved)
        forget_broker_connections()
        mail._broker_failed_at = None
        flush_broker()


@pytest.fixture
def worker(inbox, broker, tmp_path):
    """`worker.start()` starts `celery worker` on the broker's Redis database, delivering to the
    test's SMTP server: one process, one task at a time (`threads=3`: three at once; `app=
    QUICK_REDELIVERY`: a killed worker's tasks come back after 3 s). `worker.kill()` SIGKILLs it;
    whatever runs at the end of the test is killed, and its log printed when the test failed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{inbox.port}",
        "CONN_MAX_AGE": "0",
    }

    class Worker:
        process: subprocess.Popen | None = None
        log = tmp_path / "worker.log"

        def start(self, *, threads=1, app=PORTAL_APP):
            pool = ["--pool=solo"] if threads == 1 else ["--pool=threads", f"--concurrency={threads}"]
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", app, "worker", *pool,
                    "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
                ],
                cwd=BASE_DIR, env=env, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

        def kill(self):
            if self.process and self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    running = Worker()
    try:
        yield running
    finally:
        running.kill()
        if sys.exc_info()[0] is not None:
            print(running.log.read_text())
