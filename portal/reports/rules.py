"""Who sees which version of the report PDF: the one rule of the funder area, used by the page that
lists the reports and by the download.

Project staff see every version, drafts included; funders see a version once project staff released
it (generating never releases). Nobody else sees a version (the views let only these two roles in;
the rule does not count on that).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User
from portal.reports.models import ReportingPeriod, ReportVersion, VersionStatus


def sees_unreleased_versions(user: User) -> bool:
    return user.is_project_staff


def visible_versions(user: User) -> QuerySet[ReportVersion]:
    versions = ReportVersion.objects.all()
    if sees_unreleased_versions(user):
        return versions
    if user.is_funder:
        return versions.filter(released_at__isnull=False)
    return versions.none()


def visible_periods(user: User) -> QuerySet[ReportingPeriod]:
    """The periods with a version the user sees (project staff: every period, even one without)."""
    periods = ReportingPeriod.objects.all()
    if sees_unreleased_versions(user):
        return periods
    return periods.filter(pk__in=visible_versions(user).values("period"))


def downloadable_version_for(user: User, pk: int) -> ReportVersion:
    """A finished version the user sees, else 404 (a draft is no secret to project staff, but there is
    no file before the worker is done)."""
    versions = visible_versions(user).filter(status=VersionStatus.DONE).select_related("period")
    return get_object_or_404(versions, pk=pk)
