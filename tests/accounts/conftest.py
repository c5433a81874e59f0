"""Fixtures of the accounts tests."""

import pytest


@pytest.fixture
def axes_on(settings):
    """django-axes counts failed logins (tests/conftest.py switches it off for Client.login())."""
    settings.AXES_ENABLED = True
