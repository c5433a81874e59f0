"""Courses: the catalogue, the course page, and for project staff the course form with its dates,
topics, publishing, copying and cancelling."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.formats import weekday_date
from portal.forms import form_errors, message_errors
from portal.links import reverse_each
from portal.pagination import counted_page
from portal.permissions import rule_required
from training import rules
from training.forms import (
    ADD_DATE,
    CancelCourseForm,
    CatalogueFilterForm,
    TopicForm,
    colleague_form,
    course_forms,
)
from training.models import Course, CourseStatus, Enrollment, Topic
from training.services import courses as services
from training.templatetags.training_badges import enrollment_badge

PAGE_SIZE = 20


def catalogue(request):
    may_manage = rules.may_manage_courses(request.user)
    form = CatalogueFilterForm(request.GET, may_manage=may_manage)
    courses = Course.objects.for_catalogue(request.user)
    if not may_manage:
        courses = courses.filter(status=CourseStatus.PUBLISHED)
    page = counted_page(form.apply(courses), PAGE_SIZE, request.GET.get("seite"))
    context = {
        "form": form,
        "filters": form.rendered(request),
        "page": page,
        "cards": _cards(page),
        "may_manage": may_manage,
        "takes_part": rules.may_take_part(request.user),
    }
    return render(request, "training/catalogue.html", context)


# A catalogue card, written in Python with the markup the template's loop had (issue 18: the 20 cards'
# template nodes were most of the page besides its filters). Whitespace included: same HTML as before.
_CARD = (
    '\n        <li class="kern-card"><div class="kern-card__container">'
    '\n          <div class="kern-card__header">'
    '\n            <p class="kern-preline">{} · {}</p>'
    '\n            <h2 class="kern-title"><a class="kern-link" href="{}">{}</a></h2>'
    "\n          </div>"
    '\n          <div class="kern-card__body">'
    '\n            <p class="kern-body">{}{}</p>'
    '\n            <p class="kern-body">'
    "\n              {}"
    "\n              {}"
    "\n            </p>"
    "\n          </div>"
    "\n        </div></li>"
    "\n      "
)
_BADGE = '<span class="kern-badge{}"><span class="kern-label kern-label--small">{}</span></span>'


def _cards(page) -> SafeString:
    """The page's course cards: each one's link and texts worked out here, the labels translated once
    per page, one reverse() for all links."""
    detail_url = reverse_each("training:detail")
    # The template's {% elif %} branches stood on lines of their own: all but the last ended with the
    # line break and indentation before the next.
    draft, cancelled, over, full = (
        format_html(_BADGE + "\n              ", modifier, label)
        for modifier, label in (
            ("", _("Entwurf")),
            (" kern-badge--danger", _("Abgesagt")),
            ("", _("Vergangen")),
            (" kern-badge--warning", _("Ausgebucht – Warteliste")),
        )
    )
    starting = _("ab %(date)s")
    cards = []
    for course in page:
        start = course.first_start
        if course.status == CourseStatus.DRAFT:
            badge = draft
        elif course.status == CourseStatus.CANCELLED:
            badge = cancelled
        elif course.is_over:
            badge = over
        elif not course.free_seats:
            badge = full
        else:
            seats = ngettext("%(counter)s Platz frei", "%(counter)s Plätze frei", course.free_seats)
            badge = format_html(_BADGE, " kern-badge--success", seats % {"counter": course.free_seats})
        cards.append(
            format_html(
                _CARD,
                course.topic,
                course.get_format_display(),
                detail_url(course.pk),
                course.title,
                starting % {"date": weekday_date(localtime(start))} if start else "",
                format_html(" · {}", course.location) if course.location else "",
                badge,
                # The status badge's include ended with a line break.
                format_html("{}\n", enrollment_badge(course.own_status, course.own_position))
                if course.own_status
                else "",
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 – each card is format_html's


def course_detail(request, pk):
    user = request.user
    takes_part = rules.may_take_part(user)
    may_manage = rules.may_manage_courses(user)
    # The course with its seats, topic and (for project staff) the marks on future dates in one query.
    courses = Course.objects.with_seats().select_related("topic")
    if may_manage:
        courses = courses.with_marks_on_future_dates()
    course = rules.course_for(user, pk, courses)
    dates = list(course.dates.all())
    context = {
        "course": course,
        "dates": dates,
        "own": None,
        "problem": course.registration_problem(),
        # Once the course has begun, no cancel button: the page says why instead.
        "cancellation_refused": rules.cancellation_refused(course, user, dates=dates) if takes_part else "",
        "takes_part": takes_part,
        "may_manage": may_manage,
        # Attendance marked on a date that was later moved into the future stays, but counts nowhere
        # until the date has taken place: project staff are told instead of losing it silently.
        "marks_on_future_dates": course.marks_on_future_dates if may_manage else 0,
    }
    if takes_part:
        # The enrollments the user sees in this course, their own among them, in one query: a
        # coordinator's are their authority's ("colleagues of your authority"; project staff enrol
        # people from the participant list), anybody else's only their own.
        seen = (
            Enrollment.objects.visible_to(user).filter(course=course).active().select_related("participant")
        )
        colleagues = []
        for enrollment in seen:
            if enrollment.participant_id == user.pk:
                context["own"] = enrollment
            else:
                colleagues.append(enrollment)
        if user.is_coordinator:
            context["colleagues"] = colleagues
            context["colleague_form"] = colleague_form(user, course)
    return render(request, "training/detail.html", context)


# --- project staff manage the courses ------------------------------------------------------------


def _course_form_page(request, course=None):
    form, dates = course_forms(request.POST or None, course)
    if form.is_bound and form.is_valid() and dates.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        with form_errors(form):
            if course is None:
                course = services.course_create(by=request.user, dates=dates.dates(), **values)
                messages.success(request, _("Die Schulung wurde als Entwurf angelegt."))
            else:
                course = services.course_update(
                    course=course,
                    by=request.user,
                    dates=dates.dates(),
                    fewer_seats_confirmed=form.cleaned_data["fewer_seats_confirmed"],
                    **values,
                )
                messages.success(request, _("Die Schulung wurde gespeichert."))
            return redirect(course)
    title = _("Schulung bearbeiten") if course else _("Schulung anlegen")
    context = {"form": form, "dates": dates, "course": course, "title": title, "add_date": ADD_DATE}
    return render(request, "training/form.html", context)


@rule_required(rules.may_manage_courses)
def topics(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = services.topic_create(name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("Das Thema „%(name)s“ wurde hinzugefügt.") % {"name": topic.name})
        return redirect("training:topics")
    listed = Topic.objects.annotate(course_count=Count("courses")).order_by("name")
    return render(request, "training/topics.html", {"form": form, "topics": listed})


@rule_required(rules.may_manage_courses)
def course_create(request):
    return _course_form_page(request)


@rule_required(rules.may_manage_courses)
def course_edit(request, pk):
    return _course_form_page(request, rules.course_for(request.user, pk))


@require_POST
@rule_required(rules.may_manage_courses)
def course_publish(request, pk):
    course = rules.course_for(request.user, pk)
    with message_errors(request):
        services.course_publish(course=course, by=request.user)
        messages.success(request, _("Die Schulung ist veröffentlicht."))
    return redirect(course)


@require_POST
@rule_required(rules.may_manage_courses)
def course_duplicate(request, pk):
    copy = services.course_duplicate(course=rules.course_for(request.user, pk), by=request.user)
    messages.success(request, _("Die Kopie wurde als Entwurf angelegt. Bitte passen Sie die Termine an."))
    return redirect("training:edit", copy.pk)


@rule_required(rules.may_manage_courses)
def course_cancel(request, pk):
    course = rules.course_for(request.user, pk)
    form = CancelCourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.course_cancel(course=course, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Die Schulung wurde abgesagt; alle Angemeldeten werden per E-Mail informiert.")
        )
        return redirect(course)
    return render(request, "training/cancel.html", {"form": form, "course": course})
