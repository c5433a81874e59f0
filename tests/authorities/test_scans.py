"""Reminders of the change processes on a frozen clock: the scans get `now`, beat would pass the hour.

process.due: one mail per process, recipient and due date to the coach and the authority's
coordinators, seven days before and once after the date. process.coach_summary: once a week from
Monday 07:00 (Berlin) to every coach with a running process."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authorities.models import (
    Consultation,
    ConsultationFormat,
    MeasureStatus,
    Phase,
    ProcessStatus,
)
from authorities.scans import process_coach_summary, process_due
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


@pytest.fixture
def process(mainz, project_staff):
    return ChangeProcessFactory(authority=mainz, coach=project_staff, started_on=dt.date(2026, 3, 1))


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


# --- process.coach_summary -------------------------------------------------------------------------


def test_the_summary_goes_out_once_a_week_from_monday_seven_oclock(process, project_staff, mailoutbox, run):
    assert run(process_coach_summary, at(MONDAY, 6, 59)) == 0
    assert run(process_coach_summary, at(MONDAY, 7, 0)) == 1
    assert run(process_coach_summary, at(MONDAY, 8, 0)) == 0
    assert run(process_coach_summary, at(MONDAY + days(6), 23, 59)) == 0  # Sunday
    assert run(process_coach_summary, at(MONDAY + days(7), 6, 0)) == 0  # next Monday, too early
    assert run(process_coach_summary, at(MONDAY + days(7), 7, 0)) == 1

    assert recipients(mailoutbox) == [project_staff.email] * 2
    assert mailoutbox[0].subject == "Wochenübersicht KW 48/2026: Ihr Veränderungsprozess"
    assert sorted(Notification.objects.values_list("occasion", flat=True)) == ["2026-W48", "2026-W49"]


def test_seven_oclock_is_berlin_time_also_in_summer(process, mailoutbox, run):
    monday = dt.date(2026, 6, 1)  # CEST: 07:00 in Berlin is 05:00 UTC
    utc = dt.UTC

    assert run(process_coach_summary, dt.datetime(2026, 6, 1, 4, 59, tzinfo=utc)) == 0
    assert run(process_coach_summary, dt.datetime(2026, 6, 1, 5, 0, tzinfo=utc)) == 1
    assert Notification.objects.get().occasion == f"{monday.isocalendar().year}-W23"


def test_a_summary_missed_on_monday_is_sent_once_later_that_week(process, mailoutbox, run):
    assert run(process_coach_summary, at(MONDAY + days(2), 15)) == 1  # beat was down until Wednesday
    assert run(process_coach_summary, at(MONDAY + days(3), 15)) == 0

    assert len(mailoutbox) == 1


def test_the_summary_lists_per_process_the_phase_what_is_due_overdue_and_the_last_consultations(
    process, project_staff, hannover, mailoutbox, run
):
    process.phase = Phase.IMPLEMENTATION
    process.save()
    today = MONDAY
    MeasureFactory(process=process, title="Bald fällig", due_on=today + days(14), responsible="Frau Schulz")
    MeasureFactory(process=process, title="Überfällige Maßnahme", due_on=today - days(3))
    MeasureFactory(process=process, title="Noch lange hin", due_on=today + days(15))
    MeasureFactory(
        process=process, title="Schon umgesetzt", due_on=today - days(3), status=MeasureStatus.DONE
    )
    MilestoneFactory(process=process, title="Verpasster Meilenstein", due_on=today - days(1))
    MilestoneFactory(
        process=process, title="Erreichter Meilenstein", due_on=today - days(1), reached_on=today
    )
    Consultation.objects.create(
        process=process,
        held_on=today - days(2),
        format=ConsultationFormat.ON_SITE,
        participants="Leitung, Koordination",
        topics="Aufrufsystem und Wartebereich",
    )
    Consultation.objects.create(
        process=process,
        held_on=today - days(10),
        format=ConsultationFormat.ONLINE,
        participants="Leitung",
        topics="Alte Beratung",
    )
    second = ChangeProcessFactory(authority=hannover, coach=project_staff, status=ProcessStatus.PAUSED)
    ChangeProcessFactory(coach=project_staff, status=ProcessStatus.COMPLETED, authority__name="Fertig")

    assert run(process_coach_summary, at(MONDAY, 7)) == 1

    mail = mailoutbox[0]
    assert mail.subject == "Wochenübersicht KW 48/2026: Ihre 2 Veränderungsprozesse"
    body = mail.body
    for text in [
        "== Stadt Mainz ==",
        "Phase 4: Umsetzung",
        settings.PORTAL_BASE_URL + process.get_absolute_url(),
        "Bald fällig (fällig am 07.12.2026; Geplant; Verantwortlich laut Maßnahmenplan: Frau Schulz)",
        "Überfällige Maßnahme (fällig am 20.11.2026",
        "Verpasster Meilenstein (fällig am 22.11.2026)",
        "21.11.2026, Vor Ort: Aufrufsystem und Wartebereich",
        "== Region Hannover ==",
        "Phase 1: Auftakt (Pausiert)",
        settings.PORTAL_BASE_URL + second.get_absolute_url(),
        "Nichts überfällig",
    ]:
        assert text in body
    for text in ["Noch lange hin", "Schon umgesetzt", "Erreichter Meilenstein", "Alte Beratung", "Fertig"]:
        assert text not in body
    assert body.index("Stadt Mainz") > body.index("Region Hannover")  # by authority name
    html = mail.alternatives[0][0]
    assert f'href="{settings.PORTAL_BASE_URL}{process.get_absolute_url()}"' in html
    assert "Verpasster Meilenstein" in html


def test_only_coaches_with_a_running_process_get_a_summary_and_only_their_processes(
    process, project_staff, hannover, mailoutbox, run
):
    other_coach = UserFactory(project_staff=True, email="coach@example.org")
    ChangeProcessFactory(authority=hannover, coach=other_coach, authority__name="Region Hannover")
    retired = UserFactory(project_staff=True, email="retired@example.org")
    ChangeProcessFactory(coach=retired, status=ProcessStatus.COMPLETED)

    assert run(process_coach_summary, at(MONDAY, 9)) == 2

    assert recipients(mailoutbox) == sorted([project_staff.email, other_coach.email])
    mine = next(m for m in mailoutbox if m.to == [project_staff.email])
    assert "Stadt Mainz" in mine.body and "Region Hannover" not in mine.body


def test_a_coach_who_switched_the_summary_off_gets_none(process, project_staff, mailoutbox, run):
    NotificationPreference.objects.create(
        user=project_staff, kind="process.coach_summary", mode=DeliveryMode.OFF
    )

    assert run(process_coach_summary, at(MONDAY, 7)) == 0
    assert mailoutbox == []


def test_the_summary_needs_the_same_queries_for_one_process_or_many(process, project_staff, run):
    def queries(now) -> int:
        with CaptureQueriesContext(connection) as captured:
            run(process_coach_summary, now)
        return len(captured)

    MeasureFactory(process=process, due_on=MONDAY)
    run(process_coach_summary, at(MONDAY, 7))
    few = queries(at(MONDAY, 8))

    for _ in range(5):
        extra = ChangeProcessFactory(coach=project_staff)
        MeasureFactory(process=extra, due_on=MONDAY)
        MeasureFactory(process=extra, due_on=MONDAY - days(2))
        MilestoneFactory(process=extra, due_on=MONDAY - days(1))
    assert queries(at(MONDAY, 9)) == few <= 6
