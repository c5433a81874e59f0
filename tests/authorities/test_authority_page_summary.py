"""An authority's page: the running process with its sizes and all earlier processes, read in one
query however many there are."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from authorities.models import ProcessStatus
from tests.factories import ChangeProcessFactory, GoalFactory, MeasureFactory, MilestoneFactory


def _page(client, authority):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(authority.get_absolute_url())
    assert response.status_code == 200
    return response.text, len(queries)


def test_summary_shows_sizes_and_earlier_processes_with_constant_queries(
    client_for, project_staff, mainz, process
):
    client = client_for(project_staff)
    GoalFactory(process=process)
    MeasureFactory(process=process)
    _text, before = _page(client, mainz)

    for year in (2022, 2023):
        ChangeProcessFactory(authority=mainz, started_on=dt.date(year, 1, 1), status=ProcessStatus.COMPLETED)
    GoalFactory(process=process)
    MeasureFactory.create_batch(2, process=process)
    MilestoneFactory(process=process)
    text, after = _page(client, mainz)

    # Session, user, authority, processes with their sizes, contacts, status changes, history.
    assert after == before <= 7
    assert "2 Ziele, 3 Maßnahmen, 1 Meilenstein" in text
    # Newest first: the running one (2026), then 2023 and 2022.
    starts = [text.index(f"Beginn {day}") for day in ("01.03.2026", "01.01.2023", "01.01.2022")]
    assert starts == sorted(starts)
