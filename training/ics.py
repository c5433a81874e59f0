"""iCalendar files for courses: one file per course and a personal feed, written with the portal's
calendar writer (portal/calendar.py, which says why the times are in UTC)."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from portal.accounts.models import User
from portal.calendar import MIMETYPE, calendar, event, host
from portal.downloads import file_slug
from portal.links import absolute_url
from training.models import Course, CourseDate, CourseStatus, EnrollmentStatus

PRODID = "-//ABH-Portal//Schulungen//DE"
# A feed holds the dates of the last year and everything ahead: enough for a calendar, small to fetch.
FEED_PAST = timedelta(days=365)


def uid(course_date: CourseDate) -> str:
    # Stable for as long as the date exists, so a calendar updates the event instead of adding one.
    return f"course-{course_date.course_id}-date-{course_date.pk}@{host()}"


def _location(course: Course, course_date: CourseDate) -> str:
    parts = [course.location, course_date.room]
    if course.online_link:
        parts.append(course.online_link)
    return ", ".join(p for p in parts if p)


def _description(course: Course, url: str, *, with_trainers: bool) -> str:
    lines = [course.description.strip()]
    if course.trainers and with_trainers:
        lines.append(_("Leitung: %(trainers)s") % {"trainers": course.trainers})
    if course.online_link:
        lines.append(_("Online-Zugang: %(link)s") % {"link": course.online_link})
    lines.append(_("Details im ABH-Portal: %(url)s") % {"url": url})
    return "\n\n".join(line for line in lines if line)


def _event(
    course: Course,
    course_date: CourseDate,
    *,
    number: int,
    total: int,
    status: str,
    now: datetime,
    with_trainers: bool = True,
) -> Event:
    url = absolute_url(course.get_absolute_url())
    summary = course.title
    if total > 1:
        summary = _("%(title)s (Termin %(number)s von %(total)s)") % {
            "title": course.title,
            "number": number,
            "total": total,
        }
    return event(
        uid=uid(course_date),
        starts_at=course_date.starts_at,
        ends_at=course_date.ends_at,
        summary=summary,
        description=_description(course, url, with_trainers=with_trainers),
        url=url,
        status=status,
        location=_location(course, course_date),
        last_modified=course.updated_at,
        now=now,
    )


def _course_events(
    course: Course, dates: Sequence[CourseDate], *, status: str, now: datetime, with_trainers: bool = True
) -> list[Event]:
    if course.status == CourseStatus.CANCELLED:
        status = "CANCELLED"
    total = len(dates)
    return [
        _event(
            course,
            course_date,
            number=number,
            total=total,
            status=status,
            now=now,
            with_trainers=with_trainers,
        )
        for number, course_date in enumerate(dates, start=1)
    ]


def course_calendar(course: Course, *, now: datetime | None = None, with_trainers: bool = True) -> str:
    """All dates of one course; funders get it without the trainers' names (no personal data)."""
    now = now or timezone.now()
    dates = list(course.dates.order_by("starts_at"))
    events = _course_events(course, dates, status="CONFIRMED", now=now, with_trainers=with_trainers)
    return calendar(events, name=course.title, prodid=PRODID)


def filename(course: Course) -> str:
    return f"schulung-{file_slug(course.title) or course.pk}.ics"


def attachment(course: Course) -> tuple[str, str, str]:
    """The course's calendar as a mail attachment `(filename, content, mimetype)`."""
    return filename(course), course_calendar(course), MIMETYPE


def personal_calendar(user: User, *, now: datetime | None = None) -> str:
    """The courses a person holds a seat in or asked for; a request shows as tentative."""
    now = now or timezone.now()
    enrollments = (
        user.enrollments.filter(status__in=[EnrollmentStatus.CONFIRMED, EnrollmentStatus.REQUESTED])
        .exclude(course__status=CourseStatus.DRAFT)
        .select_related("course")
        .prefetch_related("course__dates")
        .order_by("course__title", "pk")
    )
    events: list[Event] = []
    for enrollment in enrollments:
        dates = sorted(enrollment.course.dates.all(), key=lambda d: d.starts_at)
        status = "CONFIRMED" if enrollment.status == EnrollmentStatus.CONFIRMED else "TENTATIVE"
        course_events = _course_events(enrollment.course, dates, status=status, now=now)
        events.extend(
            event for date, event in zip(dates, course_events, strict=True) if date.ends_at >= now - FEED_PAST
        )
    return calendar(events, name=_("Meine Schulungen – ABH-Portal"), prodid=PRODID)
