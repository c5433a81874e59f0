"""The finances of a funding project (the current one by default, any other under its own address), for
project staff only: the overview, the plan with its sources and work packages, the Belegliste with
corrections, the receipts of funds, the history and the exports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    WorkPackageForm,
)
from portal.reports.finance.links import finance_url

manage = rule_required(rules.may_manage_finances)
PAGE_SIZE = 100


def _render(request, template: str, project, context: dict):
    """A finance page: its project, and the projects to choose from (rules.project_for found them)."""
    return render(request, template, {"project": project, "projects": project.choices, **context})


def _overview(request, project_pk):
    project = rules.project_for(request.user, project_pk)
    form = OverviewFilterForm(request.GET)
    as_of = form.filters().get("as_of") or timezone.localdate()
    return form, selectors.finance_overview(project=project, as_of=as_of)


@manage
def overview(request, project_pk=None):
    form, data = _overview(request, project_pk)
    context = {"form": form, "overview": data, "query": request.GET.urlencode()}
    return _render(request, "reports/finance/overview.html", data.project, context)


@manage
def overview_csv(request, project_pk=None):
    _form, data = _overview(request, project_pk)
    return csv_download(f"finanzuebersicht-{data.as_of:%Y-%m-%d}.csv", exports.overview_rows(data))


@manage
def overview_xlsx(request, project_pk=None):
    _form, data = _overview(request, project_pk)
    response = HttpResponse(exports.overview_xlsx(data), content_type=xlsx.XLSX)
    return as_download(response, f"finanzuebersicht-{data.as_of:%Y-%m-%d}.xlsx")


@manage
def plan(request, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    initial = {"year": timezone.localdate().year}
    form = BudgetLineForm(request.POST or None, action=finance_url("plan", project), initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.budget_line_set(project=project, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Planansatz wurde gespeichert."))
            return redirect(finance_url("plan", project))
    years, grid = selectors.budget_grid(project)
    data = selectors.finance_overview(project=project, as_of=timezone.localdate(), with_units=False)
    context = {
        "form": form,
        "years": years,
        "grid": grid,
        "overview": data,
        "work_packages": selectors.work_packages(project),
    }
    return _render(request, "reports/finance/plan.html", project, context)


def _plan_item_view(form_class, *, fields, save, argument, saved, titles):
    """The view that creates or edits a part of the plan (a source, a work package) through its
    service (`save`, which takes the item as `argument`) and leads back to the plan."""

    @manage
    def edit(request, pk=None, project_pk=None):
        project = rules.project_for(request.user, project_pk)
        model = form_class._meta.model
        item = get_object_or_404(model, project=project, pk=pk) if pk else None
        # The form writes its input into its instance: a copy keeps `item` as saved, for the history.
        instance = model.objects.get(pk=item.pk) if item else model(project=project)
        form = form_class(request.POST or None, instance=instance)
        if request.method == "POST" and form.is_valid():
            with form_errors(form):
                data = {name: form.cleaned_data[name] for name in fields}
                save(project=project, by=request.user, **{argument: item}, **data)
                messages.success(request, saved)
                return redirect(finance_url("plan", project))
        title = titles[0] if pk else titles[1]
        context = {"form": form, "title": title, "cancel": finance_url("plan", project)}
        return _render(request, "reports/finance/form.html", project, context)

    return edit


source_edit = _plan_item_view(
    FundingSourceForm,
    fields=services.SOURCE_FIELDS,
    save=services.funding_source_save,
    argument="source",
    saved=gettext_lazy("Die Finanzierungsquelle wurde gespeichert."),
    titles=(gettext_lazy("Finanzierungsquelle bearbeiten"), gettext_lazy("Finanzierungsquelle anlegen")),
)
work_package_edit = _plan_item_view(
    WorkPackageForm,
    fields=services.WORK_PACKAGE_FIELDS,
    save=services.work_package_save,
    argument="package",
    saved=gettext_lazy("Das Arbeitspaket wurde gespeichert."),
    titles=(gettext_lazy("Arbeitspaket bearbeiten"), gettext_lazy("Arbeitspaket anlegen")),
)


@manage
def expenditures(request, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    paginator = Paginator(selectors.belegliste(project), PAGE_SIZE)
    # The newest rows are the ones people look for: without a page asked for, the last one.
    page = paginator.get_page(request.GET.get("seite") or paginator.num_pages)
    context = {"page": page, "rows": page.object_list, "total": selectors.belegliste_total(project)}
    return _render(request, "reports/finance/expenditures.html", project, context)


@manage
def expenditure_create(request, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    form = ExpenditureForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="receipt"):
            expenditure = services.expenditure_create(project=project, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Die Ausgabe Nr. %(number)s wurde erfasst.") % {"number": expenditure.number}
            )
            return redirect(finance_url("expenditures", project))
    context = {"form": form, "title": _("Ausgabe erfassen"), "cancel": finance_url("expenditures", project)}
    return _render(request, "reports/finance/form.html", project, context)


@manage
def expenditure_reverse(request, pk, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    expenditure = rules.expenditure_for(request.user, pk, project)
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
            return redirect(finance_url("expenditures", project))
    context = {
        "form": form,
        "title": _("Ausgabe stornieren"),
        "expenditure": expenditure,
        "cancel": finance_url("expenditures", project),
    }
    return _render(request, "reports/finance/form.html", project, context)


@require_safe
@manage
def expenditure_receipt(request, pk, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    expenditure = rules.expenditure_for(request.user, pk, project)
    return stored_file_download(expenditure.receipt, expenditure.receipt_name, expenditure.receipt_type)


@manage
def expenditures_xlsx(request, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    response = HttpResponse(exports.belegliste_xlsx(selectors.belegliste(project)), content_type=xlsx.XLSX)
    return as_download(response, f"belegliste-{timezone.localdate():%Y-%m-%d}.xlsx")


@manage
def receipts(request, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    form = FundReceiptForm(request.POST or None, project=project, action=finance_url("receipts", project))
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.fund_receipt_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Mitteleingang wurde erfasst."))
            return redirect(finance_url("receipts", project))
    rows = list(selectors.fund_receipts(project))
    total = sum((row.amount for row in rows), selectors.ZERO)
    context = {"form": form, "rows": rows, "total": total}
    return _render(request, "reports/finance/receipts.html", project, context)


@manage
def history(request, project_pk=None):
    project = rules.project_for(request.user, project_pk)
    events = selectors.finance_history(project)[:200]
    return _render(request, "reports/finance/history.html", project, {"events": events})
