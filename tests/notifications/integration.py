"""What the integration tests of the outbox share (their fixtures are in conftest.py): the local
Redis, the test database as the worker subprocess reaches it, and the SMTP server the test starts.

Runs only when Redis answers on 127.0.0.1:6379 and the worker can reach the test database
(PostgreSQL, or SQLite in a file; pytest-django's in-memory SQLite is invisible to a subprocess)."""

import asyncio
import email
import email.policy
import os
import socket
import threading
import time
from urllib.parse import quote

import pytest
from django.db import connection

# One Redis database per xdist worker (gw0 → 15, gw1 → 14 …), so that two test processes never share
# a queue and one worker never delivers the other test's mails.
BROKER_URL = (
    f"redis://127.0.0.1:6379/{15 - int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0').removeprefix('gw') or 0)}"
)
CLOSED_PORT = "redis://127.0.0.1:1/0"
# The portal's Celery app as the worker subprocess starts it; QUICK_REDELIVERY gives a killed
# worker's unacknowledged tasks back after 3 seconds instead of Redis' default of an hour.
PORTAL_APP = "portal.celery"
QUICK_REDELIVERY = "tests.notifications.worker_app"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def needs_redis() -> list:
    """The marks of an integration test module (`pytestmark = needs_redis()`)."""
    return [
        pytest.mark.integration,
        pytest.mark.skipif(not redis_answers(), reason="Redis does not answer on 127.0.0.1:6379"),
        pytest.mark.django_db(transaction=True),
    ]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"])
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.sqlite3" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    pytest.skip("the test database lives in memory; the worker subprocess cannot reach it")


def flush_broker() -> None:
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


def wait_for(condition, timeout, what) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Inbox:
    """aiosmtpd handler: keeps every accepted message; `stop_at` lets the test kill the worker at a
    chosen moment of a chosen message (while it is being sent, or after the server accepted it)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.stop_at: tuple[str, int] | None = None  # ("DATA" | "QUIT", number of the message)
        self.stopped = threading.Event()
        self.resume = threading.Event()
        self._seen_data = 0

    def stop(self, moment: str, number: int) -> None:
        """Hold the conversation at `moment` of the `number`th mail until `release()`."""
        self.stopped, self.resume = threading.Event(), threading.Event()
        self.stop_at = (moment, number)

    def release(self) -> None:
        self.resume.set()

    def recipients(self) -> list[str]:
        with self.lock:
            return [str(message["To"]) for message in self.messages]

    async def _maybe_stop(self, moment: str) -> bool:
        if self.stop_at != (moment, self._seen_data):
            return False
        self.stop_at = None
        resume = self.resume
        self.stopped.set()
        await asyncio.get_running_loop().run_in_executor(None, resume.wait, 10)
        return True

    async def handle_DATA(self, server, session, envelope):
        self._seen_data += 1
        if await self._maybe_stop("DATA"):
            # The worker was killed before the server said yes: this try never happened.
            return "451 Requested action aborted"
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        # Django closes the connection after each mail; QUIT comes after the server accepted it
        # and before the worker marks the claim sent.
        await self._maybe_stop("QUIT")
        return "221 Bye"
