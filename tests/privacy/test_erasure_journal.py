"""The erasure journal (portal/privacy/journal.py): account number and day of every erasure, outside the
database, so that a restore can erase the person again."""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from portal.privacy import tasks
from portal.privacy.erasure import journal_apply, person_erase
from portal.privacy.journal import journal_append, journal_entries, journal_sync
from portal.privacy.models import EventKind, SecurityEvent
from tests.factories import UserFactory


def test_an_erasure_writes_account_number_and_day_after_it_committed(
    db, settings, django_capture_on_commit_callbacks
):
    person = UserFactory(first_name="Maria", last_name="Mainzer")

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=person)

    [line] = settings.ERASURE_JOURNAL.read_text().splitlines()
    entry = json.loads(line)
    assert set(entry) == {"account", "day"}
    assert entry["account"] == person.pk
    assert "Mainzer" not in line and "Maria" not in line
    assert settings.ERASURE_JOURNAL.stat().st_mode & 0o077 == 0


def test_an_erasure_that_is_rolled_back_writes_nothing(db, settings, django_capture_on_commit_callbacks):
    person = UserFactory()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        person_erase(user=person)
        raise RuntimeError("a later step fails")

    assert not settings.ERASURE_JOURNAL.exists()


def test_applying_the_journal_erases_again_who_came_back_and_skips_the_rest(db, settings):
    back = UserFactory(first_name="Maria", last_name="Mainzer")  # as a restored backup holds her
    already = UserFactory()
    person_erase(user=already)
    untouched = UserFactory()
    for pk in (back.pk, already.pk, 999_999):  # 999999: made after the backup, not in it
        journal_append(account=pk, day=date(2026, 12, 1))

    assert journal_apply() == [back.pk]

    back.refresh_from_db()
    untouched.refresh_from_db()
    assert back.erased_at is not None and back.last_name == "" and not back.is_active
    assert untouched.erased_at is None
    event = SecurityEvent.objects.filter(kind=EventKind.ERASURE, details__person_id=back.pk).get()
    assert event.details["reason"] == "journal"
    assert journal_apply() == [], "a second run changes nothing"


def test_the_daily_task_adds_erasures_the_journal_lacks(db, settings):
    person = UserFactory()
    person.erased_at = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
    person.save()
    assert journal_entries() == {}

    tasks.apply_retention()

    assert journal_entries() == {person.pk: date(2026, 10, 5)}
    assert journal_sync() == 0


def test_a_line_cut_short_by_a_crash_is_skipped(settings):
    settings.ERASURE_JOURNAL.write_text('{"account": 4, "day": "2026-12-01"}\n{"account": 5, "da')

    assert journal_entries() == {4: date(2026, 12, 1)}
