"""The measure plan of one authority as a PDF: requested, rendered by the worker, downloaded."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from authorities import documents
from authorities.models import ChangeProcess, Field, FieldOfAction, MeasurePlanDocument, MeasureStatus, Phase
from authorities.services import overview
from authorities.services import process as services
from tests.helpers import pdf_text

TODAY = timezone.localdate()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def process(mainz, project_staff):
    """Here the process has a plan to print (conftest's process is bare): in phase 4, with a goal, an
    overdue measure and a milestone."""
    project_staff.first_name, project_staff.last_name = "Paula", "Projektteam"
    project_staff.save()
    process = services.process_start(
        authority=mainz, coach=project_staff, started_on=TODAY - timedelta(days=200), by=project_staff
    )
    for phase in (Phase.SITE_ASSESSMENT, Phase.AGREED_GOALS, Phase.IMPLEMENTATION):
        services.phase_change(process=process, to_phase=phase, by=project_staff)
    goal = services.goal_save(
        process=process, by=project_staff, title="Kürzere Wartezeiten", field=Field.ORGANISATION
    )
    services.measure_create(
        process=process,
        by=project_staff,
        goal=goal,
        title="Terminvergabe online",
        field=Field.ORGANISATION,
        field_of_action=FieldOfAction.INTERNAL_ORGANISATION,
        responsible="Sachgebietsleitung Aufenthalt",
        due_on=TODAY - timedelta(days=5),
        status=MeasureStatus.IN_PROGRESS,
        progress=60,
    )
    services.milestone_save(
        process=process, by=project_staff, title="Leitbild verabschiedet", due_on=TODAY + timedelta(days=40)
    )
    process.refresh_from_db()
    return process


def plan_url(name, authority):
    return reverse(f"authorities:{name}", args=[authority.pk])


def test_coordinator_requests_the_plan_the_worker_renders_it_and_staff_download_it(
    process, mainz, coordinator, member, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(coordinator).post(plan_url("measure_plan", mainz))
    assert response.status_code == 302
    assert response["Location"] == plan_url("measure_plan_pdf", mainz)
    document = MeasurePlanDocument.objects.get(process=process)
    assert document.requested_by == coordinator
    assert not document.ready

    # Before the worker ran: the page says it is being made.
    pending = client_for(member).get(plan_url("measure_plan_pdf", mainz))
    assert pending.status_code == 200
    assert "wird erstellt" in pending.content.decode()

    for callback in callbacks:  # the worker (eager in tests)
        callback()
    document.refresh_from_db()
    assert document.ready

    response = client_for(member).get(plan_url("measure_plan_pdf", mainz))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="massnahmenplan-stadt-mainz-')
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(body(response))
    assert "Stadt Mainz" in text
    assert "Terminvergabe online" in text
    assert "Kürzere Wartezeiten" in text
    assert "Leitbild verabschiedet" in text
    assert "Paula Projektteam" in text
    assert "4. Umsetzung – aktuell" in text
    assert "überfällig" in text
    assert "60 %" in text


def test_the_pdf_is_tagged_pdf_ua_in_german(process):
    _name, mimetype, content = documents.measure_plan_pdf(process)

    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert mimetype == "application/pdf"
    assert catalog["/Lang"] == "de"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()
    assert reader.metadata.title == "Maßnahmenplan: Stadt Mainz"


def test_project_staff_request_too_and_a_new_request_makes_it_not_ready_until_rendered(
    process, mainz, project_staff, client_for, django_capture_on_commit_callbacks
):
    client = client_for(project_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(plan_url("measure_plan", mainz))
    assert MeasurePlanDocument.objects.get().ready
    page = client.get(plan_url("measure_plan", mainz)).content.decode()
    assert "PDF herunterladen" in page and "PDF neu erstellen" in page

    with django_capture_on_commit_callbacks(execute=False):
        client.post(plan_url("measure_plan", mainz))
    assert not MeasurePlanDocument.objects.get().ready
    assert client.get(plan_url("measure_plan_pdf", mainz))["Content-Type"].startswith("text/html")


def test_other_staff_of_the_authority_read_but_do_not_request(process, mainz, member, client_for):
    client = client_for(member)
    page = client.get(plan_url("measure_plan", mainz))
    assert page.status_code == 200
    assert "noch nicht als PDF erstellt" in page.content.decode()
    assert "PDF erstellen" not in page.content.decode()

    assert client.post(plan_url("measure_plan", mainz)).status_code == 403
    assert not MeasurePlanDocument.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "funder"])
def test_other_authorities_and_funders_get_404(
    who, process, mainz, project_staff, client_for, request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        overview.measure_plan_request(process=process, by=project_staff)
    client = client_for(request.getfixturevalue(who))

    assert client.get(plan_url("measure_plan", mainz)).status_code == 404
    assert client.get(plan_url("measure_plan_pdf", mainz)).status_code == 404
    assert client.post(plan_url("measure_plan", mainz)).status_code == 404
    assert MeasurePlanDocument.objects.get().requested_by == project_staff


def test_no_running_process_gives_404(process, mainz, project_staff, client_for):
    services.process_update(process=process, by=project_staff, status="completed")

    assert client_for(project_staff).get(plan_url("measure_plan", mainz)).status_code == 404


def test_the_request_refuses_a_coordinator_of_another_authority(process, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        overview.measure_plan_request(process=process, by=outsider)


def test_the_plan_is_rendered_with_a_constant_number_of_queries(process, project_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        # Loaded as the worker loads it.
        loaded = ChangeProcess.objects.select_related("authority", "coach").get(pk=process.pk)
        with CaptureQueriesContext(connection) as context:
            documents.measure_plan_pdf(loaded)
        return len(context)

    one_measure = queries()
    for number in range(10):
        services.measure_create(
            process=process,
            by=project_staff,
            title=f"Maßnahme {number}",
            field=Field.PERSONNEL,
            field_of_action=FieldOfAction.INTERCULTURAL,
            responsible="Personalstelle",
        )
    assert queries() == one_measure <= 4
