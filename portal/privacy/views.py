from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.downloads import as_download
from portal.permissions import role_required
from portal.privacy import erasure, export, rules
from portal.privacy.forms import EraseConfirmForm, SecurityLogFilterForm
from portal.privacy.models import SecurityEvent

LOG_PAGE_SIZE = 50


def own_data_export(request):
    """Art. 15/20 DSGVO: everything about the person asking, as JSON (logged as an export)."""
    response = HttpResponse(export.as_json(request.user), content_type="application/json; charset=utf-8")
    return as_download(response, export.filename(request.user))


@role_required("is_project_staff")
def person_erase(request, pk):
    person = get_object_or_404(get_user_model().objects.select_related("authority"), pk=pk)
    if person.is_erased:
        messages.info(request, _("Die Daten dieses Kontos wurden bereits gelöscht."))
        return redirect("accounts:user_list")
    own_account = not rules.may_erase(request.user, person)
    remaining = [] if own_account else erasure.erasure_remaining(person)
    form = EraseConfirmForm(
        request.POST if request.method == "POST" else None,
        remaining=remaining,
        first_name=person.first_name.split()[0] if person.first_name.strip() else "",
    )
    if request.method == "POST" and not own_account and form.is_valid():
        erasure.person_erase(
            user=person, by=request.user, request=request, redact=form.cleaned_data.get("redact", [])
        )
        messages.success(
            request,
            _(
                "Die personenbezogenen Daten von Konto Nr. %(id)s wurden gelöscht. Das Konto bleibt "
                "pseudonymisiert (ohne Namen, mit Behörde und Rolle) für die Zahlen der Berichte erhalten."
            )
            % {"id": person.pk},
        )
        return redirect("accounts:user_list")
    return render(
        request,
        "privacy/erase_confirm.html",
        {
            "person": person,
            "form": form,
            "own_account": own_account,
            "remaining": remaining,
            "remaining_limit": erasure.REMAINING_LIMIT,
            "warning": erasure.erasure_warning(),
            "preview": erasure.erasure_preview(person),
            "title": _("Personenbezogene Daten löschen"),
        },
    )


@role_required("is_project_staff")
def security_log(request):
    form = SecurityLogFilterForm(request.GET)
    events = form.apply(SecurityEvent.objects.for_log_page())
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "privacy/security_log.html", {"form": form, "page": page})
