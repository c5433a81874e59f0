"""The reminders of the trainings. Each scan finds in the database what is due at `now` within a window
(so that a run missed while beat was down is caught up by the next one) and calls `notify`, whose claim
makes sure that nothing is sent twice, however often the scan runs."""

import calendar
from datetime import datetime, timedelta

from django.db.models import Exists, Min, OuterRef, Q

from authorities.models.registry import Authority
from portal.accounts.models import User
from portal.notifications.scans import scan
from portal.notifications.services import notify
from training.models import Course, CourseStatus, Enrollment, EnrollmentStatus, OpenTo
from training.services import feedback as services

# Before the first date: "7d" from 7 days before until the "1d" reminder is due, "1d" from 1 day
# before until the start. A run missed for days sends the one that is due now, never both at once.
COURSE_REMINDERS = [("7d", timedelta(days=7), timedelta(days=1)), ("1d", timedelta(days=1), timedelta(0))]
FOLLOW_UP_MONTHS = 3
# A follow-up that could not go out within a month of its day is not sent any more.
FOLLOW_UP_WINDOW = timedelta(days=30)
DEADLINE_NOTICE = timedelta(days=7)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@scan("training.feedback_request")
def feedback_requests(now) -> int:
    return services.feedback_requests_send(now=now)


@scan("training.course_reminder")
def course_reminders(now) -> int:
    """Confirmed participants of a published course, 7 days and 1 day before its first date."""
    sent = 0
    for occasion, earliest, latest in COURSE_REMINDERS:
        # Due when the first date lies in (now + latest, now + earliest]: the reminder's moment has come
        # and the next one (or the start) has not.
        enrollments = (
            Enrollment.objects.filter(
                status=EnrollmentStatus.CONFIRMED, course__status=CourseStatus.PUBLISHED
            )
            .annotate(first_start=Min("course__dates__starts_at"))
            .filter(first_start__gt=now + latest, first_start__lte=now + earliest)
            .select_related("course", "participant")
            # The mail lists the course's dates: one query for all, not two per mail (make bench).
            .prefetch_related("course__dates")
        )
        for enrollment in enrollments:
            sent += notify(
                recipient=enrollment.participant,
                kind="training.course_reminder",
                obj=enrollment.course,
                occasion=occasion,
                template="training/course_reminder",
                context={
                    "course": enrollment.course,
                    "participant": enrollment.participant,
                    "first_start": getattr(enrollment, "first_start"),  # noqa: B009 annotated by the scan
                    "occasion": occasion,
                },
            )
    return sent


@scan("training.follow_up")
def follow_ups(now) -> int:
    """Three months after the last date, ask everyone who attended whether they use what they learned."""
    due_until = months_before(now, FOLLOW_UP_MONTHS)
    due = Enrollment.objects.attended_in_courses_ended_between(due_until - FOLLOW_UP_WINDOW, due_until)
    return services.notify_participants(due, kind="training.follow_up")


@scan("training.deadline_for_coordinators")
def deadlines_for_coordinators(now) -> int:
    """Registration closes within 7 days and nobody of an eligible authority is enrolled yet: tell its
    coordinators, once per course."""
    courses = Course.objects.filter(
        Q(registration_opens__isnull=True) | Q(registration_opens__lte=now),
        status=CourseStatus.PUBLISHED,
        registration_closes__gt=now,
        registration_closes__lte=now + DEADLINE_NOTICE,
    ).prefetch_related("dates")
    sent = 0
    for course in courses:
        authorities = Authority.objects.all()
        if course.open_to != OpenTo.BOTH:
            authorities = authorities.filter(state=course.open_to)
        enrolled = Enrollment.objects.active().filter(
            course=course, participant__authority=OuterRef("authority")
        )
        coordinators = (
            User.objects.filter(is_active=True, is_coordinator=True, authority__in=authorities)
            .exclude(Exists(enrolled))
            .select_related("authority")
        )
        for coordinator in coordinators:
            sent += notify(
                recipient=coordinator,
                kind="training.deadline_for_coordinators",
                obj=course,
                template="training/deadline_for_coordinators",
                context={"course": course, "coordinator": coordinator, "authority": coordinator.authority},
            )
    return sent
