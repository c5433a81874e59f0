"""The overview of all change processes for project staff (with XLSX export) and the measure plan of
one authority as a PDF. See authorities/urls.py.

The PDF is made by the worker (authorities/tasks.py); these views only queue it and hand out the
stored file to those who may have it. Everyone else gets 404, as elsewhere in the portal.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from authorities import process_documents, selectors, tasks
from authorities.models import ChangeProcess, Field, MeasurePlanDocument, MeasureStatus, Phase, State
from portal.accounts.models import Role, User
from portal.accounts.permissions import role_required
from portal.downloads import as_download, stored_file_download
from portal.forms import FilterForm


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ProcessOverviewFilterForm(FilterForm):
    state = forms.ChoiceField(
        label=gettext_lazy("Land"),
        choices=[("", gettext_lazy("Alle Länder")), *State.choices],
        required=False,
    )
    coach = CoachChoiceField(
        label=gettext_lazy("Prozessbegleitung"),
        queryset=User.objects.filter(role=Role.PROJECT_STAFF, is_active=True).order_by(
            "last_name", "first_name", "email"
        ),
        empty_label=gettext_lazy("Alle"),
        required=False,
    )
    phase = forms.TypedChoiceField(
        label=gettext_lazy("Phase"),
        choices=[("", gettext_lazy("Alle Phasen")), *Phase.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


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
    filename, mimetype, content = process_documents.overview_xlsx(selectors.overview_rows(form.filters()))
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
        tasks.measure_plan_request(process=process, by=request.user)
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
    return stored_file_download(
        document.file, process_documents.measure_plan_filename(process), process_documents.PDF
    )


urlpatterns = [
    path("prozesse/", process_overview, name="process_overview"),
    path("prozesse/export.xlsx", process_overview_xlsx, name="process_overview_xlsx"),
    path("<id:pk>/massnahmenplan/", measure_plan, name="measure_plan"),
    path("<id:pk>/massnahmenplan.pdf", measure_plan_pdf, name="measure_plan_pdf"),
]
