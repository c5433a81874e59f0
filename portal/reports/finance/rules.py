"""Who sees and keeps the finances: project staff only. Authority staff never; funders read the
money only aggregated, in the released report's annex (portal/reports/rules.py decides those)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.accounts.models import User
from portal.reports.finance.models import Expenditure
from portal.reports.finance.selectors import current_project, funding_projects


def may_manage_finances(user: User) -> bool:
    return bool(getattr(user, "is_project_staff", False))


def check_manage(user: User) -> None:
    if not may_manage_finances(user):
        raise PermissionDenied


def project_for(user: User, pk: int | None = None):
    """The funding project `pk` (default: the current one) for project staff; 403 for everyone else,
    404 when there is none."""
    check_manage(user)
    if pk is not None:
        return get_object_or_404(funding_projects(), pk=pk)
    project = current_project()
    if project is None:
        raise Http404("no current funding project")
    return project


def expenditure_for(user: User, pk: int, project) -> Expenditure:
    check_manage(user)
    return get_object_or_404(
        Expenditure.objects.select_related("project", "category"), pk=pk, project=project
    )
