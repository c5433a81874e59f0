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
