"""The figures of the change processes (authorities/selectors/), on hand-built data with exact numbers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from authorities.models import Field, MeasureStatus, Phase, ProcessStatus
from authorities.selectors import overview
from authorities.selectors import process as selectors
from authorities.services import process as services
from tests.factories import AuthorityFactory

TODAY = timezone.localdate()
DAY = timedelta(days=1)


def measure(process, by, field, status, *, due=None, title=None, progress=0):
    action = {
        "organisation": "internal_organisation",
        "personnel": "intercultural",
        "cooperation": "networking",
    }
    return services.measure_create(
        process=process,
        by=by,
        title=title or f"{field} {status} {due}",
        field=field,
        field_of_action=action[field],
        responsible="Leitung",
        due_on=due,
        status=status,
        progress=100 if status == MeasureStatus.DONE else progress,
    )


def milestone(process, by, title, due, reached=None):
    return services.milestone_save(process=process, by=by, title=title, due_on=due, reached_on=reached)


@pytest.fixture
def landau(db):
    return AuthorityFactory(name="Stadt Landau in der Pfalz", ags="07313000", state="RP")


@pytest.fixture
def processes(mainz, hannover, landau, project_staff):
    """Mainz (RP, Umsetzung), Hannover (NI, Standortbestimmung), Landau (RP, completed today)."""
    by = project_staff
    mainz_process = services.process_start(authority=mainz, coach=by, started_on=TODAY - 400 * DAY, by=by)
    for phase in (Phase.SITE_ASSESSMENT, Phase.AGREED_GOALS, Phase.IMPLEMENTATION):
        services.phase_change(process=mainz_process, to_phase=phase, by=by)
    measure(mainz_process, by, Field.ORGANISATION, MeasureStatus.PLANNED, due=TODAY + 30 * DAY)
    measure(mainz_process, by, Field.ORGANISATION, MeasureStatus.IN_PROGRESS, due=TODAY - DAY)  # overdue
    measure(mainz_process, by, Field.PERSONNEL, MeasureStatus.DONE, due=TODAY - 10 * DAY)  # done: not overdue
    measure(mainz_process, by, Field.COOPERATION, MeasureStatus.DROPPED, due=TODAY - 10 * DAY)  # dropped
    milestone(mainz_process, by, "Auftakt", TODAY - 300 * DAY, reached=TODAY - 301 * DAY)  # on time
    milestone(mainz_process, by, "Leitbild", TODAY - 100 * DAY, reached=TODAY - 90 * DAY)  # late
    milestone(mainz_process, by, "Wartebereich", TODAY - 5 * DAY)  # overdue
    milestone(mainz_process, by, "Bilanz", TODAY + 60 * DAY)  # upcoming

    # An aborted process of Hannover before the running one: its milestone does not count.
    aborted = services.process_start(authority=hannover, coach=by, started_on=TODAY - 900 * DAY, by=by)
    milestone(aborted, by, "Vergessen", TODAY - 800 * DAY)
    services.process_update(process=aborted, by=by, status=ProcessStatus.ABORTED)
    hannover_process = services.process_start(
        authority=hannover, coach=by, started_on=TODAY - 20 * DAY, by=by
    )
    services.phase_change(process=hannover_process, to_phase=Phase.SITE_ASSESSMENT, by=by)
    measure(hannover_process, by, Field.ORGANISATION, MeasureStatus.DONE)
    measure(hannover_process, by, Field.PERSONNEL, MeasureStatus.PLANNED, due=TODAY - 3 * DAY)  # overdue
    milestone(hannover_process, by, "Auftakt", TODAY - 10 * DAY, reached=TODAY - 10 * DAY)  # on time

    landau_process = services.process_start(authority=landau, coach=by, started_on=TODAY - 30 * DAY, by=by)
    measure(landau_process, by, Field.ORGANISATION, MeasureStatus.DONE)
    milestone(landau_process, by, "Abschluss", TODAY - 2 * DAY)  # overdue, but the process is completed
    services.process_update(process=landau_process, by=by, status=ProcessStatus.COMPLETED)

    return mainz_process, hannover_process, landau_process


def test_measures_by_field_and_status_counts_every_measure(processes):
    table = selectors.measures_by_field_and_status()

    assert [row.field for row in table.rows] == ["organisation", "personnel", "cooperation"]
    assert [(c.code, c.count) for c in table.rows[0].cells] == [
        ("planned", 1), ("in_progress", 1), ("done", 2), ("dropped", 0),
    ]  # fmt: skip
    assert table.count("personnel", "done") == 1
    assert table.count("personnel", "planned") == 1
    assert table.count("cooperation", "dropped") == 1
    assert [c.count for c in table.totals] == [2, 1, 3, 1]
    assert table.total == 7
    assert table.rows[0].label == "Organisationsentwicklung"


def test_measures_by_field_and_status_per_state_and_running_only(processes):
    rp = selectors.measures_by_field_and_status(state="RP")
    ni = selectors.measures_by_field_and_status(state="NI")
    running = selectors.measures_by_field_and_status(state="RP", running_only=True)

    assert (rp.total, ni.total, running.total) == (5, 2, 4)
    assert rp.count("organisation", "done") == 1  # Landau's
    assert running.count("organisation", "done") == 0
    assert ni.count("personnel", "planned") == 1


def test_authorities_per_phase_lists_all_six_phases_with_running_processes_only(processes):
    both = selectors.authorities_per_phase()
    ni = selectors.authorities_per_phase(state="NI")

    assert [(p.phase, p.count) for p in both] == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 0), (6, 0)]
    assert both[3].label == "Umsetzung"
    assert [p.count for p in ni] == [0, 1, 0, 0, 0, 0]


def test_milestones_reached_on_time_late_and_overdue(processes):
    figures = selectors.milestones_reached_on_time()

    # Landau's overdue milestone counts (completed is not aborted), the aborted process's does not.
    assert (figures.on_time, figures.late, figures.overdue, figures.upcoming) == (2, 1, 2, 1)
    assert figures.reached == 3
    assert figures.on_time_share == 67
    assert figures.total == 6


def test_milestones_per_state_and_period(processes):
    rp = selectors.milestones_reached_on_time(state="RP")
    ni = selectors.milestones_reached_on_time(state="NI")
    recent = selectors.milestones_reached_on_time(date_from=TODAY - 50 * DAY, date_to=TODAY)

    assert (rp.on_time, rp.late, rp.overdue, rp.upcoming) == (1, 1, 2, 1)
    assert (ni.on_time, ni.late, ni.overdue, ni.upcoming) == (1, 0, 0, 0)
    # Due in the last 50 days: Wartebereich and Abschluss (overdue), Hannover's Auftakt (on time).
    assert (recent.on_time, recent.late, recent.overdue, recent.upcoming) == (1, 0, 2, 0)


def test_no_milestone_reached_gives_no_share(db):
    assert selectors.milestones_reached_on_time().on_time_share is None


def test_processes_started_and_completed_in_a_period(processes):
    last_50_days = selectors.processes_started_and_completed(date_from=TODAY - 50 * DAY, date_to=TODAY)
    earlier = selectors.processes_started_and_completed(date_from=TODAY - 500 * DAY, date_to=TODAY - 51 * DAY)
    ever = selectors.processes_started_and_completed()

    assert (last_50_days.started, last_50_days.completed) == (2, 1)  # Hannover and Landau; Landau done
    assert (earlier.started, earlier.completed) == (1, 0)  # Mainz
    assert (ever.started, ever.completed) == (4, 1)  # with the aborted one


def test_processes_started_and_completed_per_state(processes):
    assert selectors.processes_started_and_completed(state="NI") == selectors.ProcessFigures(2, 0)
    assert selectors.processes_started_and_completed(state="RP") == selectors.ProcessFigures(2, 1)


def test_a_process_set_back_to_active_stays_completed_on_the_day_it_was(processes, project_staff):
    _mainz, _hannover, landau = processes
    services.process_update(process=landau, by=project_staff, status=ProcessStatus.ACTIVE)
    services.process_update(process=landau, by=project_staff, status=ProcessStatus.COMPLETED)

    # Completed once, whatever happened to it later: the day of its first completion counts.
    assert selectors.processes_started_and_completed().completed == 1
    assert selectors.processes_started_and_completed(date_from=TODAY, date_to=TODAY).completed == 1
    assert selectors.processes_started_and_completed(date_from=TODAY + DAY).completed == 0


def test_overview_rows_count_measures_and_milestones_per_process(processes):
    rows = {row.authority.name: row for row in overview.overview_rows()}

    assert list(rows) == ["Region Hannover", "Stadt Mainz"]  # NI before RP; Landau is completed
    mainz = rows["Stadt Mainz"]
    assert mainz.phase == Phase.IMPLEMENTATION
    by_status = (
        mainz.measures_planned,
        mainz.measures_in_progress,
        mainz.measures_done,
        mainz.measures_dropped,
    )
    assert by_status == (1, 1, 1, 1)
    assert (mainz.measures_organisation, mainz.measures_personnel, mainz.measures_cooperation) == (2, 1, 1)
    assert (mainz.measures_total, mainz.measures_overdue) == (4, 1)
    assert (mainz.milestones_total, mainz.milestones_reached, mainz.milestones_overdue) == (4, 2, 1)
    hannover = rows["Region Hannover"]
    assert (hannover.measures_total, hannover.measures_overdue) == (2, 1)
    assert (hannover.milestones_total, hannover.milestones_reached, hannover.milestones_overdue) == (1, 1, 0)


def test_overview_rows_filters(processes, project_staff):
    from tests.factories import UserFactory

    other_coach = UserFactory(project_staff=True)
    mainz, _hannover, _landau = processes
    services.process_update(process=mainz, by=project_staff, coach=other_coach)

    assert [r.authority.state for r in overview.overview_rows({"state": "RP"})] == ["RP"]
    assert [r.pk for r in overview.overview_rows({"coach": other_coach})] == [mainz.pk]
    assert [r.pk for r in overview.overview_rows({"coach": other_coach.pk})] == [mainz.pk]
    assert [r.pk for r in overview.overview_rows({"phase": Phase.IMPLEMENTATION})] == [mainz.pk]
    assert list(overview.overview_rows({"state": "NI", "phase": Phase.IMPLEMENTATION})) == []
