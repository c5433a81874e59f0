"""Writing reporting periods and the narrative drafts of their progress reports (project staff only)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.reports.models import ProgressReport, ReportingPeriod, ReportStatus

PERIOD_FIELDS = ("title", "kind", "starts_on", "ends_on", "due_on")
NARRATIVE_FIELDS = ("summary", "activities", "deviations", "outlook")


def _require_staff(by) -> None:
    if not by.is_project_staff:
        raise PermissionDenied


@transaction.atomic
def period_create(
    *, by, title: str, kind: str, starts_on: dt.date, ends_on: dt.date, due_on: dt.date
) -> ReportingPeriod:
    _require_staff(by)
    period = ReportingPeriod(title=title, kind=kind, starts_on=starts_on, ends_on=ends_on, due_on=due_on)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_update(*, period: ReportingPeriod, by, **changes) -> ReportingPeriod:
    _require_staff(by)
    unknown = set(changes) - set(PERIOD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(period, name, value)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def narrative_save_draft(*, period: ReportingPeriod, by, **sections: str) -> ProgressReport:
    """Save the narrative sections of the period's report as a draft; creates the report on first save."""
    _require_staff(by)
    unknown = set(sections) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown sections: {sorted(unknown)}")
    report, _created = ProgressReport.objects.select_for_update().get_or_create(period=period)
    for name, value in sections.items():
        setattr(report, name, value)
    report.status = ReportStatus.DRAFT
    report.updated_by = by
    report.save()
    return report
