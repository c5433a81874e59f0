import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal.reports import services
from portal.reports.models import PeriodKind, ProgressReport, ReportingPeriod, ReportStatus, ReportVersion
from tests.helpers import page_queries


def valid(**changes):
    data = {
        "title": "Schlussbericht",
        "kind": "final",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "due_on": "2028-03-31",
    }
    return {**data, **changes}


@pytest.mark.parametrize("who", ["member", "coordinator", "outsider", "funder"])
def test_only_project_staff(request, client_for, period, who):
    client = client_for(request.getfixturevalue(who))
    for url in [
        reverse("reports:periods"),
        reverse("reports:period_create"),
        reverse("reports:period_edit", args=[period.pk]),
        reverse("reports:narrative", args=[period.pk]),
    ]:
        assert client.get(url).status_code == 403
    assert client.post(reverse("reports:period_create"), valid()).status_code == 403
    assert client.post(reverse("reports:narrative", args=[period.pk]), {"summary": "x"}).status_code == 403
    assert ReportingPeriod.objects.count() == 1
    assert not ProgressReport.objects.exists()


def test_list_marks_overdue_and_soon(client_for, project_staff):
    today = timezone.localdate()
    # Two kinds: periods of one kind must not overlap.
    for title, kind, due_on in [
        ("Bald", PeriodKind.INTERIM, today + dt.timedelta(days=6)),
        ("Vorbei", PeriodKind.FINAL, today - dt.timedelta(days=1)),
    ]:
        ReportingPeriod.objects.create(
            title=title,
            kind=kind,
            starts_on=today - dt.timedelta(days=200),
            ends_on=today - dt.timedelta(days=20),
            due_on=due_on,
        )
    response = client_for(project_staff).get(reverse("reports:periods"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "noch 6 Tage" in content
    assert "Frist überschritten" in content


def test_create_and_edit_period(client_for, project_staff, period):
    client = client_for(project_staff)
    response = client.post(reverse("reports:period_create"), valid())
    assert response.status_code == 302
    created = ReportingPeriod.objects.get(title="Schlussbericht")
    assert created.due_on == dt.date(2028, 3, 31)
    # The same kind and days as the new "Schlussbericht" would overlap it: the edit keeps its own.
    response = client.post(
        reverse("reports:period_edit", args=[period.pk]),
        valid(title="Neu", kind="interim", starts_on="2026-01-01", ends_on="2026-06-30", due_on="2028-04-30"),
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.title, period.due_on) == ("Neu", dt.date(2028, 4, 30))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2026-12-31"}, "ends_on", "Das Ende muss nach dem Beginn des Zeitraums liegen."),
        ({"ends_on": "2027-01-01"}, "ends_on", "Das Ende muss nach dem Beginn des Zeitraums liegen."),
        ({"due_on": "2027-12-30"}, "due_on", "Die Abgabefrist darf nicht vor dem Ende des Zeitraums liegen."),
        ({"due_on": ""}, "due_on", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_bad_input_saves_nothing(client_for, project_staff, changes, field, message):
    response = client_for(project_staff).post(reverse("reports:period_create"), valid(**changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_bad_edit_saves_nothing(client_for, project_staff, period):
    response = client_for(project_staff).post(
        reverse("reports:period_edit", args=[period.pk]), valid(title="Neu", ends_on="2026-06-30")
    )
    assert response.status_code == 200
    period.refresh_from_db()
    assert period.title == "Zwischenbericht 2026"


def test_narrative_saved_as_draft(client_for, project_staff, period):
    client = client_for(project_staff)
    url = reverse("reports:narrative", args=[period.pk])
    assert client.get(url).status_code == 200
    sections = {
        "summary": "Es lief gut.",
        "activities": "AP 1: Schulungen",
        "deviations": "Keine.",
        "outlook": "Weiter so.",
    }
    response = client.post(url, sections, follow=True)
    assert "Der Entwurf des Sachberichts wurde gespeichert." in response.content.decode()
    report = ProgressReport.objects.get(period=period)
    assert report.status == ReportStatus.DRAFT
    assert report.updated_by == project_staff
    assert {name: getattr(report, name) for name in sections} == sections
    client.post(url, {**sections, "summary": "Geändert."})
    assert ProgressReport.objects.get(period=period).summary == "Geändert."
    assert ProgressReport.objects.count() == 1


# --- overlaps and deleting ------------------------------------------------------------------------

OVERLAP = "Der Zeitraum überschneidet sich mit „Zwischenbericht 2026“ (01.01.2026–30.06.2026)."


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [("2026-06-30", "2026-12-31"), ("2025-07-01", "2026-01-01"), ("2026-02-01", "2026-03-31")],
)
def test_overlapping_period_of_the_same_kind_is_refused_at_the_start(
    client_for, project_staff, period, starts_on, ends_on
):
    response = client_for(project_staff).post(
        reverse("reports:period_create"),
        valid(title="Doppelt", kind="interim", starts_on=starts_on, ends_on=ends_on, due_on="2027-03-31"),
    )
    assert response.status_code == 200
    assert any(OVERLAP in error for error in response.context["form"].errors["starts_on"])
    assert OVERLAP in response.content.decode()
    assert ReportingPeriod.objects.count() == 1


def test_adjacent_periods_and_other_kinds_may_share_days(client_for, project_staff, period):
    client = client_for(project_staff)
    next_half = valid(title="2. Halbjahr", kind="interim", starts_on="2026-07-01", ends_on="2026-12-31")
    final = valid(title="Schluss", kind="final", starts_on="2026-01-01", ends_on="2026-12-31")
    assert client.post(reverse("reports:period_create"), next_half).status_code == 302
    assert client.post(reverse("reports:period_create"), final).status_code == 302
    assert ReportingPeriod.objects.count() == 3


def test_editing_a_period_into_another_is_refused(client_for, project_staff, period):
    other = ReportingPeriod.objects.create(
        title="2. Halbjahr",
        kind=PeriodKind.INTERIM,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 12, 31),
        due_on=dt.date(2027, 2, 28),
    )
    response = client_for(project_staff).post(
        reverse("reports:period_edit", args=[other.pk]),
        valid(title="2. Halbjahr", kind="interim", starts_on="2026-06-01", ends_on="2026-12-31"),
    )
    assert OVERLAP in response.content.decode()
    other.refresh_from_db()
    assert other.starts_on == dt.date(2026, 7, 1)


def test_staff_delete_a_period_without_reports_after_confirming(client_for, project_staff, period):
    ProgressReport.objects.create(period=period, summary="Entwurf")
    client = client_for(project_staff)
    url = reverse("reports:period_delete", args=[period.pk])
    page = client.get(url).content.decode()
    assert "Der Zeitraum und der Entwurf seines Sachberichts werden endgültig gelöscht." in page
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()
    response = client.post(url, follow=True)
    assert "Der Berichtszeitraum „Zwischenbericht 2026“ wurde gelöscht." in response.content.decode()
    assert not ReportingPeriod.objects.exists()
    assert not ProgressReport.objects.exists()


def test_a_period_with_generated_reports_is_kept(client_for, project_staff, period):
    ReportVersion.objects.create(period=period, number=1, requested_by=project_staff)
    client = client_for(project_staff)
    url = reverse("reports:period_delete", args=[period.pk])
    page = client.get(url).content.decode()
    assert "Für diesen Zeitraum wurde bereits 1 Bericht erzeugt." in page
    assert "Jetzt löschen" not in page
    response = client.post(url, follow=True)
    assert "hat bereits erzeugte Berichte und kann nicht gelöscht werden." in response.content.decode()
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()


@pytest.mark.parametrize("who", ["member", "coordinator", "funder"])
def test_only_project_staff_delete_periods(request, client_for, period, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("reports:period_delete", args=[period.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()


def test_delete_page_runs_a_fixed_number_of_queries(client_for, project_staff, period):
    client = client_for(project_staff)
    url = reverse("reports:period_delete", args=[period.pk])
    before = page_queries(client, url)
    ProgressReport.objects.create(period=period, summary="Entwurf")
    for number in (1, 2, 3):
        ReportVersion.objects.create(period=period, number=number, requested_by=project_staff)
    assert page_queries(client, url) == before


@pytest.mark.postgres
def test_postgresql_itself_refuses_overlapping_periods(project_staff, period, monkeypatch):
    """Two requests at the same moment both pass the service's check; the database catches the
    second, and the person gets a message at the field instead of a server error."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(
            title="Direkt",
            kind=PeriodKind.INTERIM,
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 7, 31),
            due_on=dt.date(2026, 9, 30),
        )
    monkeypatch.setattr(services, "_refuse_overlap", lambda period: None)
    with pytest.raises(ValidationError, match="Gerade wurde ein Zeitraum derselben Art angelegt"):
        services.period_create(
            by=project_staff,
            title="Gleichzeitig",
            kind=PeriodKind.INTERIM,
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 7, 31),
            due_on=dt.date(2026, 9, 30),
        )
    assert ReportingPeriod.objects.count() == 1
    # Another kind, or the next half-year, is fine for the database too.
    ReportingPeriod.objects.create(
        title="Schluss",
        kind=PeriodKind.FINAL,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        due_on=dt.date(2027, 3, 31),
    )
