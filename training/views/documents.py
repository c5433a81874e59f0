"""Downloads of the training app: calendar files, PDFs, spreadsheets (renderers in training/documents.py).

PDFs are made by the worker (training/tasks.py); these views only ask for them (through
training/services/documents.py) and hand out the stored files to those who may have them. Everything
else answers 404, as elsewhere in the portal.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.downloads import as_download, stored_file_download
from portal.links import absolute_url
from portal.permissions import rule_required
from training import documents, ics, rules
from training.models import CalendarToken, Certificate, CourseDate, Enrollment
from training.services import documents as services


def _file_response(stored, filename: str):
    return stored_file_download(stored.file, filename, documents.PDF)


def _pending(request, *, title: str, back_url: str):
    return render(request, "training/documents/pending.html", {"title": title, "back_url": back_url})


# --- calendar -------------------------------------------------------------------------------------


def course_ics(request, pk):
    course = rules.course_for(request.user, pk)
    content = ics.course_calendar(course, with_trainers=not request.user.is_funder)
    response = HttpResponse(content, content_type=f"{ics.MIMETYPE}; charset=utf-8")
    return as_download(response, ics.filename(course))


@login_not_required
def calendar_feed(request, token):
    """The personal feed for calendar programs, which cannot log in: the secret token is the key."""
    calendar_token = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    )
    response = HttpResponse(
        ics.personal_calendar(calendar_token.user), content_type=f"{ics.MIMETYPE}; charset=utf-8"
    )
    response["X-Robots-Tag"] = "noindex"
    return as_download(response, "schulungen.ics")


@rule_required(rules.may_take_part)
def calendar_settings(request):
    if request.method == "POST":
        # A new token: the old link stops working at once (e.g. after it was shared by mistake).
        _token, created = CalendarToken.objects.update_or_create(
            user=request.user, defaults={"token": secrets.token_urlsafe(32)}
        )
        if created:  # the first link replaces nothing
            messages.success(request, _("Ihr Kalender-Link ist erstellt."))
        else:
            messages.success(
                request, _("Ihr Kalender-Link ist neu erstellt. Der bisherige Link gilt nicht mehr.")
            )
        return redirect("training:calendar_settings")
    calendar_token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = (
        absolute_url(reverse("training:calendar_feed", args=[calendar_token.token]))
        if calendar_token
        else None
    )
    return render(request, "training/documents/calendar_settings.html", {"feed_url": feed_url})


# --- certificates -----------------------------------------------------------------------------


def certificate(request, enrollment_pk):
    enrollment = rules.certificate_enrollment_for(request.user, enrollment_pk)
    stored = Certificate.objects.filter(enrollment=enrollment).first()
    if stored is None:
        raise Http404
    if not stored.ready:
        return _pending(
            request,
            title=_("Die Teilnahmebescheinigung wird erstellt"),
            back_url=enrollment.course.get_absolute_url(),
        )
    return _file_response(stored, documents.certificate_filename(enrollment))


@require_POST
@rule_required(rules.may_manage_courses)
def certificates_issue(request, pk):
    course = rules.course_for(request.user, pk)
    count = services.certificates_issue(course=course, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s Teilnahmebescheinigung wird erstellt.",
                "%(count)s Teilnahmebescheinigungen werden erstellt.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.warning(request, _("Noch niemand hat an einem Termin teilgenommen."))
    return redirect("training:documents", course.pk)


# --- sign-in sheets -----------------------------------------------------------------------------


@require_POST
@rule_required(rules.may_manage_courses)
def sign_in_sheet_request(request, pk, date_pk):
    course_date = rules.course_date_for(request.user, pk, date_pk)
    services.sign_in_sheet_request(course_date=course_date, by=request.user)
    messages.success(request, _("Die Unterschriftenliste wird erstellt."))
    return redirect("training:documents", pk)


@rule_required(rules.may_manage_courses)
def sign_in_sheet(request, pk, date_pk):
    stored = rules.sign_in_sheet_for(request.user, pk, date_pk)
    if not stored.ready:
        return _pending(
            request,
            title=_("Die Unterschriftenliste wird erstellt"),
            back_url=reverse("training:documents", args=[pk]),
        )
    return _file_response(stored, documents.sign_in_sheet_filename(stored.course_date))


# --- the course's documents, for project staff ---------------------------------------------------


@rule_required(rules.may_manage_courses)
def course_documents(request, pk):
    course = rules.course_for(request.user, pk)
    dates = CourseDate.objects.filter(course=course).select_related("sign_in_sheet").order_by("starts_at")
    attendees = (
        Enrollment.objects.filter(course=course, attendances__present=True)
        .select_related("participant", "participant__authority", "certificate")
        .annotate(attended=Count("attendances", filter=Q(attendances__present=True), distinct=True))
        .order_by("participant__last_name", "participant__first_name", "pk")
        .distinct()
    )
    return render(
        request,
        "training/documents/course.html",
        {"course": course, "dates": dates, "attendees": attendees},
    )


@rule_required(rules.may_manage_courses)
def participants_xlsx(request, pk):
    course = rules.course_for(request.user, pk)
    filename, mimetype, content = documents.participants_xlsx(course)
    return as_download(HttpResponse(content, content_type=mimetype), filename)
