import datetime as dt

import pytest

from portal.notifications.models import DeliveryMode, NotificationPreference
from portal.reports.models import PeriodKind, ReportingPeriod
from portal.reports.scans import deadline_reminders as scan_now
from tests.factories import UserFactory
from tests.helpers import at

DUE = dt.date(2026, 8, 31)


def days_before(days: int) -> dt.datetime:
    # 10:00 in Berlin, 08:00 UTC in August.
    return at(DUE - dt.timedelta(days=days), 10)


@pytest.fixture
def run(run):
    """This module runs one scan: `run(now)` (tests/conftest.py's `run` delivers after commit)."""
    return lambda now: run(scan_now, now)


@pytest.fixture
def staff(project_staff):
    UserFactory(project_staff=True, email="inactive@example.org", is_active=False)
    return project_staff


def test_reminds_project_staff_14_and_3_days_before(run, period, staff, member, funder, mailoutbox):
    assert run(days_before(15)) == 0
    assert run(days_before(14)) == 1
    assert [mail.to for mail in mailoutbox] == [["team@example.org"]]
    mail = mailoutbox[0]
    assert "Berichtsfrist" in mail.subject
    assert f"/berichte/zeitraeume/{period.pk}/bericht/" in mail.body
    assert "in 14 Tagen fällig" in mail.body
    assert run(days_before(13)) == 0
    assert run(days_before(4)) == 0
    assert run(days_before(3)) == 1
    assert "in 3 Tagen fällig" in mailoutbox[1].body
    assert run(days_before(0)) == 0
    assert run(days_before(-1)) == 0
    assert len(mailoutbox) == 2


def test_twice_sends_nothing_new(run, period, staff, mailoutbox):
    assert run(days_before(14)) == 1
    assert run(days_before(14)) == 0
    assert len(mailoutbox) == 1


def test_missed_run_catches_up_once(run, period, staff, mailoutbox):
    assert run(days_before(10)) == 1
    assert run(days_before(9)) == 0
    # Beat was down over both moments: only the later reminder goes out, once.
    other = ReportingPeriod.objects.create(
        title="Schlussbericht",
        kind=PeriodKind.FINAL,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 7, 31),
        due_on=DUE,
    )
    assert run(days_before(1)) == 2  # "3d" for both periods
    assert run(days_before(0)) == 0
    assert len(mailoutbox) == 3
    assert other.pk


def test_nothing_after_due_date(run, period, staff, mailoutbox):
    assert run(days_before(-1)) == 0
    assert mailoutbox == []


def test_preference_off_sends_nothing(run, period, staff, mailoutbox):
    NotificationPreference.objects.create(user=staff, kind="reports.deadline", mode=DeliveryMode.OFF)
    assert run(days_before(14)) == 0
    assert run(days_before(3)) == 0
    assert mailoutbox == []
