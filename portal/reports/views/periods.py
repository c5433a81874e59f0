"""Reporting periods and the narrative drafts of their reports, for project staff only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.forms import form_errors, message_errors
from portal.permissions import role_required
from portal.reports import services
from portal.reports.forms import NarrativeForm, PeriodForm, VersionRequestForm
from portal.reports.models import ProgressReport, ReportingPeriod
from portal.reports.views.versions import narrative_versions, version_queued_message


@role_required("is_project_staff")
def periods(request):
    today = timezone.localdate()
    rows = [
        {"period": period, "state": period.deadline_state(today), "days_left": (period.due_on - today).days}
        for period in ReportingPeriod.objects.select_related("report")
    ]
    return render(request, "reports/periods/list.html", {"rows": rows})


@role_required("is_project_staff")
def period_create(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            period = services.period_create(by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Der Berichtszeitraum „%(title)s“ wurde angelegt.") % {"title": period.title}
            )
            return redirect("reports:periods")
    return render(
        request, "reports/periods/form.html", {"form": form, "title": _("Berichtszeitraum anlegen")}
    )


@role_required("is_project_staff")
def period_edit(request, pk):
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = PeriodForm(request.POST or None, instance=ReportingPeriod.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.period_update(period=period, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Berichtszeitraum wurde gespeichert."))
            return redirect("reports:periods")
    return render(
        request,
        "reports/periods/form.html",
        {"form": form, "period": period, "title": _("Berichtszeitraum bearbeiten")},
    )


@role_required("is_project_staff")
def period_delete(request, pk):
    """A confirmation page; a period with generated reports cannot be deleted (the page says so)."""
    period = get_object_or_404(ReportingPeriod.objects.select_related("report"), pk=pk)
    if request.method == "POST":
        with message_errors(request):
            services.period_delete(period=period, by=request.user)
            messages.success(
                request, _("Der Berichtszeitraum „%(title)s“ wurde gelöscht.") % {"title": period.title}
            )
        return redirect("reports:periods")
    return render(
        request,
        "reports/periods/delete.html",
        {"period": period, "versions": period.versions.count(), "report": getattr(period, "report", None)},
    )


@role_required("is_project_staff")
def narrative(request, pk):
    period = get_object_or_404(ReportingPeriod, pk=pk)
    report = ProgressReport.objects.filter(period=period).select_related("updated_by").first()
    form = NarrativeForm(request.POST or None, instance=report or ProgressReport(period=period))
    # "Bericht erzeugen" submits this form too (its button belongs to it): save, then generate.
    version_form = VersionRequestForm(request.POST if "generate" in request.POST else None)
    if request.method == "POST" and form.is_valid() and not version_form.is_bound:
        services.narrative_save_draft(period=period, by=request.user, **form.cleaned_data)
        messages.success(request, _("Der Entwurf des Sachberichts wurde gespeichert."))
        return redirect("reports:narrative", period.pk)
    if version_form.is_bound and form.is_valid() and version_form.is_valid():
        version = services.report_generate(
            period=period, by=request.user, state=version_form.cleaned_data["state"], **form.cleaned_data
        )
        messages.success(request, _("Der Entwurf des Sachberichts wurde gespeichert."))
        messages.success(request, version_queued_message(version))
        return redirect(f"{period.get_absolute_url()}#versionen")
    return render(
        request,
        "reports/periods/narrative.html",
        {
            "form": form,
            "period": period,
            "report": report,
            "version_form": version_form,
            **narrative_versions(period),
        },
    )
