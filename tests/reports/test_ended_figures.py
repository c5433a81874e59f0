"""Figures of ended periods rest on dated facts: compute_many keeps them in the cache, never a running
period's (issue 15: the indicator page at ten times the data)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from authorities.models import ParticipationStatus, StatusChange
from network.models import Document, DocumentDownload
from portal.reports.computations import REGISTRY, compute, compute_many
from tests.factories import UserFactory
from tests.helpers import at

pytestmark = pytest.mark.django_db

YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def _cells(date_from, date_to):
    return [(key, date_from, date_to, state) for key in REGISTRY for state in (None, "RP", "NI")]


def test_an_ended_period_is_counted_once_then_read_from_the_cache(both_states):
    cells = _cells(*YEAR_2025)
    with CaptureQueriesContext(connection) as first:
        counted = compute_many(cells)
    with CaptureQueriesContext(connection) as second:
        again = compute_many(cells)
    assert any(counted) and again == counted
    assert len(first) > 0 and len(second) == 0


def test_work_today_leaves_an_ended_period_as_it_was_cached_or_not(both_states, mainz):
    cells = _cells(*YEAR_2025)
    before = compute_many(cells)
    StatusChange.objects.create(
        authority=mainz,
        from_status=ParticipationStatus.PARTICIPATING,
        to_status=ParticipationStatus.WITHDRAWN,
        day=timezone.localdate(),
    )
    DocumentDownload.objects.create(
        document=Document.objects.get(), user=UserFactory(authority=mainz), day=timezone.localdate()
    )
    assert compute_many(cells) == before
    cache.clear()
    assert compute_many(cells) == before
    assert [compute(key, date_from=f, date_to=t, state=s) for key, f, t, s in cells] == before


@pytest.mark.parametrize("days_left", [0, 30])  # a period ending today has not ended yet
def test_without_a_shared_cache_a_running_period_is_counted_afresh_every_time(
    both_states, mainz, days_left, settings
):
    settings.RUNNING_FIGURES_CACHE = False  # the default without CACHE_URL
    today = timezone.localdate()
    cells = [("documents_downloaded", today - timedelta(days=30), today + timedelta(days=days_left), None)]
    assert compute_many(cells) == [0]
    DocumentDownload.objects.create(
        document=Document.objects.get(), user=UserFactory(authority=mainz), day=today
    )
    with CaptureQueriesContext(connection) as queries:
        assert compute_many(cells) == [1]
    assert len(queries) == 1


def test_a_period_read_as_of_a_moment_in_it_is_not_kept(both_states):
    """A version of a running period (read as of a moment before its end) leaves nothing in the
    cache that a later reading of the ended period could take."""
    cells = _cells(*YEAR_2025)
    compute_many(cells, as_of=at(date(2025, 6, 3), 12))
    with CaptureQueriesContext(connection) as queries:
        later = compute_many(cells)
    assert len(queries) > 0
    assert later == [compute(key, date_from=f, date_to=t, state=s) for key, f, t, s in cells]
