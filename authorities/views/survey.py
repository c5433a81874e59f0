"""The customers' survey: the public pages a customer answers on (no login, nothing of the portal but
the authority's name, every word in the visitor's language) and the coordinator's and project staff's
pages (waves, public link, poster, answers so far, results, comments)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from authorities import documents, rules
from authorities.forms.survey import SurveyAnswerForm, SurveyMeasureForm, WaveForm
from authorities.models.survey import PosterSize, SurveyComment
from authorities.models.survey_words import DEFAULT_LANGUAGE, LANGUAGES, UNCHECKED, words
from authorities.selectors import survey as selectors
from authorities.services import survey as services
from portal.accounts.ratelimit import client_within_limit
from portal.downloads import stored_file_download
from portal.forms import form_errors, message_errors

# --- public: answering ----------------------------------------------------------------------------


def _public_context(wave, code: str) -> dict:
    language = LANGUAGES[code]
    own_words = dict(words(code))
    own_words["too_long"] = str(own_words["too_long"]).format(max=settings.SURVEY_COMMENT_MAX_CHARS)
    return {
        "wave": wave,
        "authority_name": wave.authority.name,
        "language": language,
        "words": own_words,
        "languages": [
            {
                "language": other,
                "url": reverse("survey:answer", args=[wave.key, other.code]),
                "current": other.code == code,
            }
            for other in LANGUAGES.values()
        ],
    }


def _render_public(request, wave, code: str, *, status: int = 200, **context) -> HttpResponse:
    return render(
        request, "authorities/survey/public.html", {**_public_context(wave, code), **context}, status=status
    )


# The signed one-time form token stands in for the CSRF cookie: the public pages set no cookie at all,
# and a forged answer needs a token of a page view just the same.
@csrf_exempt
@login_not_required
@never_cache
def survey_answer(request, key, language=DEFAULT_LANGUAGE):
    wave = selectors.wave_by_key(key)
    if wave is None:
        raise Http404
    if language not in LANGUAGES:
        # The visitor's language is unknown: say so in German, with every language to choose from.
        return _render_public(request, wave, DEFAULT_LANGUAGE, status=404, problem="unknown_language")
    if not wave.is_open():
        return _render_public(request, wave, language, problem="closed")
    items = selectors.public_items(wave, language)
    form = SurveyAnswerForm(request.POST or None, items=items, words=words(language))
    status = 200
    if request.method == "POST":
        if form.is_robot():
            # Looks like success to the robot; nothing is stored.
            return redirect("survey:thanks", wave.key, language)
        if not client_within_limit(
            "survey", request, limit=settings.SURVEY_RATE_LIMIT, window=settings.SURVEY_RATE_WINDOW_SECONDS
        ):
            return _render_public(request, wave, language, status=429, problem="rate")
        if form.is_valid():
            try:
                services.response_submit(
                    wave=wave,
                    token=form.cleaned_data["token"],
                    answers=form.answers(),
                    comment=form.comment(),
                )
            except services.SurveyRefused as refused:
                form = SurveyAnswerForm(items=items, words=words(language), initial=form.cleaned_data)
                return _render_public(
                    request,
                    wave,
                    language,
                    status=403 if refused.reason == "token" else 400,
                    problem=refused.reason,
                    form=form,
                    token=services.form_token(wave),
                )
            return redirect("survey:thanks", wave.key, language)
        status = 400
    return _render_public(request, wave, language, status=status, form=form, token=services.form_token(wave))


@login_not_required
def survey_thanks(request, key, language):
    wave = selectors.wave_by_key(key)
    if wave is None or language not in LANGUAGES:
        raise Http404
    done = selectors.measures_answering(wave.authority, done_only=True)
    return _render_public(request, wave, language, thanks=True, answered=done)


# --- the coordinator and project staff ------------------------------------------------------------


def survey_home(request, pk):
    authority = rules.survey_authority_for(request.user, pk)
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            wave = services.wave_open(authority=authority, by=request.user, **form.cleaned_data)
            messages.success(request, _("Die Welle ist geöffnet: %(wave)s.") % {"wave": wave})
            return redirect("authorities:survey", authority.pk)
    waves = list(selectors.waves_of(authority))
    for wave in waves:
        wave.public_url = request.build_absolute_uri(reverse("survey:answer_de", args=[wave.key]))
        wave.answers_shown = selectors.small(wave.answers)
        wave.results_ready = wave.answers >= settings.SURVEY_MIN_ANSWERS
    context = {
        "authority": authority,
        "waves": waves,
        "form": form,
        "minimum": settings.SURVEY_MIN_ANSWERS,
        "may_release": rules.may_release_comments(request.user),
        "unchecked": [LANGUAGES[code].name for code in sorted(UNCHECKED)],
    }
    return render(request, "authorities/survey/home.html", context)


@require_POST
def wave_close(request, pk, wave_pk):
    wave = rules.wave_for(request.user, pk, wave_pk)
    with message_errors(request):
        services.wave_close(wave=wave, by=request.user)
        messages.success(request, _("Die Welle ist geschlossen."))
    return redirect("authorities:survey", pk)


def wave_results(request, pk, wave_pk):
    wave = rules.wave_for(request.user, pk, wave_pk)
    results = selectors.wave_results(wave)
    may_release = rules.may_release_comments(request.user)
    comments = list(selectors.comments_for(wave, released_only=not may_release)) if results.shown else []
    context = {
        "authority": wave.authority,
        "wave": wave,
        "results": results,
        "minimum": settings.SURVEY_MIN_ANSWERS,
        "comments": comments,
        "may_release": may_release,
        "answered": selectors.measures_answering(wave.authority),
    }
    return render(request, "authorities/survey/results.html", context)


def wave_poster(request, pk, wave_pk, size):
    """The poster (A4) or table card (A6): made by the worker on request, then handed out."""
    wave = rules.wave_for(request.user, pk, wave_pk)
    if size not in PosterSize.values:
        raise Http404
    if request.method == "POST":
        services.poster_request(wave=wave, size=size, by=request.user)
        messages.success(request, _("Der Aushang wird als PDF erstellt."))
        return redirect("authorities:survey_poster", pk, wave_pk, size)
    poster = wave.posters.filter(size=size).first()
    if poster is not None and poster.ready:
        return stored_file_download(poster.file, documents.poster_filename(wave, size), documents.PDF)
    context = {"authority": wave.authority, "wave": wave, "poster": poster, "size": PosterSize(size)}
    return render(request, "authorities/survey/poster.html", context)


def survey_measures(request, pk, wave_pk):
    """Sie sagten – wir taten: measures of the change process name the questions they answer."""
    wave = rules.wave_for(request.user, pk, wave_pk)
    form = SurveyMeasureForm(request.POST or None, wave=wave)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.survey_measure_set(
                measure=form.cleaned_data["measure"], items=list(form.cleaned_data["items"]), by=request.user
            )
            messages.success(request, _("Die Zuordnung wurde gespeichert."))
            return redirect("authorities:survey_measures", pk, wave_pk)
    context = {
        "authority": wave.authority,
        "wave": wave,
        "form": form,
        "answered": selectors.measures_answering(wave.authority),
    }
    return render(request, "authorities/survey/measures.html", context)


@require_POST
def comment_review(request, pk, wave_pk, comment_pk):
    wave = rules.wave_for(request.user, pk, wave_pk)
    comment = get_object_or_404(SurveyComment, wave=wave, pk=comment_pk)
    with message_errors(request):
        services.comment_review(comment=comment, release=request.POST.get("release") == "1", by=request.user)
        messages.success(request, _("Der Kommentar wurde bearbeitet."))
    return redirect("authorities:survey_results", pk, wave_pk)
