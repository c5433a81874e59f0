"""The frame of the indicator page — the projects' starts, the indicators and the reporting periods —
is kept in the cache under the frame generation (portal/facts.py, issue 18): a warm page reads none
of it, and every write to those models, through the pages, the admin or the querysets' bulk writes,
shows on the next view."""

import re
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import facts
from portal.reports.development import periods_begun
from portal.reports.indicator_table import table_cells
from portal.reports.models import FundingProject, Indicator, PeriodKind, ReportingPeriod
from tests.factories import UserFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db

YEAR = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


@pytest.fixture(autouse=True)
def _frame_kept(settings):
    settings.RUNNING_FIGURES_CACHE = True


def _page(client, **params):
    response = client.get(reverse("reports:indicators"), {**YEAR, **params})
    assert response.status_code == 200
    return response


def _row(response, code):
    return next(row for row in response.context["rows"] if row.indicator.code == code)


def _periods(response):
    return response.context["development"].periods


def test_every_model_the_frame_reads_is_of_the_frame(current_project, settings):
    """Derived from the SQL of the reads the cache keeps: each table belongs to a model whose writes
    change the frame generation."""
    settings.RUNNING_FIGURES_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        table_cells(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), state=None)
        periods_begun()
    tables = {name for query in queries for name in re.findall(r'"(\w+)"', query["sql"])}
    read = [model for model in apps.get_models() if model._meta.db_table in tables]
    assert {model._meta.label for model in read} == {
        "reports.FundingProject",
        "reports.Indicator",
        "reports.ReportingPeriod",
    }
    assert all(facts.in_frame(model) and not facts.counts_as_fact(model) for model in read)


def test_a_warm_page_reads_no_frame_and_without_the_shared_cache_reads_it_each_time(
    current_project, client_for, funder, settings
):
    client = client_for(funder)
    url = reverse("reports:indicators")
    client.get(url)  # the session is settled
    cache.clear()
    cold, warm = page_queries(client, url), page_queries(client, url)
    assert cold - warm >= 3  # the projects' starts, the indicators, the periods (and the figures)
    settings.RUNNING_FIGURES_CACHE = False  # the default without CACHE_URL: nothing kept
    assert page_queries(client, url) == page_queries(client, url) > warm + 3


def test_an_indicator_edited_on_its_page_shows_at_once(current_project, client_for, funder, project_staff):
    viewer = client_for(funder)
    indicator = Indicator.objects.get(code="ABH-1")
    assert _row(_page(viewer), "ABH-1").name == indicator.name_de
    data = {
        "code": "ABH-1",
        "name_de": "Neu benannt",
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "computation": indicator.computation,
        "target_total": "77",
        "target_rp": "",
        "target_ni": "",
        "programme": indicator.programme,
        "position": indicator.position,
        "notes": "",
    }
    response = client_for(project_staff).post(reverse("reports:indicator_edit", args=[indicator.pk]), data)
    assert response.status_code == 302
    row = _row(_page(viewer), "ABH-1")
    assert row.name == "Neu benannt"
    assert row.columns[0].cells[2] == "77"


def test_indicators_changed_or_deleted_in_bulk_show_at_once(current_project, client_for, funder):
    viewer = client_for(funder)
    codes = [row.indicator.code for row in _page(viewer).context["rows"]]
    Indicator.objects.filter(code="ABH-1").update(position=999)
    assert [row.indicator.code for row in _page(viewer).context["rows"]][-1] == "ABH-1"
    Indicator.objects.filter(code="ABH-2").delete()
    assert [row.indicator.code for row in _page(viewer).context["rows"]] == [
        *(code for code in codes if code not in ("ABH-1", "ABH-2")),
        "ABH-1",
    ]


def test_an_indicator_deleted_in_the_admin_shows_at_once(current_project, client_for, funder):
    viewer = client_for(funder)
    indicator = Indicator.objects.get(code="ABH-2")
    assert "ABH-2" in [row.indicator.code for row in _page(viewer).context["rows"]]
    admin = client_for(UserFactory(project_staff=True, is_staff=True, is_superuser=True))
    response = admin.post(
        reverse("admin:reports_indicator_changelist"),
        {"action": "delete_selected", "_selected_action": [indicator.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "ABH-2" not in [row.indicator.code for row in _page(viewer).context["rows"]]


def test_a_period_edited_or_deleted_on_its_pages_shows_at_once(
    current_project, client_for, funder, project_staff
):
    viewer = client_for(funder)
    staff = client_for(project_staff)
    second = ReportingPeriod.objects.get(title="2. Halbjahr 2025")
    assert _periods(_page(viewer)) == ["01.01.2025–30.06.2025", "01.07.2025–31.12.2025"]
    edited = {"title": second.title, "kind": second.kind, "starts_on": "2025-07-01"}
    response = staff.post(
        reverse("reports:period_edit", args=[second.pk]),
        {**edited, "ends_on": "2025-11-30", "due_on": "2025-12-31"},
    )
    assert response.status_code == 302
    assert _periods(_page(viewer)) == ["01.01.2025–30.06.2025", "01.07.2025–30.11.2025"]
    response = staff.post(reverse("reports:period_delete", args=[second.pk]))
    assert response.status_code == 302
    assert _periods(_page(viewer)) == ["01.01.2025–30.06.2025"]


def test_periods_created_in_bulk_or_moved_to_another_project_show_at_once(
    current_project, client_for, funder
):
    viewer = client_for(funder)
    ReportingPeriod.objects.filter(title="2. Halbjahr 2025").delete()
    assert _periods(_page(viewer)) == ["01.01.2025–30.06.2025"]
    ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                project=current_project,
                title="Zweites",
                kind=PeriodKind.FINAL,
                starts_on=date(2025, 7, 1),
                ends_on=date(2025, 9, 30),
                due_on=date(2025, 12, 31),
            )
        ]
    )
    assert _periods(_page(viewer)) == ["01.01.2025–30.06.2025", "01.07.2025–30.09.2025"]
    ReportingPeriod.objects.filter(title="Zweites").update(project=None)
    assert _periods(_page(viewer)) == ["01.01.2025–30.06.2025"]


def test_a_project_changed_shows_at_once(current_project, client_for, funder):
    """The start of the current project is where the cumulative values begin; the current project's
    periods are the development's."""
    viewer = client_for(funder)
    assert _page(viewer).context["development"].periods
    start = table_cells(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), state="RP")[1][1]
    assert start[1] == date(2025, 1, 1)  # (key, cumulated from, to, state)
    current_project.starts_on = date(2024, 7, 1)
    current_project.save()  # as the admin's change page does
    start = table_cells(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), state="RP")[1][1]
    assert start[1] == date(2024, 7, 1)
    FundingProject.objects.filter(pk=current_project.pk).update(is_current=False)
    assert _page(viewer).context["development"].periods == []


def test_a_write_shows_to_a_reader_in_the_same_transaction_and_again_after_the_commit(current_project):
    before = facts.frame_generation()
    Indicator.objects.filter(code="ABH-1").update(position=5)
    during = facts.frame_generation()
    assert during != before
    renewals = [f for _ids, f, _robust in connection.run_on_commit if f is facts._new_frame]
    assert len(renewals) == 1
    renewals[0]()
    assert facts.frame_generation() != during


def test_todays_work_leaves_the_frame_and_an_indicator_leaves_the_figures(current_project, mainz):
    frame, figures = facts.frame_generation(), facts.generation()
    UserFactory(authority=mainz)
    assert facts.frame_generation() == frame and facts.generation() != figures
    figures = facts.generation()
    Indicator.objects.filter(code="ABH-1").update(notes="x")
    assert facts.frame_generation() != frame and facts.generation() == figures
