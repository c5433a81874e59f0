"""Standing cast of every test, as healthchecks does with alice/bob/charlie:

- `project_staff` sees everything;
- `mainz` (an authority) with `member` and `coordinator`;
- `outsider`, authority staff of another authority (`hannover`);
- `funder`, who sees aggregated figures only.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from portal.celery import app as celery_app
from tests.factories import AuthorityFactory, UserFactory

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
