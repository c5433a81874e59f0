"""portal/reports/rules.py over the standing cast: who sees which version of the report PDF."""

import pytest
from django.http import Http404
from django.utils import timezone

from portal.reports.models import ReportingPeriod, ReportVersion, VersionStatus
from portal.reports.rules import downloadable_version_for, visible_periods, visible_versions


@pytest.fixture
def versions(period, project_staff):
    """A released version, a finished draft and a version still queued, all of one period; and a
    second period with a draft only."""
    released = ReportVersion.objects.create(
        period=period, number=1, status=VersionStatus.DONE, released_at=timezone.now()
    )
    draft = ReportVersion.objects.create(period=period, number=2, status=VersionStatus.DONE)
    queued = ReportVersion.objects.create(period=period, number=3)
    other_period = ReportingPeriod.objects.create(
        title="Schlussbericht",
        kind="final",
        starts_on=period.ends_on,
        ends_on=period.due_on,
        due_on=period.due_on,
    )
    ReportVersion.objects.create(period=other_period, number=1, status=VersionStatus.DONE)
    return released, draft, queued, other_period


def test_project_staff_see_every_version_and_every_period(project_staff, versions, period):
    released, draft, queued, other_period = versions
    assert {released, draft, queued} <= set(visible_versions(project_staff))
    assert set(visible_periods(project_staff)) == {period, other_period}


def test_funders_see_released_versions_and_their_periods_only(funder, versions, period):
    released, draft, _queued, _other_period = versions
    assert list(visible_versions(funder)) == [released]
    assert list(visible_periods(funder)) == [period]
    assert downloadable_version_for(funder, released.pk) == released
    with pytest.raises(Http404):
        downloadable_version_for(funder, draft.pk)


def test_authority_staff_see_no_version(member, coordinator, versions):
    for user in (member, coordinator):
        assert not visible_versions(user).exists()
        assert not visible_periods(user).exists()


def test_only_a_finished_version_can_be_downloaded(project_staff, versions):
    _released, draft, queued, _other_period = versions
    assert downloadable_version_for(project_staff, draft.pk) == draft
    with pytest.raises(Http404):
        downloadable_version_for(project_staff, queued.pk)
