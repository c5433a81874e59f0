"""The finances of the current funding project, for project staff only: the overview, the plan and
its sources, the Belegliste with corrections, the receipts of funds, the history and the exports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal import xlsx
from portal.downloads import as_download, csv_download, stored_file_download
from portal.forms import form_errors
from portal.permissions import rule_required
from portal.reports.finance import exports, rules, selectors, services
from portal.reports.finance.forms import (
    BudgetLineForm,
    ExpenditureForm,
    FundingSourceForm,
    FundReceiptForm,
    OverviewFilterForm,
    ReversalForm,
)
from portal.reports.finance.models import FundingSource

manage = rule_required(rules.may_manage_finances)
PAGE_SIZE = 100


def _overview(request):
    project = rules.project_for(request.user)
    form = OverviewFilterForm(request.GET)
    as_of = form.filters().get("as_of") or timezone.localdate()
    return form, selectors.finance_overview(project=project, as_of=as_of)


@manage
def overview(request):
    form, data = _overview(request)
    return render(
        request,
        "reports/finance/overview.html",
        {"form": form, "overview": data, "query": request.GET.urlencode()},
    )


@manage
def overview_csv(request):
    _form, data = _overview(request)
    return csv_download(f"finanzuebersicht-{data.as_of:%Y-%m-%d}.csv", exports.overview_rows(data))


@manage
def overview_xlsx(request):
    _form, data = _overview(request)
    response = HttpResponse(exports.overview_xlsx(data), content_type=xlsx.XLSX)
    return as_download(response, f"finanzuebersicht-{data.as_of:%Y-%m-%d}.xlsx")


@manage
def plan(request):
    project = rules.project_for(request.user)
    initial = {"year": timezone.localdate().year}
    form = BudgetLineForm(request.POST or None, action=reverse("finance:plan"), initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.budget_line_set(project=project, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Planansatz wurde gespeichert."))
            return redirect("finance:plan")
    years, grid = selectors.budget_grid(project)
    data = selectors.finance_overview(project=project, as_of=timezone.localdate(), with_units=False)
    context = {"form": form, "project": project, "years": years, "grid": grid, "overview": data}
    return render(request, "reports/finance/plan.html", context)


@manage
def source_edit(request, pk=None):
    project = rules.project_for(request.user)
    source = get_object_or_404(FundingSource, project=project, pk=pk) if pk else None
    # The form writes its input into its instance: a copy keeps `source` as saved, for the history.
    instance = FundingSource.objects.get(pk=source.pk) if source else FundingSource(project=project)
    form = FundingSourceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            data = {name: form.cleaned_data[name] for name in services.SOURCE_FIELDS}
            services.funding_source_save(project=project, source=source, by=request.user, **data)
            messages.success(request, _("Die Finanzierungsquelle wurde gespeichert."))
            return redirect("finance:plan")
    title = _("Finanzierungsquelle bearbeiten") if pk else _("Finanzierungsquelle anlegen")
    context = {"form": form, "title": title, "cancel": reverse("finance:plan")}
    return render(request, "reports/finance/form.html", context)


@manage
def expenditures(request):
    project = rules.project_for(request.user)
    paginator = Paginator(selectors.belegliste(project), PAGE_SIZE)
    # The newest rows are the ones people look for: without a page asked for, the last one.
    page = paginator.get_page(request.GET.get("seite") or paginator.num_pages)
    context = {"page": page, "rows": page.object_list, "total": selectors.belegliste_total(project)}
    return render(request, "reports/finance/expenditures.html", context)


@manage
def expenditure_create(request):
    project = rules.project_for(request.user)
    form = ExpenditureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="receipt"):
            expenditure = services.expenditure_create(project=project, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Die Ausgabe Nr. %(number)s wurde erfasst.") % {"number": expenditure.number}
            )
            return redirect("finance:expenditures")
    context = {"form": form, "title": _("Ausgabe erfassen"), "cancel": reverse("finance:expenditures")}
    return render(request, "reports/finance/form.html", context)


@manage
def expenditure_reverse(request, pk):
    expenditure = rules.expenditure_for(request.user, pk)
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="note"):
            reversal = services.expenditure_reverse(
                expenditure=expenditure, by=request.user, note=form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("Die Ausgabe Nr. %(number)s wurde mit Nr. %(reversal)s storniert.")
                % {"number": expenditure.number, "reversal": reversal.number},
            )
            return redirect("finance:expenditures")
    context = {
        "form": form,
        "title": _("Ausgabe stornieren"),
        "expenditure": expenditure,
        "cancel": reverse("finance:expenditures"),
    }
    return render(request, "reports/finance/form.html", context)


@require_safe
@manage
def expenditure_receipt(request, pk):
    expenditure = rules.expenditure_for(request.user, pk)
    return stored_file_download(expenditure.receipt, expenditure.receipt_name, expenditure.receipt_type)


@manage
def expenditures_xlsx(request):
    project = rules.project_for(request.user)
    response = HttpResponse(exports.belegliste_xlsx(selectors.belegliste(project)), content_type=xlsx.XLSX)
    return as_download(response, f"belegliste-{timezone.localdate():%Y-%m-%d}.xlsx")


@manage
def receipts(request):
    project = rules.project_for(request.user)
    form = FundReceiptForm(request.POST or None, project=project, action=reverse("finance:receipts"))
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.fund_receipt_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Mitteleingang wurde erfasst."))
            return redirect("finance:receipts")
    rows = list(selectors.fund_receipts(project))
    total = sum((row.amount for row in rows), selectors.ZERO)
    return render(request, "reports/finance/receipts.html", {"form": form, "rows": rows, "total": total})


@manage
def history(request):
    project = rules.project_for(request.user)
    events = selectors.finance_history(project)[:200]
    return render(request, "reports/finance/history.html", {"events": events})
