"""The overview of all change processes for project staff (with XLSX export) and the measure plan of
one authority as a PDF.

The PDF is made by the worker (authorities/tasks.py); these views only ask for it and hand out the
stored file to those who may have it. Everyone else gets 404, as elsewhere in the portal.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from authorities import documents
from authorities.forms.overview import ProcessOverviewFilterForm
from authorities.models.overview import MeasurePlanDocument
from authorities.models.process import ChangeProcess, Field, MeasureStatus
from authorities.models.registry import State
from authorities.selectors import overview as selectors
from authorities.services import overview as services
from portal.accounts.permissions import role_required
from portal.downloads import as_download, stored_file_download


@role_required("is_project_staff")
def process_overview(request):
    form = ProcessOverviewFilterForm(request.GET)
    filters = form.filters()
    rows = list(selectors.overview_rows(filters))
    context = {
        "form": form,
        "rows": rows,
        "state_label": dict(State.choices).get(filters.get("state")),
        "statuses": MeasureStatus.choices,
        "fields": Field.choices,
        **selectors.process_figures(state=filters.get("state")),
    }
    return render(request, "authorities/overview/processes.html", context)


@role_required("is_project_staff")
def process_overview_xlsx(request):
    form = ProcessOverviewFilterForm(request.GET)
    filename, mimetype, content = documents.overview_xlsx(selectors.overview_rows(form.filters()))
    return as_download(HttpResponse(content, content_type=mimetype), filename)


# --- the measure plan as a PDF ---------------------------------------------------------------------


def _running_process(user, authority_pk) -> ChangeProcess:
    """The authority's running process if the user may see it: project staff and the authority's own staff."""
    return get_object_or_404(
        ChangeProcess.objects.visible_to(user).active().select_related("authority", "coach"),
        authority_id=authority_pk,
    )


def _may_request(user, process: ChangeProcess) -> bool:
    return user.is_project_staff or (user.is_coordinator and user.authority_id == process.authority_id)


def measure_plan(request, pk):
    """The page of the PDF: made when, being made, or not yet; with the button to make it anew."""
    process = _running_process(request.user, pk)
    if request.method == "POST":
        if not _may_request(request.user, process):
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
        "may_request": _may_request(request.user, process),
    }
    return render(request, "authorities/overview/measure_plan.html", context, status=status)


def measure_plan_pdf(request, pk):
    process = _running_process(request.user, pk)
    document = MeasurePlanDocument.objects.filter(process=process).first()
    if document is None or not document.ready:
        # Not requested yet, or still being made: the page says which (and offers the button).
        return _measure_plan_page(request, process)
    return stored_file_download(document.file, documents.measure_plan_filename(process), documents.PDF)
