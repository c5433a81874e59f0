"""The measure plan of a change process: the coordinator's limited form, project staff's full one,
the catalogue of example measures, deleting, filtering and the progress of the goals."""

import datetime

import pytest
from django.utils import timezone

from authorities.models import (
    HistoryEntry,
    Measure,
    MeasureStatus,
    MeasureTemplate,
    ProcessStatus,
)
from authorities.services import process as services
from tests.authorities.pages import measure_url, process_url
from tests.factories import ChangeProcessFactory, GoalFactory, MeasureFactory

TODAY = timezone.localdate()


def test_coordinator_updates_the_progress_of_their_measure(client_for, coordinator, measure):
    client = client_for(coordinator)
    form = client.get(measure_url(measure)).text
    assert 'name="progress"' in form and 'name="title"' not in form

    response = client.post(
        measure_url(measure), {"status": "in_progress", "progress": "60", "result": "Geräte bestellt"}
    )

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.progress, measure.result) == ("in_progress", 60, "Geräte bestellt")
    entry = HistoryEntry.objects.get(action="measure_updated")
    assert entry.actor == coordinator


def test_coordinator_posting_fields_reserved_for_project_staff_has_them_ignored(
    client_for, coordinator, process, measure
):
    goal = GoalFactory(process=process)
    response = client_for(coordinator).post(
        measure_url(measure),
        {
            "status": "planned",
            "progress": "20",
            "result": "",
            "title": "Umbenannt",
            "responsible": "Jemand anderes",
            "goal": goal.pk,
            "due_on": "2001-01-01",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.progress == 20
    assert (measure.title, measure.responsible, measure.goal, measure.due_on) == (
        "Aufrufsystem",
        "Frau Schulz",
        None,
        TODAY + datetime.timedelta(days=90),
    )


def test_coordinator_of_another_authority_gets_404_for_mainzs_measure(client_for, outsider, measure):
    client = client_for(outsider)
    assert client.get(measure_url(measure)).status_code == 404
    assert client.post(measure_url(measure), {"status": "done", "progress": "100"}).status_code == 404
    measure.refresh_from_db()
    assert measure.progress == 10


def test_measure_of_another_process_under_this_process_is_404(client_for, project_staff, process, hannover):
    other = MeasureFactory(process=ChangeProcessFactory(authority=hannover))
    url = process_url("measure_edit", process, measure_pk=other.pk)
    assert client_for(project_staff).get(url).status_code == 404


def test_member_gets_403_on_editing_a_measure(client_for, member, measure):
    client = client_for(member)
    assert client.get(measure_url(measure)).status_code == 403
    assert client.post(measure_url(measure), {"status": "done", "progress": "100"}).status_code == 403
    measure.refresh_from_db()
    assert measure.progress == 10


def test_coordinator_may_not_edit_measures_of_a_finished_process(client_for, coordinator, process, measure):
    process.status = ProcessStatus.COMPLETED
    process.save()
    assert client_for(coordinator).get(measure_url(measure)).status_code == 403


def test_project_staff_edit_every_field_of_a_measure(client_for, project_staff, process, measure):
    goal = GoalFactory(process=process, title="Service verbessern")
    response = client_for(project_staff).post(
        measure_url(measure),
        {
            "title": "Aufrufsystem mit Anzeige",
            "goal": goal.pk,
            "field": "organisation",
            "field_of_action": "service",
            "responsible": "Herr Yilmaz",
            "status": "in_progress",
            "progress": "30",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.goal, measure.responsible) == (
        "Aufrufsystem mit Anzeige",
        goal,
        "Herr Yilmaz",
    )


def test_a_due_date_before_the_start_is_refused(client_for, project_staff, process):
    response = client_for(project_staff).post(
        process_url("measure_create", process),
        {
            "title": "Beschilderung",
            "field": "organisation",
            "field_of_action": "service",
            "responsible": "Hausmeisterei",
            "status": "planned",
            "progress": "0",
            "starts_on": "2025-05-01",
            "due_on": "2025-04-01",
        },
    )
    assert response.status_code == 200
    assert not Measure.objects.filter(title="Beschilderung").exists()


def test_project_staff_take_a_measure_from_the_catalogue_in_one_step(client_for, project_staff, process):
    template, _ = MeasureTemplate.objects.get_or_create(
        title="Mehrsprachige Beschilderung",
        defaults={"description": "Wegweiser in mehreren Sprachen.", "field": "organisation",
                  "field_of_action": "service"},
    )  # fmt: skip
    goal = GoalFactory(process=process)

    response = client_for(project_staff).post(
        process_url("measure_from_template", process),
        {"template": template.pk, "responsible": "Leitung Empfang", "goal": goal.pk},
    )

    measure = Measure.objects.get(process=process)
    assert response.status_code == 302
    assert response["Location"] == measure_url(measure)
    assert (measure.title, measure.description, measure.field_of_action) == (
        template.title,
        template.description,
        template.field_of_action,
    )
    assert (measure.template, measure.goal, measure.responsible) == (template, goal, "Leitung Empfang")


def test_project_staff_delete_a_measure_but_the_coordinator_may_not(
    client_for, project_staff, coordinator, measure
):
    url = measure_url(measure, "measure_delete")
    assert client_for(coordinator).post(url).status_code == 403
    assert client_for(project_staff).get(url).status_code == 405
    assert client_for(project_staff).post(url).status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert HistoryEntry.objects.filter(action="measure_deleted", subject="Aufrufsystem").exists()


def test_measure_plan_filters_by_field_and_status_sorts_by_due_date_and_marks_overdue(
    client_for, member, process
):
    MeasureFactory(process=process, title="Später", due_on=TODAY + datetime.timedelta(days=50))
    MeasureFactory(process=process, title="Früher", due_on=TODAY - datetime.timedelta(days=5))
    MeasureFactory(process=process, title="Schulung", field="personnel", status=MeasureStatus.DONE)
    client = client_for(member)

    page = client.get(process.get_absolute_url()).text.split('id="massnahmenplan"')[1]
    assert page.index("Früher") < page.index("Später") < page.index("Schulung")
    assert page.count("überfällig") == 1

    personnel = client.get(process.get_absolute_url(), {"field": "personnel"}).text
    assert "Schulung" in personnel and "Früher" not in personnel
    done = client.get(process.get_absolute_url(), {"status": "done"}).text
    assert "Schulung" in done and "Später" not in done


def test_goals_show_the_average_progress_of_their_measures(client_for, member, process):
    goal = GoalFactory(process=process, title="Besser erreichbar")
    MeasureFactory(process=process, goal=goal, progress=20)
    MeasureFactory(process=process, goal=goal, progress=60)
    MeasureFactory(process=process, goal=goal, progress=0, status=MeasureStatus.DROPPED)
    page = client_for(member).get(process.get_absolute_url()).text
    assert "Fortschritt 40 % aus 2 Maßnahmen" in page


def test_the_service_refuses_a_field_it_does_not_open(project_staff, measure):
    other = MeasureTemplate.objects.create(
        title="Beschilderung", description="Schilder", field="organisation", field_of_action="service"
    )

    # The template a measure came from is set when it is created, never changed afterwards.
    with pytest.raises(TypeError):
        services.measure_update(measure=measure, by=project_staff, template=other, progress=50)

    measure.refresh_from_db()
    assert (measure.template, measure.progress) == (None, 10)
