"""Project staff keep the indicators: names, units, targets, the programme frame, the mapping to
programme indicators and which computation counts them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.permissions import role_required
from portal.reports import services
from portal.reports.forms import IndicatorForm
from portal.reports.models import Indicator


@role_required("is_project_staff")
def indicator_list(request):
    return render(
        request,
        "reports/indicators/list.html",
        {"indicators": Indicator.objects.prefetch_related("mappings__programme_indicator")},
    )


@role_required("is_project_staff")
def indicator_edit(request, pk=None):
    indicator = get_object_or_404(Indicator, pk=pk) if pk else Indicator()
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_save(
            indicator=form.instance,
            by=request.user,
            programme_indicators=form.cleaned_data["programme_indicators"],
            mappings_checked=form.cleaned_data["mappings_checked"],
        )
        messages.success(
            request, _("Der Indikator „%(code)s“ wurde gespeichert.") % {"code": form.instance.code}
        )
        return redirect("reports:indicator_list")
    title = _("Indikator bearbeiten") if pk else _("Indikator anlegen")
    return render(request, "reports/indicators/form.html", {"form": form, "title": title})
