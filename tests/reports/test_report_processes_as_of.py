"""The report shows the change processes as they stood at the period's end: the chart of running
processes by phase and the annex of authorities read the phase from the phase transitions and the
status from the dated status changes. Before, both read today's phase and status, so a report of the
first half-year regenerated in December moved a process into a phase it reached only in autumn, and
dropped a process aborted after the period from the running ones."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from authorities.models import ParticipationStatus, PhaseTransition, ProcessStatus
from authorities.services.process import phase_change, process_start, process_update
from portal.reports.documents import report_context
from tests.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST_HALF = {"date_from": date(2026, 1, 1), "date_to": date(2026, 6, 30)}


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


@pytest.fixture
def process_moved_on_after_the_period(project_staff):
    """Started on 12.01.2026 and moved into phase 2 on 02.03.2026 (recorded then); after the period,
    today, moved into phase 3 and then aborted."""
    authority = AuthorityFactory(
        name="Landkreis Vorher",
        joined_on=date(2026, 1, 5),
        participation_status=ParticipationStatus.PARTICIPATING,
    )
    coach = UserFactory(project_staff=True)
    process = process_start(authority=authority, coach=coach, started_on=date(2026, 1, 12), by=project_staff)
    PhaseTransition.objects.filter(process=process).update(at=_at(date(2026, 1, 12)))
    phase_change(process=process, to_phase=2, by=project_staff)
    PhaseTransition.objects.filter(process=process, to_phase=2).update(at=_at(date(2026, 3, 2)))
    phase_change(process=process, to_phase=3, by=project_staff)
    process_update(process=process, by=project_staff, status=ProcessStatus.ABORTED)
    return process


def _phase_counts(context):
    chart = next(chart for chart in context["charts"] if chart["id"] == "grafik-phasen")
    return {row["label"].split(".")[0]: row["cells"][0] for row in chart["rows"]}


def test_the_chart_counts_the_process_as_running_in_the_phase_it_had_then(process_moved_on_after_the_period):
    counts = _phase_counts(report_context(**FIRST_HALF))
    assert counts["2"] != "0" and counts["3"] == "0"


def test_the_annex_shows_the_phase_and_status_of_the_periods_end(process_moved_on_after_the_period):
    row = next(
        row for row in report_context(**FIRST_HALF)["authorities"] if row["name"] == "Landkreis Vorher"
    )
    assert row["phase"].startswith("2.") and "Abgebrochen" not in row["phase"]


def test_a_report_up_to_today_shows_todays_phase_and_status(process_moved_on_after_the_period):
    today = {"date_from": date(2026, 1, 1), "date_to": timezone.localdate()}
    context = report_context(**today)
    assert set(_phase_counts(context).values()) == {"0"}
    row = next(row for row in context["authorities"] if row["name"] == "Landkreis Vorher")
    assert row["phase"].startswith("3.") and "Abgebrochen" in row["phase"]


def test_before_its_first_recorded_move_a_process_stands_in_the_phase_that_move_left(project_staff):
    """A process entered today with a start in spring: no transition before the period's end, so it
    stood in the kick-off the first transition records."""
    authority = AuthorityFactory(
        name="Landkreis Nachgetragen",
        joined_on=date(2026, 1, 5),
        participation_status=ParticipationStatus.PARTICIPATING,
    )
    process = process_start(
        authority=authority,
        coach=UserFactory(project_staff=True),
        started_on=date(2026, 4, 1),
        by=project_staff,
    )
    phase_change(process=process, to_phase=2, by=project_staff)
    row = next(
        row for row in report_context(**FIRST_HALF)["authorities"] if row["name"] == "Landkreis Nachgetragen"
    )
    assert row["phase"].startswith("1.")
