"""Reading the training pages and building courses for the view tests (a library module: the test
modules import from here, never from each other)."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.helpers import at
from training.models import CourseFormat, Enrollment, EnrollmentMode, EnrollmentStatus, OpenTo
from training.services import enrollments

CATALOGUE = reverse("training:catalogue")
MINE = reverse("training:mine")
CREATE = reverse("training:create")

CONFIRMED = EnrollmentStatus.CONFIRMED
WAITLISTED = EnrollmentStatus.WAITLISTED
REQUESTED = EnrollmentStatus.REQUESTED
CANCELLED = EnrollmentStatus.CANCELLED


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def page_text(response) -> str:
    """The visible text of the page's main content, tags removed and spaces collapsed."""
    html = response.content.decode()
    main = html.split('id="inhalt"', 1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def table_text(response) -> str:
    """The visible text of the page's (first) table body."""
    body = response.content.decode().split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", "<tbody" + body).split())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def field_error(html: str, field_id: str) -> str:
    """The error text shown right below a field (not the summary)."""
    match = re.search(rf'<div [^>]*id="{field_id}-error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error next to {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match[1]).split())


def ticked(html: str, name: str) -> set[str]:
    """The values of the checked checkboxes or radio buttons called `name`."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', tag)[1] for tag in inputs if re.search(r"\schecked\b", tag)}


def course_titles(response) -> list[str]:
    """The course titles linked in the catalogue's list, in order."""
    html = response.content.decode()
    body = (
        html.split('class="portal-cards portal-course-list"', 1)[-1] if "portal-course-list" in html else ""
    )
    return re.findall(r'<a class="kern-link" href="/schulungen/\d+/">([^<]+)</a>', body)


def in_days(days, hour=9):
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)


def course_on(days, *, title, **values):
    """A course with one date `days` from now (negative: in the past)."""
    course = CourseFactory(title=title, dates=None, **values)
    CourseDateFactory(course=course, starts_at=in_days(days), ends_at=in_days(days, hour=16))
    return course


def add_enrollments(course, n, authority):
    for i in range(n):
        participant = UserFactory(authority=authority)
        if i % 3 == 2:
            EnrollmentFactory(
                course=course, participant=participant, status=WAITLISTED, waitlist_position=i // 3 + 1
            )
        else:
            EnrollmentFactory(course=course, participant=participant)


def enroll_themselves(course, people):
    """Each person enrols themselves, in this order (through the service: seats are counted)."""
    return [enrollments.enrollment_create(course=course, participant=p, by=p) for p in people]


def statuses(course):
    """(participant, status, waitlist position) in the order people enrolled."""
    return [
        (e.participant, e.status, e.waitlist_position)
        for e in Enrollment.objects.filter(course=course).select_related("participant").order_by("pk")
    ]


def waiting_list(course):
    return [
        (e.participant, e.waitlist_position)
        for e in Enrollment.objects.filter(course=course, status=WAITLISTED)
        .select_related("participant")
        .order_by("waitlist_position")
    ]


def message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def two_dates_in_2026():
    """A course with two dates of known hours: 10 March 2026, 9:00–16:30, and 14 July, 9:00–12:00."""
    course = CourseFactory(
        title="Aufenthaltsrecht kompakt",
        trainers="Dr. Petra Schulz",
        contents="Aufenthaltstitel im Überblick\n- Beschäftigung und Zustimmung der BA",
        dates=None,
    )
    CourseDateFactory(
        course=course, starts_at=at(date(2026, 3, 10), 9), ends_at=at(date(2026, 3, 10), 16, 30)
    )
    CourseDateFactory(course=course, starts_at=at(date(2026, 7, 14), 9), ends_at=at(date(2026, 7, 14), 12))
    return course


# --- the course form -----------------------------------------------------------------------------


def local_input(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def course_form(topic, dates=(), initial_dates=0, **overrides) -> dict:
    """POST data of the course form with its dates formset (prefix `termine`, three rows by default;
    `initial_dates` rows are dates the course has)."""
    data = {
        "title": "Fachkräfteeinwanderung für Einsteiger",
        "topic": topic.pk,
        "description": "Das beschleunigte Fachkräfteverfahren Schritt für Schritt.",
        "contents": "§ 81a AufenthG\nVorabzustimmung",
        "target_group": "Sachbearbeitung",
        "format": CourseFormat.IN_PERSON,
        "location": "Mainz, Landesverwaltung",
        "online_link": "",
        "trainers": "Dr. Jana Albrecht",
        "capacity": "16",
        "seats_per_authority": "",
        "open_to": OpenTo.BOTH,
        "registration_opens": "",
        "registration_closes": "",
        "enrollment_mode": EnrollmentMode.DIRECT,
        "termine-TOTAL_FORMS": str(max(3, len(dates))),
        "termine-INITIAL_FORMS": str(initial_dates),
        "termine-MIN_NUM_FORMS": "1",
        "termine-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(dates):
        for key, value in row.items():
            data[f"termine-{index}-{key}"] = value
    return {**data, **overrides}


def a_date(days, room="Raum 2.01", **extra) -> dict:
    return {
        "starts_at": local_input(in_days(days)),
        "ends_at": local_input(in_days(days, hour=16)),
        "room": room,
        **extra,
    }
