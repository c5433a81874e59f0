"""The overview of all change processes for project staff (with XLSX export) and the measure plan of
one authority as a PDF.

The PDF is made by the worker (authorities/tasks.py); these views only ask for it and hand out the
stored file to those who may have it. Everyone else gets 404, as elsewhere in the portal.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from authorities import documents, rules
from authorities.forms.overview import ProcessOverviewFilterForm
from authorities.models.overview import MeasurePlanDocument
from authorities.models.process import Field, MeasureStatus
from authorities.models.registry import State
from authorities.rules import running_process_for
from authorities.selectors import overview as selectors
from authorities.services import overview as services
from portal.downloads import as_download, stored_file_download
from portal.permissions import rule_required


@rule_required(rules.may_see_process_overview)
def process_overview(request):
    form = ProcessOverviewFilterForm(request.GET)
    filters = form.filters()
    page = selectors.overview_page(filters)
    context = {
        "form": form,
        "count": page.count,
        "rows": page.rows,
        "state_label": dict(State.choices).get(filters.get("state")),
        "statuses": MeasureStatus.choices,
        "fields": Field.choices,
        **page.figures,
    }
    return render(request, "authorities/overview/processes.html", context)


@rule_required(rules.may_see_process_overview)
def process_overview_xlsx(request):
    form = ProcessOverviewFilterForm(request.GET)
    filename, mimetype, content = documents.overview_xlsx(selectors.overview_rows(form.filters()))
    return as_download(HttpResponse(content, content_type=mimetype), filename)


# --- the measure plan as a PDF ---------------------------------------------------------------------


def measure_plan(request, pk):
    """The page of the PDF: made when, being made, or not yet; with the button to make it anew."""
    process = running_process_for(request.user, pk)
    if request.method == "POST":
        if not rules.may_request_measure_plan(request.user, process):
            raise PermissionDenied
        services.measure_plan_request(process=process, by=request.user)
        messages.success(request, _("Der Maßnahmenplan wird als PDF erstellt."))
        return redirect("authorities:measure_plan_pdf", pk)
    return _measure_plan_page(request, process)


def _measure_plan_page(request, process, status=200):
    document = MeasurePlanDocument.objects.filter(process=process).first()
    context = {
        "process": process,
        "authority": process.authority,
        "document": document,
        "may_request": rules.may_request_measure_plan(request.user, process),
    }
    return render(request, "authorities/overview/measure_plan.html", context, status=status)


def measure_plan_pdf(request, pk):
    process = running_process_for(request.user, pk)
    document = MeasurePlanDocument.objects.filter(process=process).first()
    if document is None or not document.ready:
        # Not requested yet, or still being made: the page says which (and offers the button).
        return _measure_plan_page(request, process)
    return stored_file_download(document.file, documents.measure_plan_filename(process), documents.PDF)
