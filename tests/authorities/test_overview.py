"""The overview of all change processes for project staff, with its XLSX export."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from authorities.models import Authority, Field, FieldOfAction, MeasureStatus, Phase
from authorities.selectors.overview import overview_rows, overview_table
from authorities.services import process as services
from portal import xlsx
from tests.factories import AuthorityFactory, UserFactory

TODAY = timezone.localdate()
URL = reverse("authorities:process_overview")
XLSX_URL = reverse("authorities:process_overview_xlsx")


def names(response):
    """The authorities of the table's rows, in their order."""
    return re.findall(
        r'<th class="kern-table__cell" scope="row"><a [^>]*>([^<]*)</a>', response.content.decode()
    )


def start(authority, by, *, phase=Phase.KICK_OFF, coach=None):
    process = services.process_start(authority=authority, coach=coach or by, started_on=TODAY, by=by)
    if phase != Phase.KICK_OFF:
        services.phase_change(process=process, to_phase=phase, by=by, reason="Demo")
    return process


def add_measure(process, by, *, title="Servicepoint am Empfang", status=MeasureStatus.PLANNED, due=None):
    return services.measure_create(
        process=process,
        by=by,
        title=title,
        field=Field.ORGANISATION,
        field_of_action=FieldOfAction.SERVICE,
        responsible="Leitung",
        status=status,
        due_on=due,
    )


def full_process(authority, by, index=0):
    process = start(authority, by, phase=Phase.values[index % 6])
    add_measure(process, by, title=f"Maßnahme {index} A", due=TODAY - timedelta(days=3))
    add_measure(process, by, title=f"Maßnahme {index} B", status=MeasureStatus.DONE)
    services.milestone_save(process=process, by=by, title="Leitbild", due_on=TODAY - timedelta(days=1))
    services.milestone_save(process=process, by=by, title="Bilanz", due_on=TODAY + timedelta(days=30))
    return process


@pytest.fixture
def two_processes(mainz, hannover, project_staff):
    mainz_process = full_process(mainz, project_staff, index=3)  # Umsetzung, overdue measure and milestone
    hannover_process = start(hannover, project_staff, phase=Phase.SITE_ASSESSMENT)
    add_measure(
        hannover_process, project_staff, status=MeasureStatus.IN_PROGRESS, due=TODAY + timedelta(days=9)
    )
    return mainz_process, hannover_process


def test_project_staff_see_each_authoritys_phase_and_the_overdue_items(
    two_processes, project_staff, client_for
):
    response = client_for(project_staff).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stadt Mainz" in html and "Region Hannover" in html
    assert "4. Umsetzung" in html and "2. Standortbestimmung" in html
    # Mainz: one overdue measure and one overdue milestone, highlighted.
    assert html.count("kern-badge--danger") == 2
    assert "1 überfällig" in html
    assert response.context["milestones"].overdue == 1
    assert [p.count for p in response.context["per_phase"]] == [0, 1, 0, 1, 0, 0]
    assert response.context["by_field"].count("organisation", "planned") == 1
    assert "2 laufende Prozesse gefunden" in html


@pytest.mark.parametrize("who", ["member", "coordinator", "outsider", "funder"])
@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_everyone_else_gets_403(who, url, two_processes, client_for, request):
    assert client_for(request.getfixturevalue(who)).get(url).status_code == 403


def test_overview_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "anmelden" in response["Location"] or "login" in response["Location"]


def test_filter_by_state_coach_and_phase(two_processes, project_staff, client_for):
    mainz_process, hannover_process = two_processes
    coach = UserFactory(project_staff=True, first_name="Carla", last_name="Coach")
    services.process_update(process=hannover_process, by=project_staff, coach=coach)
    client = client_for(project_staff)

    def shown(**params):
        return names(client.get(URL, params))

    assert shown(state="RP") == ["Stadt Mainz"]
    assert shown(state="NI") == ["Region Hannover"]
    assert shown(coach=coach.pk) == ["Region Hannover"]
    assert shown(phase=Phase.IMPLEMENTATION) == ["Stadt Mainz"]
    assert shown(phase=Phase.EVALUATION) == []
    # Invalid values are ignored, as on every filter form.
    assert shown(state="XX", phase="abc") == ["Region Hannover", "Stadt Mainz"]
    # The figures follow the state filter.
    response = client.get(URL, {"state": "NI"})
    assert response.context["by_field"].total == 1
    assert "Kennzahlen für Niedersachsen" in response.content.decode()


def test_completed_processes_are_not_listed(two_processes, project_staff, client_for):
    _mainz_process, hannover_process = two_processes
    services.process_update(process=hannover_process, by=project_staff, status="completed")

    assert names(client_for(project_staff).get(URL)) == ["Stadt Mainz"]


def test_query_count_does_not_grow_with_processes(project_staff, client_for, django_assert_max_num_queries):
    client = client_for(project_staff)
    for index in range(3):
        full_process(AuthorityFactory(), project_staff, index)
    with CaptureQueriesContext(connection) as three:
        assert len(names(client.get(URL))) == 3
    for index in range(3, 15):
        full_process(AuthorityFactory(state="NI" if index % 2 else "RP"), project_staff, index)
    with CaptureQueriesContext(connection) as fifteen:
        assert len(names(client.get(URL))) == 15

    assert len(fifteen) == len(three)
    with django_assert_max_num_queries(12):
        client.get(URL, {"state": "RP", "coach": project_staff.pk, "phase": 1})
    # One of them is the security log's row for the export.
    with django_assert_max_num_queries(6):
        client.get(XLSX_URL)


def test_xlsx_has_one_row_per_running_process_with_text_cells(two_processes, project_staff, client_for):
    mainz_process, _hannover_process = two_processes
    mainz_process.authority.name = '=HYPERLINK("https://example.org")'
    mainz_process.authority.save()

    response = client_for(project_staff).get(XLSX_URL, {"state": "RP"})

    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="veraenderungsprozesse-')
    assert response["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Ausländerbehörde", "Land", "Phase", "Status", "Prozessbegleitung", "Beginn")
    assert "Maßnahmen: Geplant" in rows[0] and "Meilensteine überfällig" in rows[0]
    assert len(rows) == 2  # the header and Mainz; Hannover is filtered out
    mainz = dict(zip(rows[0], rows[1], strict=True))
    assert mainz["Ausländerbehörde"] == '=HYPERLINK("https://example.org")'
    assert sheet["A2"].data_type == "s"  # text, not a formula
    assert mainz["Land"] == "Rheinland-Pfalz"
    assert mainz["Phase"] == "Umsetzung"
    assert mainz["Beginn"].date() == TODAY
    assert (mainz["Maßnahmen: Geplant"], mainz["Maßnahmen: Umgesetzt"]) == (1, 1)
    assert mainz["Maßnahmen: Organisationsentwicklung"] == 2
    assert (mainz["Maßnahmen überfällig"], mainz["Meilensteine"], mainz["Meilensteine überfällig"]) == (
        1,
        2,
        1,
    )


# --- demo data ------------------------------------------------------------------------------------


def test_demo_seed_gives_every_participating_authority_a_running_process_once(instruments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from authorities.demo import process as process_demo
    from authorities.demo import registry as demo
    from authorities.models import (
        AssessmentRound,
        ChangeProcess,
        Consultation,
        Goal,
        HistoryEntry,
        Measure,
        Milestone,
        ParticipationStatus,
    )
    from portal.accounts import demo as accounts_demo

    demo.seed()
    accounts_demo.seed()
    with CaptureQueriesContext(connection) as seeding:
        process_demo.seed()

    participating = Authority.objects.filter(participation_status=ParticipationStatus.PARTICIPATING)
    assert participating.count() == 20
    running = ChangeProcess.objects.active()
    assert sorted(running.values_list("authority_id", flat=True)) == sorted(
        participating.values_list("pk", flat=True)
    )
    assert set(running.values_list("coach__email", flat=True)) == {"projekt@example.org"}
    assert set(running.values_list("phase", flat=True)) == set(Phase.values)  # all six phases
    for process in running:
        assert 1 <= process.goals.count() <= 3
        assert 3 <= process.measures.count() <= 6
        assert process.measures.filter(template__isnull=False).exists()  # some from the catalogue
        assert 2 <= process.milestones.count() <= 4
        assert 1 <= process.consultations.count() <= 2
        assert process.transitions.count() == process.phase
    assert Measure.objects.overdue().exists()
    assert Milestone.objects.filter(reached_on__isnull=True, due_on__lt=TODAY).exists()
    assert set(Measure.objects.values_list("status", flat=True)) == set(MeasureStatus.values)
    with_two_rounds = running.annotate(rounds=Count("assessments")).filter(rounds=2).count()
    assert 8 <= with_two_rounds <= 12  # about half
    assert HistoryEntry.objects.filter(action="measure_added").count() == Measure.objects.count()

    counts = [
        model.objects.count()
        for model in (ChangeProcess, Goal, Measure, Milestone, Consultation, AssessmentRound, HistoryEntry)
    ]
    # Written through the services, a few queries per row made (about 3.5 today); a query more per
    # row, e.g. a lookup per measure, shows here. How long seeding takes is for `make bench`.
    assert len(seeding) <= 4 * sum(counts)
    assert "bereits vorhanden" in process_demo.seed()
    assert counts == [
        model.objects.count()
        for model in (ChangeProcess, Goal, Measure, Milestone, Consultation, AssessmentRound, HistoryEntry)
    ]


def test_page_counts_are_the_exports_counts(two_processes, project_staff):
    # The page counts from two grouped queries, the export from one joined query: the same numbers.
    mainz_process, _hannover_process = two_processes
    services.milestone_save(
        process=mainz_process, by=project_staff, title="Erreicht", due_on=TODAY, reached_on=TODAY
    )
    names = [f"measures_{value}" for value in (*MeasureStatus.values, *Field.values)]
    names += ["measures_total", "measures_overdue"]
    names += ["milestones_total", "milestones_reached", "milestones_overdue"]

    def counts(rows):
        return [(row.pk, [getattr(row, name) for name in names]) for row in rows]

    assert counts(overview_table()) == counts(overview_rows())
    table = dict(counts(overview_table()))
    assert table[mainz_process.pk][-3:] == [3, 1, 1]  # three milestones, one reached, one overdue
