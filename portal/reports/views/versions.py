"""Versions of the report PDF: project staff generate them (the worker renders, the page shows the
progress) and release them; funders see and download released versions only."""

from django.contrib import messages
from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.downloads import stored_file_download
from portal.forms import form_errors
from portal.pdf import PDF
from portal.permissions import role_required
from portal.reports import rules, services
from portal.reports.finance.selectors import released_summary
from portal.reports.forms import VersionReleaseForm, VersionRequestForm, VersionWithdrawForm
from portal.reports.models import ReportingPeriod, ReportVersion


@role_required("is_project_staff", "is_funder")
def index(request):
    """The reports per period: released versions for funders, all versions for project staff."""
    versions = rules.visible_versions(request.user).select_related("requested_by", "released_by")
    shown = Prefetch("versions", queryset=versions.order_by("-number"), to_attr="shown")
    periods = rules.visible_periods(request.user).prefetch_related(shown)
    context = {"periods": periods.order_by("-starts_on", "pk"), "finance": _released_finances(request.user)}
    return render(request, "reports/versions/index.html", context)


def _released_finances(user):
    """Funders see the money aggregated, as of the end of the latest period they have a report of."""
    if not user.is_funder:
        return None
    released = rules.visible_versions(user).filter(released_at__isnull=False)
    return released_summary(as_of=released.aggregate(day=Max("period__ends_on"))["day"])


@require_POST
@role_required("is_project_staff")
def version_create(request, pk):
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = VersionRequestForm(request.POST)
    if form.is_valid():
        version = services.version_request(period=period, by=request.user, state=form.cleaned_data["state"])
        messages.success(request, version_queued_message(version))
    else:
        messages.error(request, _("Bitte wählen Sie ein gültiges Gebiet."))
    return redirect(f"{period.get_absolute_url()}#versionen")


@role_required("is_project_staff")
def version_status(request, pk):
    """The row of one version; htmx asks again every second while the worker is at it."""
    version = get_object_or_404(ReportVersion.objects.select_related("requested_by", "released_by"), pk=pk)
    return render(request, "reports/versions/_row.html", {"version": version, "poll": True})


@role_required("is_project_staff")
def version_release(request, pk):
    version = get_object_or_404(ReportVersion.objects.select_related("period"), pk=pk)
    # Bound on every POST: the plain release posts nothing but the token.
    form = VersionReleaseForm(request.POST if request.method == "POST" else None, version=version)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.version_release(
                version=version,
                by=request.user,
                interim_confirmed=form.cleaned_data.get("interim_confirmed", False),
            )
            messages.success(
                request,
                _("Version %(number)s ist freigegeben; die Fördermittelgeber können sie jetzt herunterladen.")
                % {"number": version.number},
            )
            return redirect(f"{version.period.get_absolute_url()}#versionen")
    return render(request, "reports/versions/release.html", {"version": version, "form": form})


@role_required("is_project_staff")
def version_withdraw(request, pk):
    version = get_object_or_404(ReportVersion.objects.select_related("period"), pk=pk)
    form = VersionWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.version_withdraw(version=version, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Version %(number)s ist zurückgezogen; die Fördermittelgeber sehen sie mit Ihrem Grund.")
                % {"number": version.number},
            )
            return redirect(f"{version.period.get_absolute_url()}#versionen")
    return render(request, "reports/versions/withdraw.html", {"version": version, "form": form})


@role_required("is_project_staff", "is_funder")
def version_download(request, pk):
    version = rules.downloadable_version_for(request.user, pk)
    response = stored_file_download(version.file, version.filename(), PDF)
    # The checksum lets a funder compare the file with the one named on the portal's page.
    response["X-Checksum-SHA256"] = version.sha256
    return response


def version_queued_message(version: ReportVersion) -> str:
    return _(
        "Version %(number)s des Berichts wird erstellt. Der Fortschritt erscheint unten auf dieser Seite."
    ) % {"number": version.number}


def narrative_versions(period: ReportingPeriod) -> dict:
    """What the narrative page shows about the versions of its period."""
    return {"versions": period.versions.select_related("requested_by", "released_by").order_by("-number")}
