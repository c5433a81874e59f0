"""process.coach_summary on a frozen clock: once a week from Monday 07:00 (Berlin) to every coach
with a running process, listing per process what is due, overdue and the last consultations."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authorities.models import Consultation, ConsultationFormat, MeasureStatus, Phase, ProcessStatus
from authorities.scans import process_coach_summary
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from tests.authorities.pages import process_url
from tests.factories import ChangeProcessFactory, MeasureFactory, MilestoneFactory, UserFactory
from tests.helpers import at

MONDAY = dt.date(2026, 11, 23)  # ISO week 48


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def recipients(mails) -> list[str]:
    return sorted(address for mail in mails for address in mail.to)


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


def test_the_summary_links_milestones_and_consultations_to_the_part_of_the_process_that_shows_them(
    process, project_staff, hannover, mailoutbox, run
):
    MilestoneFactory(process=process, title="Verpasster Meilenstein", due_on=MONDAY - days(1))
    Consultation.objects.create(
        process=process,
        held_on=MONDAY - days(2),
        format=ConsultationFormat.ON_SITE,
        participants="Leitung",
        topics="Aufrufsystem",
    )
    quiet = ChangeProcessFactory(authority=hannover, coach=project_staff)

    assert run(process_coach_summary, at(MONDAY, 7)) == 1

    part = settings.PORTAL_BASE_URL + process_url("process_milestones", process)
    mail = mailoutbox[0]
    body, html = mail.body, mail.alternatives[0][0]
    # Each list ends with the way to where the coach enters a reached milestone or a consultation.
    mainz = body.split("== Stadt Mainz ==")[1].split("Mit freundlichen Grüßen")[0]
    milestones = mainz.split("Überfällige Meilensteine")[1].split("Beratungstermine seit")[0]
    assert milestones.strip().endswith(f"Zu den Meilensteinen: {part}#meilensteine")
    assert mainz.strip().splitlines()[-1] == f"Zu den Beratungsterminen: {part}#beratungen"
    assert f'<a href="{part}#meilensteine">Zu den Meilensteinen</a>' in html
    assert f'<a href="{part}#beratungen">Zu den Beratungsterminen</a>' in html
    # The process itself is still linked to its overview; a process without either list gets no link.
    assert settings.PORTAL_BASE_URL + process.get_absolute_url() + "\n" in body
    hannover_part = process_url("process_milestones", quiet)
    assert hannover_part not in body and hannover_part not in html


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


def test_the_mail_needs_the_same_queries_for_one_process_or_many(process, project_staff, run, mailoutbox):
    # Unlike the test above, the summary is sent here: the mail's links to each process and its parts
    # must not cost a query per process.
    def sending(now) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert run(process_coach_summary, now) == 1
        return len(captured)

    def busy(process):
        MeasureFactory(process=process, due_on=MONDAY - days(2))
        MilestoneFactory(process=process, due_on=MONDAY - days(1))
        Consultation.objects.create(
            process=process,
            held_on=MONDAY,
            format=ConsultationFormat.ONLINE,
            participants="Team",
            topics="Plan",
        )

    busy(process)
    few = sending(at(MONDAY, 7))

    for _ in range(5):
        busy(ChangeProcessFactory(coach=project_staff))
    assert sending(at(MONDAY + days(7), 7)) == few
    assert mailoutbox[1].body.count("Zu den Meilensteinen") == 6
