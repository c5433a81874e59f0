from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.models import Role, User
from portal.accounts.permissions import role_required
from portal.downloads import csv_download
from portal.forms import AttendanceForm, CorrectionForm
from training import services
from training.forms import (
    CancelCourseForm,
    CatalogueFilterForm,
    CourseDateFormSet,
    CourseForm,
    EnrollColleagueForm,
    FeedbackForm,
    FollowUpForm,
    TopicForm,
)
from training.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Feedback,
    FollowUpAnswer,
    Topic,
)

PAGE_SIZE = 20


def _course_for(user, pk) -> Course:
    return get_object_or_404(Course.objects.visible_to(user), pk=pk)


def _enrollment_for(user, pk) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(user).select_related("course", "participant"), pk=pk
    )


def catalogue(request):
    form = CatalogueFilterForm(request.GET)
    courses = Course.objects.for_catalogue(request.user).upcoming()
    if not request.user.is_project_staff:
        courses = courses.filter(status=CourseStatus.PUBLISHED)
    courses = form.apply(courses).order_by("first_start", "title")
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "training/catalogue.html", {"form": form, "page": page})


def course_detail(request, pk):
    course = _course_for(request.user, pk)
    course = Course.objects.with_seats().select_related("topic").get(pk=course.pk)
    user = request.user
    own = None
    colleague_form = None
    if user.is_authority_staff:
        own = Enrollment.objects.filter(course=course, participant=user).active().first()
        if user.is_coordinator:
            colleague_form = EnrollColleagueForm(
                participants=_enrollable_colleagues(user, course),
                action=reverse("training:enroll", args=[course.pk]),
            )
    context = {
        "course": course,
        "dates": course.dates.all(),
        "own": own,
        "problem": course.registration_problem(),
        "colleague_form": colleague_form,
        # Once the course has begun, no cancel button: the page says why instead.
        "cancellation_refused": services.cancellation_refused(course, user)
        if user.is_authority_staff
        else "",
    }
    if user.is_coordinator:
        context["colleagues"] = (
            Enrollment.objects.visible_to(user).filter(course=course).active().exclude(participant=user)
        ).select_related("participant")
    return render(request, "training/detail.html", context)


def _enrollable_colleagues(user, course):
    """Whom the user may enroll in the course: colleagues for a coordinator, anybody for project staff."""
    enrolled = Enrollment.objects.filter(course=course).active().values("participant")
    people = User.objects.filter(role=Role.AUTHORITY_STAFF, is_active=True).exclude(pk__in=enrolled)
    if not user.is_project_staff:
        people = people.filter(authority_id=user.authority_id)
    return people.select_related("authority").order_by("last_name", "first_name")


@require_POST
def enroll(request, pk):
    course = _course_for(request.user, pk)
    participant = request.user
    if "participant" in request.POST:
        # A coordinator or project staff enroll someone else; the choice is limited to whom they may enroll.
        if not (request.user.is_project_staff or request.user.is_coordinator):
            raise PermissionDenied
        form = EnrollColleagueForm(request.POST, participants=_enrollable_colleagues(request.user, course))
        if not form.is_valid():
            messages.error(request, _("Bitte wählen Sie eine Person aus der Liste aus."))
            return redirect(course)
        participant = form.cleaned_data["participant"]
    elif not request.user.is_authority_staff:
        raise PermissionDenied
    try:
        enrollment = services.enrollment_create(course=course, participant=participant, by=request.user)
    except services.EnrollmentRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(course)
    messages.success(request, _enrollment_message(enrollment))
    if request.user.is_project_staff:
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
    enrollment = _enrollment_for(request.user, enrollment_pk)
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


@role_required("is_project_staff")
def enrollment_correct(request, enrollment_pk):
    """Project staff cancel an enrollment after the course has begun: a correction with a reason."""
    enrollment = _enrollment_for(request.user, enrollment_pk)
    if enrollment.status == EnrollmentStatus.CANCELLED:
        raise Http404
    course = enrollment.course
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_cancel(
                enrollment=enrollment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
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
    enrollment = _enrollment_for(request.user, enrollment_pk)
    if not request.user.is_project_staff:
        raise PermissionDenied
    try:
        services.enrollment_confirm(enrollment=enrollment, by=request.user)
    except services.EnrollmentRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request, _("Die Anmeldung von %(name)s ist bestätigt.") % {"name": enrollment.participant}
        )
    return redirect("training:participants", enrollment.course_id)


def my_trainings(request):
    if not request.user.is_authority_staff:
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
    for enrollment in enrollments:
        dates = list(enrollment.course.dates.all())
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            groups["waiting"].append(enrollment)
        elif dates and dates[-1].ends_at < now:
            groups["past"].append(enrollment)
        else:
            groups["upcoming"].append(enrollment)
    return render(request, "training/mine.html", groups)


# --- project staff -----------------------------------------------------------------------------


def _course_form_page(request, course=None):
    form = CourseForm(request.POST or None, instance=course)
    initial = (
        [
            {"pk": d.pk, "starts_at": d.starts_at, "ends_at": d.ends_at, "room": d.room}
            for d in course.dates.all()
        ]
        if course
        else None
    )
    dates = CourseDateFormSet(request.POST or None, initial=initial, prefix="termine")
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if course is None:
                course = services.course_create(by=request.user, dates=dates.dates(), **values)
                messages.success(request, _("Die Schulung wurde als Entwurf angelegt."))
            else:
                course = services.course_update(course=course, by=request.user, dates=dates.dates(), **values)
                messages.success(request, _("Die Schulung wurde gespeichert."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(course)
    title = _("Schulung bearbeiten") if course else _("Schulung anlegen")
    return render(
        request, "training/form.html", {"form": form, "dates": dates, "course": course, "title": title}
    )


@role_required("is_project_staff")
def topics(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = services.topic_create(name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("Das Thema „%(name)s“ wurde hinzugefügt.") % {"name": topic.name})
        return redirect("training:topics")
    listed = Topic.objects.annotate(course_count=Count("courses")).order_by("name")
    return render(request, "training/topics.html", {"form": form, "topics": listed})


@role_required("is_project_staff")
def course_create(request):
    return _course_form_page(request)


@role_required("is_project_staff")
def course_edit(request, pk):
    return _course_form_page(request, _course_for(request.user, pk))


@require_POST
@role_required("is_project_staff")
def course_publish(request, pk):
    course = _course_for(request.user, pk)
    try:
        services.course_publish(course=course, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Schulung ist veröffentlicht."))
    return redirect(course)


@require_POST
@role_required("is_project_staff")
def course_duplicate(request, pk):
    copy = services.course_duplicate(course=_course_for(request.user, pk), by=request.user)
    messages.success(request, _("Die Kopie wurde als Entwurf angelegt. Bitte passen Sie die Termine an."))
    return redirect("training:edit", copy.pk)


@role_required("is_project_staff")
def course_cancel(request, pk):
    course = _course_for(request.user, pk)
    form = CancelCourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.course_cancel(course=course, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Die Schulung wurde abgesagt; alle Angemeldeten werden per E-Mail informiert.")
        )
        return redirect(course)
    return render(request, "training/cancel.html", {"form": form, "course": course})


@role_required("is_project_staff", "is_coordinator")
def participants(request, pk):
    course = _course_for(request.user, pk)
    enrollments = (
        Enrollment.objects.visible_to(request.user).filter(course=course).active().for_participant_list()
    )
    enroll_form = None
    if request.user.is_project_staff and course.status == CourseStatus.PUBLISHED:
        enroll_form = EnrollColleagueForm(
            participants=_enrollable_colleagues(request.user, course),
            action=reverse("training:enroll", args=[course.pk]),
            label=_("Person"),
            submit_label=_("Zur Schulung anmelden"),
        )
    context = {
        "course": course,
        "enrollments": enrollments,
        "dates": course.dates.all(),
        "enroll_form": enroll_form,
        "begun": course.has_begun(),
    }
    if request.user.is_project_staff:
        # The corrections after the start, with their reason: what changed figures of the past.
        context["corrections"] = (
            Enrollment.objects.filter(course=course, status=EnrollmentStatus.CANCELLED)
            .exclude(cancellation_reason="")
            .select_related("participant", "cancelled_by")
            .order_by("-cancelled_at")
        )
    return render(request, "training/participants.html", context)


@role_required("is_project_staff")
def participants_csv(request, pk):
    course = _course_for(request.user, pk)
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


@role_required("is_project_staff")
def attendance(request, pk, date_pk):
    course = _course_for(request.user, pk)
    course_date = get_object_or_404(course.dates, pk=date_pk)
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
        count = services.attendance_record(
            course_date=course_date, present_ids=set(form.cleaned_data["present"]), by=request.user
        )
        messages.success(request, _("Anwesenheit gespeichert: %(count)d anwesend.") % {"count": count})
        return redirect("training:attendance", course.pk, course_date.pk)
    return render(
        request, "training/attendance.html", {"course": course, "course_date": course_date, "form": form}
    )


def feedback(request, enrollment_pk):
    # Only one's own enrollment, and only after attending: nobody else gets to see the form.
    attended = Enrollment.objects.filter(participant=request.user, attendances__present=True).distinct()
    enrollment = get_object_or_404(attended.select_related("course"), pk=enrollment_pk)
    existing = Feedback.objects.filter(enrollment=enrollment).first()
    initial = (
        {"usefulness": existing.usefulness, "will_apply": existing.will_apply, "comments": existing.comments}
        if existing
        else None
    )
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Vielen Dank für Ihre Rückmeldung."))
            return redirect("training:mine")
    return render(
        request,
        "training/feedback.html",
        {"form": form, "enrollment": enrollment, "course": enrollment.course},
    )


def follow_up(request, enrollment_pk):
    # Only the participant, and only after attending: anyone else gets 404, as for the feedback form.
    enrollment = get_object_or_404(
        Enrollment.objects.filter(participant=request.user, attendances__present=True)
        .select_related("course")
        .distinct(),
        pk=enrollment_pk,
    )
    existing = FollowUpAnswer.objects.filter(enrollment=enrollment).first()
    initial = {"uses_learning": existing.uses_learning, "example": existing.example} if existing else None
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.follow_up_submit(enrollment=enrollment, by=request.user, **form.cleaned_data)
        messages.success(request, _("Vielen Dank für Ihre Antwort."))
        return redirect("training:mine")
    return render(request, "training/follow_up.html", {"form": form, "course": enrollment.course})


@role_required("is_project_staff")
def feedback_results(request, pk):
    course = _course_for(request.user, pk)
    answers = Feedback.objects.filter(enrollment__course=course)
    summary = answers.aggregate(
        count=Count("pk"), average=Avg("usefulness"), useful=Count("pk", filter=Q(usefulness__gte=4))
    )
    distribution = {
        row["usefulness"]: row["n"] for row in answers.values("usefulness").annotate(n=Count("pk"))
    }
    return render(
        request,
        "training/feedback_results.html",
        {
            "course": course,
            "summary": summary,
            "distribution": [(value, distribution.get(value, 0)) for value in range(5, 0, -1)],
            "texts": answers.exclude(will_apply="", comments="").values("will_apply", "comments"),
        },
    )
