"""What the load test checks afterwards (needs Django set up): no overbooked course, waiting lists
without gaps, and every mail the portal should have sent received exactly once.

The mails expected are computed twice over, from different sources:
- for the enrollments in the load courses from the enrollments themselves: one mail when the
  person enrolled (confirmation or waiting-list place), one when a waiting-list place turned into a
  seat, one when the enrollment was cancelled;
- for every other mail from the outbox (`Notification` rows written since the start: course
  changes, reminders of the scans, …).
A mail is identified by its recipient and subject; `lost` are the expected ones not received,
`duplicated` the received ones beyond what was expected.
"""

from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from django.db.models import Count, Q
from django.utils import translation

from portal.links import absolute_url
from portal.notifications.mail import render_subject
from portal.notifications.models import Notification
from training.models import ACTIVE_SEAT_STATUSES, Course, Enrollment, EnrollmentMode, EnrollmentStatus

ENROLLMENT_TEMPLATES = {
    f"training/enrollment_{name}"
    for name in ("confirmed", "waitlisted", "promoted", "cancelled", "requested")
}

Mail = tuple[str, str]  # (recipient, subject)


# --- seats -----------------------------------------------------------------------------------------


def overbooked_courses(courses=None) -> list[str]:
    """Every course with more seats taken (confirmed or requested) than it has, or more for one
    authority than its limit per authority; empty when none."""
    courses = Course.objects.all() if courses is None else courses
    problems = []
    taken = Q(enrollments__status__in=ACTIVE_SEAT_STATUSES)
    counted = courses.annotate(
        confirmed=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.CONFIRMED)),
        holding=Count("enrollments", filter=taken),
    )
    for course in counted:
        if course.holding > course.capacity:
            problems.append(
                f"{course} (#{course.pk}): {course.holding} Plätze belegt "
                f"({course.confirmed} bestätigt), {course.capacity} vorhanden"
            )
        if course.seats_per_authority is not None:
            per_authority = (
                Enrollment.objects.filter(course=course, status__in=ACTIVE_SEAT_STATUSES)
                .values("participant__authority")
                .annotate(n=Count("pk"))
                .filter(n__gt=course.seats_per_authority)
            )
            for row in per_authority:
                problems.append(
                    f"{course} (#{course.pk}): {row['n']} Plätze für Behörde "
                    f"#{row['participant__authority']}, "
                    f"höchstens {course.seats_per_authority}"
                )
    return problems


def waiting_list_gaps(courses=None) -> list[str]:
    """Courses whose waiting-list places do not run 1..n."""
    courses = Course.objects.all() if courses is None else courses
    problems = []
    for course in courses:
        places = list(
            Enrollment.objects.filter(course=course, status=EnrollmentStatus.WAITLISTED)
            .order_by("waitlist_position")
            .values_list("waitlist_position", flat=True)
        )
        if places != list(range(1, len(places) + 1)):
            problems.append(f"{course} (#{course.pk}): Wartelistenplätze {places}")
    return problems


# --- mail ------------------------------------------------------------------------------------------


def _subject(template: str, enrollment: Enrollment) -> str:
    context = {
        "base_url": absolute_url(),
        "enrollment": enrollment,
        "course": enrollment.course,
        "participant": enrollment.participant,
    }
    with translation.override(enrollment.participant.language):
        return render_subject(template, context)


def enrollment_mails(courses) -> Counter:
    """The mails the enrollments of these (direct-enrollment) courses imply.

    A seat given at once has `confirmed_at` set before the row was saved (`created_at`); a seat given
    later to someone on the waiting list has it set after: that person got two mails."""
    expected = Counter()
    enrollments = Enrollment.objects.filter(course__in=courses).select_related("course", "participant")
    for enrollment in enrollments:
        if enrollment.course.enrollment_mode != EnrollmentMode.DIRECT:
            raise ValueError(f"{enrollment.course}: nur Schulungen mit direkter Anmeldung werden geprüft.")
        confirmed_at, created_at = enrollment.confirmed_at, enrollment.created_at
        templates = []
        if confirmed_at is not None and confirmed_at <= created_at:
            templates.append("enrollment_confirmed")
        else:
            templates.append("enrollment_waitlisted")
            if confirmed_at is not None:
                templates.append("enrollment_promoted")
        if enrollment.status == EnrollmentStatus.CANCELLED:
            templates.append("enrollment_cancelled")
        address = enrollment.participant.email.lower()
        for template in templates:
            expected[(address, _subject(f"training/{template}", enrollment))] += 1
    return expected


def outbox_mails(*, since) -> tuple[Counter, list[str]]:
    """Mails of the outbox written since `since` that are not enrollment mails, and a line for each
    row that was not sent."""
    expected = Counter()
    unsent = []
    for row in Notification.objects.filter(claimed_at__gte=since).exclude(payload={}):
        payload = row.payload
        if payload.get("template") in ENROLLMENT_TEMPLATES:
            continue
        for address in payload["to"]:
            expected[(address.lower(), " ".join(payload["subject"].split()))] += 1
        if row.status != "sent":
            unsent.append(f"#{row.pk} {row.kind or payload.get('template')} an {payload['to']}: {row.status}")
    return expected, unsent


def received_mails(paths) -> Counter:
    """(recipient, subject) of every mail file the SMTP sink wrote."""
    received = Counter()
    parser = BytesParser(policy=policy.default)
    for path in paths:
        message = parser.parsebytes(Path(path).read_bytes())
        subject = " ".join(str(message["Subject"] or "").split())
        for _name, address in getaddresses(message.get_all("To", [])):
            received[(address.lower(), subject)] += 1
    return received


@dataclass
class MailResult:
    expected: int
    received: int
    lost: Counter = field(default_factory=Counter)
    duplicated: Counter = field(default_factory=Counter)
    unsent: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated and not self.unsent


def compare_mails(*, courses, since, mail_files) -> MailResult:
    from_outbox, unsent = outbox_mails(since=since)
    expected = enrollment_mails(courses) + from_outbox
    received = received_mails(mail_files)
    return MailResult(
        expected=sum(expected.values()),
        received=sum(received.values()),
        lost=expected - received,
        duplicated=received - expected,
        unsent=unsent,
    )
