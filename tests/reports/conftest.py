"""The reporting period most report tests use: the first half of 2026, due at the end of August."""

from datetime import date

import pytest

from portal.reports.models import PeriodKind, ReportingPeriod


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(
        title="Zwischenbericht 2026",
        kind=PeriodKind.INTERIM,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        due_on=date(2026, 8, 31),
    )


@pytest.fixture
def funding_project(db):
    """The current funding project the finances belong to: 2025 to 2027."""
    from portal.reports.models import FundingProject, Programme

    return FundingProject.objects.create(
        title="Willkommenskultur in Ausländerbehörden",
        programme=Programme.AMIF_2021_2027,
        beneficiary="ism Mainz",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        is_current=True,
    )
