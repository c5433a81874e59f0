"""The narrative page: "Bericht erzeugen" saves what was typed before the version is queued."""

import pytest
from django.urls import reverse

from portal.reports.models import ProgressReport, ReportVersion

SECTIONS = {
    "summary": "Ungespeicherte Zusammenfassung",
    "activities": "AP 1: Schulungen",
    "deviations": "",
    "outlook": "Vertiefung im Herbst",
}


@pytest.fixture
def staff(client_for, project_staff):
    return client_for(project_staff)


def test_generating_saves_the_typed_draft_first(
    staff, project_staff, period, django_capture_on_commit_callbacks, monkeypatch
):
    ProgressReport.objects.create(period=period, summary="Alter Stand")
    queued = []
    monkeypatch.setattr("portal.reports.tasks.render_version.delay_on_commit", queued.append)
    url = reverse("reports:narrative", args=[period.pk])
    response = staff.post(url, {**SECTIONS, "state": "RP", "generate": ""}, follow=True)
    page = response.content.decode()
    assert "Der Entwurf des Sachberichts wurde gespeichert." in page
    assert "Version 1 des Berichts wird erstellt." in page
    report = ProgressReport.objects.get(period=period)
    assert report.summary == "Ungespeicherte Zusammenfassung"
    assert report.updated_by == project_staff
    version = ReportVersion.objects.get(period=period)
    assert (version.number, version.state) == (1, "RP")
    assert queued == [version.pk]


def test_saving_the_draft_queues_no_version(staff, period):
    url = reverse("reports:narrative", args=[period.pk])
    assert staff.post(url, {**SECTIONS, "state": "RP"}).status_code == 302
    assert ProgressReport.objects.get(period=period).summary == "Ungespeicherte Zusammenfassung"
    assert not ReportVersion.objects.exists()


def test_a_bad_area_keeps_the_typed_text_and_saves_nothing(staff, period):
    url = reverse("reports:narrative", args=[period.pk])
    response = staff.post(url, {**SECTIONS, "state": "XX", "generate": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ungespeicherte Zusammenfassung" in page
    assert "Bitte eine gültige Auswahl treffen. XX ist keine gültige Auswahl." in page
    assert not ProgressReport.objects.exists()
    assert not ReportVersion.objects.exists()


def test_the_button_and_area_belong_to_the_narrative_form_which_warns_before_leaving(staff, period):
    page = staff.get(reverse("reports:narrative", args=[period.pk])).content.decode()
    assert '<form data-warn-unsaved="" id="sachbericht"' in page
    assert 'name="generate" class="kern-btn kern-btn--primary" form="sachbericht"' in page
    assert '<select name="state" form="sachbericht"' in page
    assert "js/unsaved.js" in page
