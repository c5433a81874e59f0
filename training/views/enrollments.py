"""Who holds a seat: enrolling oneself or a colleague, cancelling, corrections after the start,
confirming requests, the participant list with its export, attendance and "Meine Schulungen"."""

from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.downloads import csv_download
from portal.forms import AttendanceForm, CorrectionForm, chosen_colleague, form_errors, message_errors
from portal.links import reverse_each
from portal.pagination import counted_page
from portal.permissions import rule_required
from training import rules
from training.forms import ColleagueFinder, CourseMessageForm, enrollable_colleagues
from training.models import ACTIVE_SEAT_STATUSES, Course, CourseStatus, Enrollment, EnrollmentStatus
from training.services import enrollments as services
from training.templatetags.training_badges import enrollment_badge

PARTICIPANTS_PAGE_SIZE = 25


@require_POST
def enroll(request, pk):
    user = request.user
    course = rules.course_for(user, pk)
    participant = user
    if "participant" in request.POST:
        # Someone else: the choice is limited to whom the user may enroll.
        if not rules.may_enroll_others(user):
            raise PermissionDenied
        participant = chosen_colleague(request, enrollable_colleagues(user, course))
        if participant is None:
            return redirect(course)
    elif not rules.may_enroll(user, user):
        raise PermissionDenied
    with message_errors(request):
        enrollment = services.enrollment_create(course=course, participant=participant, by=user)
        messages.success(request, _enrollment_message(enrollment))
        if rules.may_manage_courses(user):
            return redirect("training:participants", course.pk)
    return redirect(course)


def _enrollment_message(enrollment):
    name = enrollment.participant
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        return _("%(name)s steht auf Platz %(position)d der Warteliste.") % {
            "name": name,
            "position": enrollment.waitlist_position,
        }
    if enrollment.status == EnrollmentStatus.REQUESTED:
        return _("Die Anfrage für %(name)s ist eingegangen; der Platz ist reserviert.") % {"name": name}
    return _("%(name)s ist angemeldet. Eine Bestätigung wurde per E-Mail verschickt.") % {"name": name}


@require_POST
def enrollment_cancel(request, enrollment_pk):
    enrollment = rules.enrollment_for(request.user, enrollment_pk)
    try:
        services.enrollment_cancel(enrollment=enrollment, by=request.user)
    except services.EnrollmentRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    except ValidationError:
        # After the start project staff correct with a reason, on a page of its own.
        return redirect("training:enrollment_correct", enrollment.pk)
    else:
        messages.success(
            request, _("Die Anmeldung von %(name)s wurde storniert.") % {"name": enrollment.participant}
        )
    back = request.POST.get("next", "")
    # Only a path of this site; anything else (a view name included: redirect() would look it up) goes
    # back to the course.
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    if not (safe and back.startswith("/")):
        back = enrollment.course.get_absolute_url()
    return redirect(back)


@rule_required(rules.may_manage_courses)
def enrollment_correct(request, enrollment_pk):
    """Project staff cancel an enrollment after the course has begun: a correction with a reason."""
    enrollment = rules.enrollment_for(request.user, enrollment_pk)
    if enrollment.status == EnrollmentStatus.CANCELLED:
        raise Http404
    course = enrollment.course
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.enrollment_cancel(
                enrollment=enrollment, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("Die Anmeldung von %(name)s wurde storniert.") % {"name": enrollment.participant}
            )
            return redirect("training:participants", course.pk)
    return render(
        request,
        "training/enrollment_correct.html",
        {
            "form": form,
            "enrollment": enrollment,
            "course": course,
            "begun": course.has_begun(),
            "first_date": course.dates.first(),
        },
    )


@require_POST
def enrollment_confirm(request, enrollment_pk):
    # Scope before the role check: another authority's enrollment is 404, as on every other page.
    enrollment = rules.enrollment_for(request.user, enrollment_pk)
    if not rules.may_manage_courses(request.user):
        raise PermissionDenied
    with message_errors(request):
        services.enrollment_confirm(enrollment=enrollment, by=request.user)
        messages.success(
            request, _("Die Anmeldung von %(name)s ist bestätigt.") % {"name": enrollment.participant}
        )
    return redirect("training:participants", enrollment.course_id)


def my_trainings(request):
    if not rules.may_take_part(request.user):
        return redirect("training:catalogue")
    enrollments = (
        Enrollment.objects.filter(participant=request.user)
        .active()
        .select_related("course", "course__topic", "feedback", "certificate")
        .prefetch_related("course__dates")
        .annotate(attended=Count("attendances", filter=Q(attendances__present=True)))
    )
    now = timezone.now()
    groups = {"upcoming": [], "waiting": [], "past": []}
    when = {}  # the next date that has not ended; for a past course its last one
    for enrollment in enrollments:
        dates = list(enrollment.course.dates.all())  # ordered by start
        ahead = [date for date in dates if date.ends_at >= now]
        when[enrollment.pk] = (ahead[0].starts_at if ahead else dates[-1].ends_at) if dates else now
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            groups["waiting"].append(enrollment)
        elif dates and not ahead:
            groups["past"].append(enrollment)
        else:
            groups["upcoming"].append(enrollment)
    # The next date first; the most recent past course first.
    groups["upcoming"].sort(key=lambda e: when[e.pk])
    groups["waiting"].sort(key=lambda e: when[e.pk])
    groups["past"].sort(key=lambda e: when[e.pk], reverse=True)
    return render(request, "training/mine.html", groups)


# A participant list's row, written in Python with the markup the template's row had (whitespace
# included: the same HTML as before). Its buttons submit the page's one form ("teilnehmende-aktionen").
_ROW = (
    "\n          "
    '\n            <tr class="kern-table__row">'
    '\n              <th class="kern-table__cell" scope="row">{}</th>'
    '\n              <td class="kern-table__cell">{}</td>'
    '\n              <td class="kern-table__cell">{}</td>'
    '\n              <td class="kern-table__cell">{}{}</td>'
    '\n              <td class="kern-table__cell"><div class="portal-inline-form">'
    "\n                {}"
    "\n                {}"
    "\n              </div></td>"
    "\n            </tr>"
    "\n          "
    "\n        "
)
_ENROLLED_BY = '<br><span class="kern-body--small">{}</span>'
_CONFIRM = (
    '<button type="submit" form="teilnehmende-aktionen" formaction="{}" '
    'class="kern-btn kern-btn--secondary kern-btn--x-small"><span class="kern-label">{}</span></button>'
)
# The template's {% if %}…{% elif %} put the line break and indentation after the cancel button.
_CANCEL = (
    '<button type="submit" form="teilnehmende-aktionen" formaction="{}" data-confirm="{}" '
    'class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-label">{}</span></button>'
    "\n                "
)
_CORRECT = '<a class="kern-link" href="{}">{}</a>'


@rule_required(rules.may_see_participants)
def participants(request, pk):
    user = request.user
    may_manage = rules.may_manage_courses(user)
    courses = None
    if may_manage:
        # Whether there are corrections to list, asked with the course: mostly there are none.
        corrected = Enrollment.objects.corrections().filter(course=OuterRef("pk"))
        courses = Course.objects.annotate(has_corrections=Exists(corrected))
    course = rules.course_for(user, pk, courses)
    enrollments = Enrollment.objects.visible_to(user).filter(course=course).active().for_participant_list()
    # A bounded first screen: a big course's list (300 people) in pages; the exports hold everyone.
    page = counted_page(enrollments, PARTICIPANTS_PAGE_SIZE, request.GET.get("seite"))
    # One reverse() per kind of link for all rows.
    confirm_url, cancel_url, correct_url = (
        reverse_each(f"training:{name}")
        for name in ("enrollment_confirm", "enrollment_cancel", "enrollment_correct")
    )
    dates = list(course.dates.all())  # the attendance links; whether the course has begun
    begun = course.has_begun(dates=dates)
    # Each row written here (issue 18: the row's template nodes were most of the list's time), with
    # only the buttons it shows: confirm a request; cancel before the start, or the correction after it.
    rows = []
    for enrollment in page:
        name = str(enrollment.participant)
        confirm = cancel = ""
        if may_manage and enrollment.status == EnrollmentStatus.REQUESTED:
            label = _("%(name)s bestätigen") % {"name": name}
            confirm = format_html(_CONFIRM, confirm_url(enrollment.pk), label)
        if not begun:
            question = _("Anmeldung von %(name)s wirklich stornieren?") % {"name": name}
            label = _("%(name)s stornieren") % {"name": name}
            cancel = format_html(_CANCEL, cancel_url(enrollment.pk), question, label)
        elif may_manage:
            label = _("%(name)s nachträglich stornieren") % {"name": name}
            cancel = format_html(_CORRECT, correct_url(enrollment.pk), label)
        enrolled_by = ""
        if enrollment.enrolled_by_id and enrollment.enrolled_by_id != enrollment.participant_id:
            enrolled_by = format_html(_ENROLLED_BY, _("von %(name)s") % {"name": enrollment.enrolled_by})
        rows.append(
            format_html(
                _ROW,
                name,
                enrollment.participant.authority,
                enrollment_badge(enrollment.status, enrollment.waitlist_position),
                date_format(localtime(enrollment.created_at), "SHORT_DATETIME_FORMAT"),
                enrolled_by,
                confirm,
                cancel,
            )
        )
    enroll = None
    if may_manage and course.status == CourseStatus.PUBLISHED:
        enroll = ColleagueFinder(
            user, course, request.GET, label=_("Person"), submit_label=_("Zur Schulung anmelden")
        )
    context = {
        "course": course,
        "enrollments": page,
        "rows": rows,
        "page": page,
        "dates": dates,
        "enroll": enroll,
        "begun": begun,
        "may_manage": may_manage,
    }
    if may_manage and course.has_corrections:
        # The corrections after the start, with their reason: what changed figures of the past.
        context["corrections"] = (
            Enrollment.objects.corrections()
            .filter(course=course)
            .select_related("participant", "cancelled_by")
            .order_by("-cancelled_at")
        )
    return render(request, "training/participants.html", context)


@rule_required(rules.may_manage_courses)
def participants_message(request, pk):
    course = rules.course_for(request.user, pk)
    form = CourseMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            queued = services.course_message_send(course=course, by=request.user, **form.cleaned_data)
            messages.success(request, form.sent(queued))
            return redirect("training:participants", course.pk)
    counts = Enrollment.objects.filter(course=course).aggregate(
        seats=Count("pk", filter=Q(status__in=ACTIVE_SEAT_STATUSES)),
        waiting=Count("pk", filter=Q(status=EnrollmentStatus.WAITLISTED)),
    )
    return render(request, "training/participants_message.html", {"course": course, "form": form, **counts})


@rule_required(rules.may_manage_courses)
def participants_csv(request, pk):
    course = rules.course_for(request.user, pk)
    header = [
        _("Name"),
        _("E-Mail-Adresse"),
        _("Ausländerbehörde"),
        _("Status"),
        _("Platz auf der Warteliste"),
    ]
    rows = (
        [
            enrollment.participant.get_full_name(),
            enrollment.participant.email,
            enrollment.participant.authority,
            enrollment.get_status_display(),
            enrollment.waitlist_position,
        ]
        for enrollment in Enrollment.objects.filter(course=course).active().for_participant_list()
    )
    return csv_download(f"teilnehmende-{course.pk}.csv", chain([header], rows))


@rule_required(rules.may_manage_courses)
def attendance(request, pk, date_pk):
    course_date = rules.course_date_for(request.user, pk, date_pk)
    course = course_date.course
    enrollments = (
        Enrollment.objects.filter(course=course, status=EnrollmentStatus.CONFIRMED)
        .for_participant_list()
        .annotate(
            present=Count(
                "attendances", filter=Q(attendances__course_date=course_date, attendances__present=True)
            )
        )
    )
    form = AttendanceForm(request.POST or None, rows=[(e.pk, e.participant, e.present) for e in enrollments])
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            count = services.attendance_record(
                course_date=course_date, present_ids=set(form.cleaned_data["present"]), by=request.user
            )
            messages.success(request, _("Anwesenheit gespeichert: %(count)d anwesend.") % {"count": count})
            return redirect("training:attendance", course.pk, course_date.pk)
    return render(
        request, "training/attendance.html", {"course": course, "course_date": course_date, "form": form}
    )
