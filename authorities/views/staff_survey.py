"""The staff survey: the coordinator opens a wave and names colleagues, who answer the self-check's
statements through a one-time link; the coordinator sees how many answered (never who) and, from
SURVEY_STAFF_MIN_ANSWERS answers, the spread per dimension beside the own self-check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from authorities import rules
from authorities.forms.survey import StaffAnswerForm, StaffInviteForm, StaffWaveForm
from authorities.models.assessment import Statement
from authorities.selectors import staff_survey as selectors
from authorities.services import survey as services
from portal.forms import form_errors


def staff_home(request, pk):
    authority = rules.survey_authority_for(request.user, pk)
    form = StaffWaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            wave = services.staff_wave_open(authority=authority, by=request.user, **form.cleaned_data)
            messages.success(request, _("Die Mitarbeitendenbefragung ist geöffnet."))
            return redirect("authorities:staff_wave", authority.pk, wave.pk)
    context = {
        "authority": authority,
        "waves": selectors.staff_waves_of(authority),
        "form": form,
        "minimum": settings.SURVEY_STAFF_MIN_ANSWERS,
    }
    return render(request, "authorities/survey/staff_home.html", context)


def staff_wave(request, pk, wave_pk):
    wave = rules.staff_wave_for(request.user, pk, wave_pk)
    form = StaffInviteForm(request.POST or None, wave=wave)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            sent = services.staff_invite(
                wave=wave,
                colleagues=list(form.cleaned_data["colleagues"]),
                addresses=form.cleaned_data["addresses"],
                by=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s Einladung wurde gesendet.", "%(count)s Einladungen wurden gesendet.", sent
                )
                % {"count": sent},
            )
            return redirect("authorities:staff_wave", pk, wave_pk)
    counts = selectors.staff_waves_of(wave.authority).get(pk=wave.pk)
    context = {
        "authority": wave.authority,
        "wave": counts,
        "form": form if wave.is_open() else None,
        "results": selectors.staff_results(wave),
        "minimum": settings.SURVEY_STAFF_MIN_ANSWERS,
    }
    return render(request, "authorities/survey/staff_wave.html", context)


def _dimensions(wave):
    return list(
        wave.questionnaire.dimensions.prefetch_related(
            Prefetch("statements", queryset=Statement.objects.order_by("position", "pk"))
        )
    )


# The link is the colleague's only key: no login, nothing stored of the session or the account.
@login_not_required
@never_cache
def staff_answer(request, token) -> HttpResponse:
    invitation = services.staff_invitation_open(token)
    if invitation is None:
        return render(request, "authorities/survey/staff_answer.html", {"closed": True}, status=410)
    wave = invitation.wave
    form = StaffAnswerForm(request.POST if request.method == "POST" else None, dimensions=_dimensions(wave))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_response_submit(token=token, ratings=form.ratings())
        except services.SurveyRefused:
            return render(request, "authorities/survey/staff_answer.html", {"closed": True}, status=410)
        return render(
            request, "authorities/survey/staff_answer.html", {"thanks": True, "authority": wave.authority}
        )
    context = {"form": form, "authority": wave.authority, "wave": wave}
    return render(
        request, "authorities/survey/staff_answer.html", context, status=400 if form.errors else 200
    )
