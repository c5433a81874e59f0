"""The typed readers of the environment behind portal/settings.py: a set but malformed value stops
the start with the variable's name; an empty one means the default."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str


def test_a_misspelt_switch_stops_the_start_instead_of_meaning_false(monkeypatch):
    monkeypatch.setenv("PORTAL_HTTPS", "ja")

    with pytest.raises(ImproperlyConfigured, match="PORTAL_HTTPS must be true or false, not 'ja'"):
        env_bool("PORTAL_HTTPS", True)


def test_switches_read_the_usual_spellings_and_blank_means_the_default(monkeypatch):
    for value, expected in [("1", True), ("Yes", True), ("on", True), ("0", False), ("FALSE", False)]:
        monkeypatch.setenv("PORTAL_HTTPS", value)
        assert env_bool("PORTAL_HTTPS", not expected) is expected
    monkeypatch.setenv("PORTAL_HTTPS", "  ")
    assert env_bool("PORTAL_HTTPS", True) is True


def test_a_number_that_is_no_whole_number_stops_the_start(monkeypatch):
    monkeypatch.setenv("RETENTION_MONTHS", "12.5")

    with pytest.raises(ImproperlyConfigured, match="RETENTION_MONTHS must be a whole number, not '12.5'"):
        env_int("RETENTION_MONTHS", 12)

    monkeypatch.setenv("RETENTION_MONTHS", " 18 ")
    assert env_int("RETENTION_MONTHS", 12) == 18


def test_lists_are_split_at_commas_without_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " portal.example.org, ,www.portal.example.org ")

    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["portal.example.org", "www.portal.example.org"]
    monkeypatch.delenv("ALLOWED_HOSTS")
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def test_a_required_value_may_not_be_blank(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "   ")

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set when DJANGO_ENV=production"):
        env_str("SECRET_KEY", "dev", required=True)
    assert env_str("SECRET_KEY", "dev") == "dev"
