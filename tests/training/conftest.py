"""Fixtures the training tests share (the standing cast is in tests/conftest.py)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _german_again_after_each_test():
    # A request with the English language cookie leaves English active in this thread (the locale
    # middleware activates it and nothing switches back); services called directly by the next test
    # would then speak English.
    yield
    translation.deactivate()
