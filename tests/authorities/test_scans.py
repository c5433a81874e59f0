"""Reminders of the change processes on a frozen clock: the scans get `now`, beat would pass the hour.

process.due: one mail per process, recipient and due date to the coach and the authority's
coordinators, seven days before and once after the date. The weekly summary for the coaches:
test_coach_summary.py."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import (
    MeasureStatus,
    ProcessStatus,
)
from authorities.scans import process_due
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from portal.notifications.scans import load_scans
from tests.factories import (
    ChangeProcessFactory,
    GoalFactory,
    MeasureFactory,
    MilestoneFactory,
    UserFactory,
)
from tests.helpers import at

BERLIN = ZoneInfo("Europe/Berlin")
DUE = dt.date(2026, 11, 25)  # a Wednesday
MONDAY = dt.date(2026, 11, 23)  # ISO week 48


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def recipients(mails) -> list[str]:
    return sorted(address for mail in mails for address in mail.to)


# --- process.due -----------------------------------------------------------------------------------


def test_both_scans_are_registered():
    assert {"process.due", "process.coach_summary"} <= set(load_scans())


def test_seven_days_ahead_the_coach_and_the_coordinators_get_one_mail_per_process_and_date(
    process, project_staff, coordinator, member, outsider, mailoutbox, run
):
    goal = GoalFactory(process=process, title="Wartezeiten verkürzen")
    MeasureFactory(
        process=process,
        goal=goal,
        title="Aufrufsystem einführen",
        due_on=DUE,
        responsible="Leitung Servicebereich",
        status=MeasureStatus.IN_PROGRESS,
        progress=40,
    )
    MeasureFactory(
        process=process, title="Mehrsprachige Beschilderung", due_on=DUE, responsible="Frau Schulz"
    )
    MilestoneFactory(process=process, title="Zielvereinbarung unterzeichnet", due_on=DUE)

    assert run(process_due, at(DUE - days(8), 23, 59)) == 0  # eight days ahead: too early
    assert run(process_due, at(DUE - days(7), 0, 5)) == 2
    assert run(process_due, at(DUE - days(7), 1, 5)) == 0  # the next hourly run finds the claims
    assert run(process_due, at(DUE - days(3), 10)) == 0

    # Not the member (no coordinator) and not the coordinator of another authority.
    assert recipients(mailoutbox) == sorted([project_staff.email, coordinator.email])
    mail = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert mail.subject == "Fällig am 25.11.2026: Veränderungsprozess Stadt Mainz"
    assert "am 25.11.2026 (in 7 Tagen) fällig" in mail.body
    for text in [
        "Aufrufsystem einführen (In Umsetzung, 40 % umgesetzt)",
        "Verantwortlich laut Maßnahmenplan: Leitung Servicebereich",
        "Ziel: Wartezeiten verkürzen",
        "Mehrsprachige Beschilderung",
        "Verantwortlich laut Maßnahmenplan: Frau Schulz",
        "Zielvereinbarung unterzeichnet",
        "Als Koordination Ihrer Behörde erhalten Sie",
        settings.PORTAL_BASE_URL + process.get_absolute_url(),
    ]:
        assert text in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{settings.PORTAL_BASE_URL}{process.get_absolute_url()}"' in html
    assert "Verantwortlich laut Maßnahmenplan: Leitung Servicebereich" in html
    coach_mail = next(m for m in mailoutbox if m.to == [project_staff.email])
    assert "Als Prozessbegleitung erhalten Sie" in coach_mail.body
    assert "weiter." not in coach_mail.body  # the coordinators' hint to pass it on
    assert set(Notification.objects.values_list("kind", "occasion", "object_id")) == {
        ("process.due", "due-2026-11-25", process.pk)
    }


def test_a_mail_with_only_milestones_leads_to_the_part_of_the_process_page_that_shows_them(
    process, coordinator, mailoutbox, run
):
    MilestoneFactory(process=process, title="Zielvereinbarung unterzeichnet", due_on=DUE)

    assert run(process_due, at(DUE - days(7), 0, 5)) == 2

    mail = next(m for m in mailoutbox if m.to == [coordinator.email])
    milestones = reverse("authorities:process_milestones", args=[process.authority_id, process.pk])
    assert f"{settings.PORTAL_BASE_URL}{milestones}#meilensteine" in mail.body
    assert f'href="{settings.PORTAL_BASE_URL}{milestones}#meilensteine"' in mail.alternatives[0][0]


def test_on_the_date_it_is_due_today_and_the_day_after_it_is_overdue_once(
    process, project_staff, coordinator, mailoutbox, run
):
    MeasureFactory(process=process, title="Aufrufsystem einführen", due_on=DUE)

    assert run(process_due, at(DUE - days(7), 10)) == 2
    assert run(process_due, at(DUE, 8)) == 0  # still the same reminder
    assert run(process_due, at(DUE + days(1), 0, 5)) == 2
    assert run(process_due, at(DUE + days(2), 10)) == 0
    assert run(process_due, at(DUE + days(20), 10)) == 0

    assert len(mailoutbox) == 4
    overdue = [m for m in mailoutbox if m.subject.startswith("Überfällig")]
    assert recipients(overdue) == sorted([project_staff.email, coordinator.email])
    assert overdue[0].subject == "Überfällig seit 25.11.2026: Veränderungsprozess Stadt Mainz"
    assert "seit dem 25.11.2026 (seit 1 Tag) noch offen" in overdue[0].body
    assert "Aufrufsystem einführen" in overdue[0].body


def test_created_a_few_days_ahead_it_is_reminded_at_once_and_due_today_says_so(
    process, coordinator, mailoutbox, run
):
    MeasureFactory(process=process, due_on=DUE)

    assert run(process_due, at(DUE, 9)) == 2

    assert "im Veränderungsprozess der Ausländerbehörde Stadt Mainz ist heute fällig" in mailoutbox[0].body


def test_a_missed_run_catches_up_once_and_a_stale_reminder_is_not_sent_after_the_date(
    process, project_staff, coordinator, mailoutbox, run
):
    MeasureFactory(process=process, title="Im Fenster", due_on=DUE)
    MilestoneFactory(process=process, title="Schon vorbei", due_on=DUE - days(5))

    # Beat was down from nine days before DUE until two days before: the first run catches up.
    assert run(process_due, at(DUE - days(2), 14)) == 4
    assert run(process_due, at(DUE - days(2), 15)) == 0

    occasions = sorted(Notification.objects.values_list("occasion", flat=True).distinct())
    # The milestone's date has passed: it is reported overdue, not "due in seven days" too late.
    assert occasions == ["due-2026-11-25", "overdue-2026-11-20"]
    assert recipients(mailoutbox) == sorted([project_staff.email, coordinator.email] * 2)


def test_items_due_on_different_dates_or_in_other_processes_come_in_their_own_mails(
    process, project_staff, coordinator, outsider, hannover, mailoutbox, run
):
    MeasureFactory(process=process, due_on=DUE)
    MeasureFactory(process=process, due_on=DUE + days(2))
    other = ChangeProcessFactory(authority=hannover, coach=project_staff)
    MilestoneFactory(process=other, due_on=DUE)

    assert run(process_due, at(DUE - days(5), 10)) == 6

    assert recipients(mailoutbox) == sorted(
        [project_staff.email] * 3 + [coordinator.email] * 2 + [outsider.email]
    )


def test_a_postponed_measure_is_reminded_again_for_its_new_date(process, coordinator, mailoutbox, run):
    measure = MeasureFactory(process=process, due_on=DUE)
    assert run(process_due, at(DUE - days(7), 10)) == 2

    measure.due_on = DUE + days(14)
    measure.save()
    assert run(process_due, at(DUE + days(1), 10)) == 0  # no longer overdue
    assert run(process_due, at(DUE + days(7), 10)) == 2

    assert mailoutbox[-1].subject == "Fällig am 09.12.2026: Veränderungsprozess Stadt Mainz"


def test_nothing_for_done_or_dropped_measures_reached_milestones_or_finished_processes(
    process, coordinator, mainz, hannover, outsider, mailoutbox, run
):
    MeasureFactory(process=process, due_on=DUE, status=MeasureStatus.DONE, progress=100)
    MeasureFactory(process=process, due_on=DUE, status=MeasureStatus.DROPPED)
    MeasureFactory(process=process, due_on=None)
    MilestoneFactory(process=process, due_on=DUE, reached_on=DUE - days(10))
    finished = ChangeProcessFactory(authority=hannover, status=ProcessStatus.COMPLETED)
    MeasureFactory(process=finished, due_on=DUE)
    MilestoneFactory(process=finished, due_on=DUE)
    aborted = ChangeProcessFactory(authority=mainz, status=ProcessStatus.ABORTED)
    MeasureFactory(process=aborted, due_on=DUE)

    for moment in [at(DUE - days(7), 10), at(DUE, 10), at(DUE + days(1), 10)]:
        assert run(process_due, moment) == 0

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_a_paused_process_still_counts_as_running(process, coordinator, mailoutbox, run):
    process.status = ProcessStatus.PAUSED
    process.save()
    MeasureFactory(process=process, due_on=DUE)

    assert run(process_due, at(DUE - days(1), 10)) == 2


def test_overdue_items_are_reminded_only_within_thirty_days_after_their_date(
    process, coordinator, mailoutbox, run
):
    MeasureFactory(process=process, due_on=DUE - days(31))  # e.g. an old plan imported today
    MeasureFactory(process=process, due_on=DUE - days(30))

    assert run(process_due, at(DUE, 10)) == 2

    assert {m.subject for m in mailoutbox} == {"Überfällig seit 26.10.2026: Veränderungsprozess Stadt Mainz"}


def test_who_switched_the_reminder_off_gets_nothing_the_others_still_do(
    process, project_staff, coordinator, mainz, mailoutbox, run
):
    second = UserFactory(authority=mainz, coordinator=True, email="second@mainz.example.org")
    gone = UserFactory(authority=mainz, coordinator=True, is_active=False)
    NotificationPreference.objects.create(user=coordinator, kind="process.due", mode=DeliveryMode.OFF)
    MeasureFactory(process=process, due_on=DUE)

    assert run(process_due, at(DUE - days(7), 10)) == 2
    assert run(process_due, at(DUE - days(6), 10)) == 0

    assert recipients(mailoutbox) == sorted([project_staff.email, second.email])
    assert not Notification.objects.filter(recipient__in=[coordinator, gone]).exists()


def test_a_coordinator_who_chose_english_is_written_to_in_their_language(
    process, coordinator, mailoutbox, run
):
    coordinator.language = "en"
    coordinator.save()
    MeasureFactory(process=process, due_on=DUE)

    assert run(process_due, at(DUE - days(7), 10)) == 2  # rendered without error in either language


def test_the_due_scan_needs_the_same_queries_for_one_measure_or_many(
    process, project_staff, coordinator, mainz, hannover, outsider, run
):
    def queries(now) -> int:
        with CaptureQueriesContext(connection) as captured:
            run(process_due, now)
        return len(captured)

    MeasureFactory(process=process, due_on=DUE)
    run(process_due, at(DUE - days(7), 10))
    few = queries(at(DUE - days(6), 10))  # all claimed: only reading

    for _ in range(10):
        MeasureFactory(process=process, due_on=DUE, goal=GoalFactory(process=process))
        MilestoneFactory(process=process, due_on=DUE)
    other = ChangeProcessFactory(authority=hannover)
    for _ in range(5):
        MeasureFactory(process=other, due_on=DUE)
    run(process_due, at(DUE - days(6), 10))
    assert queries(at(DUE - days(5), 10)) == few <= 5

    # Sending costs a fixed number of queries per mail, however many items the mail lists.
    MeasureFactory(process=process, due_on=DUE + days(1))
    with CaptureQueriesContext(connection) as one_item:
        assert run(process_due, at(DUE - days(5), 10)) == 2
    for _ in range(10):
        MeasureFactory(process=process, due_on=DUE + days(2), goal=GoalFactory(process=process))
        MilestoneFactory(process=process, due_on=DUE + days(2))
    with CaptureQueriesContext(connection) as many_items:
        assert run(process_due, at(DUE - days(5), 10)) == 2
    assert len(many_items) == len(one_item)
