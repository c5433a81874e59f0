"""Standing cast of every test, as healthchecks does with alice/bob/charlie:

- `project_staff` sees everything;
- `mainz` (an authority) with `member` and `coordinator`;
- `outsider`, authority staff of another authority (`hannover`);
- `funder`, who sees aggregated figures only.
"""

import os

import pytest
from django.core.cache import cache
from django.test import Client

from portal.celery import app as celery_app
from tests.factories import AuthorityFactory, UserFactory
from tests.helpers import forget_broker_connections

# Tasks run in-process in unit tests; mails land in django.core.mail.outbox.
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Client.login() has no request for django-axes; the lockout test switches axes back on.
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # Erasures are journaled outside the database (portal/privacy/journal.py): never into var/.
    settings.ERASURE_JOURNAL = tmp_path / "erasure-journal.jsonl"
    # The indicators of running periods are kept in the cache until a fact changes (portal/facts.py):
    # on in every test, so that a write that fails to invalidate them shows somewhere.
    settings.RUNNING_FIGURES_CACHE = True
    # Rate limits count in the cache (one per process): every test starts with none used.
    cache.clear()


@pytest.fixture
def mainz(db):
    return AuthorityFactory(
        name="Stadt Mainz", ags="07315000", kind="kreisfreie_stadt", state="RP", seat="Mainz"
    )


@pytest.fixture
def hannover(db):
    return AuthorityFactory(
        name="Region Hannover", ags="03241000", kind="region", state="NI", seat="Hannover"
    )


@pytest.fixture
def project_staff(db):
    return UserFactory(project_staff=True, email="team@example.org")


@pytest.fixture
def member(mainz):
    return UserFactory(authority=mainz, email="member@mainz.example.org")


@pytest.fixture
def coordinator(mainz):
    return UserFactory(authority=mainz, coordinator=True, email="coordinator@mainz.example.org")


@pytest.fixture
def outsider(hannover):
    return UserFactory(authority=hannover, coordinator=True, email="outsider@hannover.example.org")


@pytest.fixture
def funder(db):
    return UserFactory(funder=True, email="funder@example.org")


@pytest.fixture
def client_for():
    """A logged-in test client for a user: `client_for(member).get(url)`."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def mailoutbox(db, mailoutbox):
    # The database set-up gives django.core.mail a fresh outbox; asking for `db` first makes sure
    # this fixture hands out that list, not the one it replaces.
    return mailoutbox


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a scan at a moment and deliver what it enqueued, as the worker would after the commit:
    `run(scan_function, now)` returns what the scan returns (usually how many mails it sent)."""

    def run_scan(function, now):
        with django_capture_on_commit_callbacks(execute=True):
            return function(now)

    return run_scan


CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Celery publishes to a broker that refuses connections (the web process with the broker down);
    `broker_down.returns()` brings the test setup (eager tasks) back, as at the end of the test."""
    from portal.notifications import mail

    conf = celery_app.conf
    # Celery prefers CELERY_BROKER_URL (CI sets it) to its configuration: read and set both.
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    saved_env = os.environ.get("CELERY_BROKER_URL")

    class Broker:
        def returns(self):
            if saved_env is None:
                os.environ.pop("CELERY_BROKER_URL", None)
            else:
                os.environ["CELERY_BROKER_URL"] = saved_env
            conf.update(saved)
            forget_broker_connections()
            mail._broker_failed_at = None

    os.environ["CELERY_BROKER_URL"] = CLOSED_PORT
    conf.broker_url = CLOSED_PORT
    conf.broker_transport_options = {}
    conf.task_always_eager = False
    forget_broker_connections()
    broker = Broker()
    try:
        yield broker
    finally:
        broker.returns()
