import pytest


@pytest.fixture
def mailoutbox(db, mailoutbox):
    # The database set-up gives django.core.mail a fresh outbox; asking for `db` first makes sure
    # this fixture hands out that list, not the one it replaces.
    return mailoutbox
