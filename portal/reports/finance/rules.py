"""Who sees and keeps the finances: project staff only. Authority staff never; funders read the
money only aggregated, in the released report's annex (portal/reports/rules.py decides those)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.accounts.models import User
from portal.reports.finance.models import Expenditure
from portal.reports.finance.selectors import funding_projects


def may_manage_finances(user: User) -> bool:
    return bool(getattr(user, "is_project_staff", False))


def check_manage(user: User) -> None:
    if not may_manage_finances(user):
        raise PermissionDenied


def project_for(user: User, pk: int | None = None):
    """The funding project `pk` (default: the current one) for project staff; 403 for everyone else,
    404 when there is none. Its `choices` are all projects, the current one first, from the same
    query (every finance page offers them)."""
    check_manage(user)
    choices = list(funding_projects().order_by("-is_current", "-starts_on", "pk"))
    if pk is None:
        project = next((choice for choice in choices if choice.is_current), None)
    else:
        project = next((choice for choice in choices if choice.pk == pk), None)
    if project is None:
        raise Http404("no such funding project")
    project.choices = choices
    return project


def expenditure_for(user: User, pk: int, project) -> Expenditure:
    check_manage(user)
    return get_object_or_404(
        Expenditure.objects.select_related("project", "category"), pk=pk, project=project
    )
