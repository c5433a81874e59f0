"""iCalendar files (RFC 5545) for courses: one file per course and a personal feed; `event` and
`calendar` also write the network meetings (network/ics.py).

Times are written in UTC (`DTSTART:20260312T080000Z`). The database holds instants, and UTC writes
them exactly with no time-zone definition to get wrong: a TZID needs a VTIMEZONE (Outlook refuses
the event without one), and a hand-written Europe/Berlin VTIMEZONE would freeze today's summer-time
rule into every file. Calendar programs show UTC times in the reader's zone, for our readers
Europe/Berlin.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from training.models import Course, CourseDate, CourseStatus, EnrollmentStatus

MIMETYPE = "text/calendar"
PRODID = "-//ABH-Portal//Schulungen//DE"
# A feed holds the dates of the last year and everything ahead: enough for a calendar, small to fetch.
FEED_PAST = timedelta(days=365)


def escape_text(value: str) -> str:
    """TEXT values: backslash first, then the separators, and newlines as the two characters \\n."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets; a continuation starts with one space (which counts).

    Cut between characters, never inside a UTF-8 sequence, so every line stays valid UTF-8.
    """
    parts = []
    current, size, limit = [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def host() -> str:
    return urlparse(settings.PORTAL_BASE_URL).hostname or "localhost"


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


def event(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    url: str,
    status: str,
    location: str = "",
    last_modified: datetime | None = None,
    now: datetime,
) -> list[str]:
    """One VEVENT, for any app's dates (courses here, network meetings in network/ics.py)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(now)}",
    ]
    if last_modified:
        lines.append(f"LAST-MODIFIED:{_utc(last_modified)}")
    lines += [
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"STATUS:{status}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append("END:VEVENT")
    return lines


def _event(
    course: Course, course_date: CourseDate, *, number: int, total: int, status: str, now, with_trainers=True
) -> list:
    url = settings.PORTAL_BASE_URL + course.get_absolute_url()
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


def calendar(events: list[list[str]], *, name: str, prodid: str = PRODID) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _course_events(course: Course, dates, *, status: str, now, with_trainers=True) -> list[list[str]]:
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


def course_calendar(course: Course, *, now=None, with_trainers: bool = True) -> str:
    """All dates of one course; funders get it without the trainers' names (no personal data)."""
    now = now or timezone.now()
    dates = list(course.dates.order_by("starts_at"))
    events = _course_events(course, dates, status="CONFIRMED", now=now, with_trainers=with_trainers)
    return calendar(events, name=course.title)


def filename(course: Course) -> str:
    return f"schulung-{slugify(course.title)[:60] or course.pk}.ics"


def attachment(course: Course) -> tuple[str, str, str]:
    """The course's calendar as a mail attachment `(filename, content, mimetype)`."""
    return filename(course), course_calendar(course), MIMETYPE


def personal_calendar(user, *, now=None) -> str:
    """The courses a person holds a seat in or asked for; a request shows as tentative."""
    now = now or timezone.now()
    enrollments = (
        user.enrollments.filter(status__in=[EnrollmentStatus.CONFIRMED, EnrollmentStatus.REQUESTED])
        .exclude(course__status=CourseStatus.DRAFT)
        .select_related("course")
        .prefetch_related("course__dates")
        .order_by("course__title", "pk")
    )
    events = []
    for enrollment in enrollments:
        dates = sorted(enrollment.course.dates.all(), key=lambda d: d.starts_at)
        status = "CONFIRMED" if enrollment.status == EnrollmentStatus.CONFIRMED else "TENTATIVE"
        course_events = _course_events(enrollment.course, dates, status=status, now=now)
        events.extend(
            event for date, event in zip(dates, course_events, strict=True) if date.ends_at >= now - FEED_PAST
        )
    return calendar(events, name=_("Meine Schulungen – ABH-Portal"))
