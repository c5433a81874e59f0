"""Section 5: 10,000 due course reminders, scanned and enqueued in one beat run.

The data: REMINDERS confirmed enrollments in published courses that begin in three days, so that the
"7 days before" reminder is due for each (the 10x data has no other course in that window). Three runs
on the same data, each after the broker queue was emptied, all enqueuing and none executing a task:

- trivial: REMINDERS calls of a task that does nothing (`noop.delay(n)`): the broker alone (issue 6);
- plain loop: one query for the due enrollments, then per item what a reminder needs at least:
  render the mail (subject, text, HTML, same templates and context), insert the claim row with the
  rendered mail, enqueue the delivery task (issue 8's "plain loop doing the same per-item work");
- scan: run_all_scans(), the function beat's task runs; each scan is one batch (one transaction, every
  person's setting read once per kind); per item the scan claims in one INSERT … ON CONFLICT DO NOTHING
  and stores the rendered mail in a second statement; after the commit the batch is enqueued and
  marked handed over in one UPDATE (issue 18: at most 1.3x the plain loop).

Before, one untimed beat run catches up on what else is due in the 10x data (feedback requests ...),
so that the timed one finds the reminders only. The claims of the plain loop are deleted before the
scan runs, so the scan claims every reminder anew.
"""

import inspect
import os
import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.celery import app
from portal.notifications.kinds import KINDS
from portal.notifications.mail import deliver_email, render_email
from portal.notifications.models import Notification
from portal.notifications.scans import run_all_scans
from portal.ops.bench.report import Row, format_ms, ratio
from portal.ops.bench.tasks import noop
from training.models import Course, CourseDate, CourseStatus, Enrollment, EnrollmentStatus, Topic

# The delivery task takes the rendered mail as arguments, or reads it from the claim (the outbox).
PAYLOAD_IN_TASK = "to" in inspect.signature(deliver_email.run).parameters
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
TARGET = 1.3
KIND = "training.course_reminder"
TITLE = "Bench: Erinnerungen"


@transaction.atomic
def build_due_reminders(count: int = REMINDERS, now=None) -> list[Course]:
    """Published courses beginning in three days with `count` confirmed enrollments in all."""
    now = now or timezone.now()
    people = list(User.objects.filter(role=Role.AUTHORITY_STAFF, is_active=True).order_by("pk"))
    courses_needed = -(-count // len(people))
    staff = User.objects.filter(role=Role.PROJECT_STAFF).order_by("pk").first()
    topic = Topic.objects.order_by("pk").first()
    day = timezone.localdate(now) + timedelta(days=3)
    courses = Course.objects.bulk_create(
        Course(
            title=f"{TITLE} {number + 1}",
            description="Schulung für den Benchmark der Erinnerungen.",
            topic=topic,
            target_group="Sachbearbeitung",
            format="online",
            online_link="https://video.example.org/schulung",
            trainers="Dr. Jana Albrecht",
            capacity=len(people),
            status=CourseStatus.PUBLISHED,
            created_by=staff,
        )
        for number in range(courses_needed)
    )
    starts = timezone.make_aware(datetime.combine(day, clock(9, 0)))
    CourseDate.objects.bulk_create(
        CourseDate(course=course, starts_at=starts, ends_at=starts + timedelta(hours=7)) for course in courses
    )
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                course=courses[n // len(people)],
                participant=people[n % len(people)],
                status=EnrollmentStatus.CONFIRMED,
                enrolled_by=staff,
                confirmed_at=now,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    return courses


def purge_queue() -> None:
    app.control.purge()


def queued() -> int | None:
    """Messages waiting in the default queue (the proof that tasks were enqueued, not run)."""
    try:
        with app.connection_for_write() as connection:
            return connection.default_channel.queue_declare(
                app.conf.task_default_queue, passive=True
            ).message_count
    except Exception:  # noqa: BLE001 – a transport that cannot count says nothing
        return None


def trivial(count: int) -> float:
    start = time.perf_counter()
    for number in range(count):
        noop.delay(number)
    return time.perf_counter() - start


class Statements:
    """Counts the SQL statements run inside the block and the seconds spent waiting for them (a
    savepoint and its release count as statements, as they are round trips too)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def per_item(self, items: int) -> str:
        return f"{self.count / items:.1f} je Mail, SQL {format_ms(self.seconds / items)}"


def plain_loop(courses: list[Course]) -> tuple[float, int]:
    kind = KINDS[KIND]
    object_type = ContentType.objects.get_for_model(Course)
    start = time.perf_counter()
    enrollments = (
        Enrollment.objects.filter(course__in=courses, status=EnrollmentStatus.CONFIRMED)
        .select_related("course", "participant")
        .prefetch_related("course__dates")
    )
    count = 0
    first_start = {date.course_id: date.starts_at for date in CourseDate.objects.filter(course__in=courses)}
    for enrollment in enrollments:
        person, course = enrollment.participant, enrollment.course
        context = {
            "course": course,
            "participant": person,
            "first_start": first_start[course.pk],
            "occasion": "7d",
            "recipient": person,
            "notification_kind": kind,
        }
        message = render_email(template="training/course_reminder", context=context, language=person.language)
        payload = {"to": [person.email], "reply_to": [], "attachments": [], **message}
        claim = Notification.objects.create(
            recipient=person,
            kind=KIND,
            object_type=object_type,
            object_id=course.pk,
            occasion="7d",
            payload={**payload, "language": person.language},
        )
        if PAYLOAD_IN_TASK:
            deliver_email.delay(notification_id=claim.pk, **payload)
        else:
            deliver_email.delay(notification_id=claim.pk)
        count += 1
    return time.perf_counter() - start, count


def scan() -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    sent = run_all_scans()
    return time.perf_counter() - start, sent


def measure(data: str, count: int = REMINDERS) -> tuple[list[Row], list[str]]:
    if app.conf.task_always_eager:
        raise RuntimeError("CELERY_TASK_ALWAYS_EAGER is on: the bench must enqueue, not run tasks")
    # Catch up on whatever else is due in the 10x data (feedback requests of past courses ...), so
    # that the timed beat run finds the reminders and nothing else new.
    run_all_scans()
    purge_queue()
    courses = build_due_reminders(count)
    notes = []

    purge_queue()
    trivial_seconds = trivial(count)
    notes.append(_queued_note("trivial", count))

    purge_queue()
    with Statements() as plain_statements:
        plain_seconds, plain_count = plain_loop(courses)
    notes.append(_queued_note("Schleife", plain_count))
    Notification.objects.filter(kind=KIND, object_id__in=[c.pk for c in courses]).delete()

    purge_queue()
    with Statements() as scan_statements:
        scan_seconds, sent = scan()
    reminders = sent.get(KIND, 0) or 1
    total = sum(sent.values())
    notes.append(_queued_note("Scan", total))
    notes.append(
        "Beat-Lauf (run_all_scans): "
        + ", ".join(f"{name} {number}" for name, number in sorted(sent.items()) if number)
        + f"; {total} Mails in {scan_seconds:.1f} s"
    )
    purge_queue()

    per_trivial = trivial_seconds / count
    per_plain = plain_seconds / plain_count
    per_scan = scan_seconds / reminders
    return [
        Row("5", f"{count} triviale Tasks einreihen, je Task", data, format_ms(per_trivial), 1.0),
        Row(
            "5",
            f"Schlichte Schleife (rendern, Claim anlegen, einreihen), je Mail ({plain_count})",
            data,
            format_ms(per_plain),
            ratio(per_plain, per_trivial),
            plain_statements.per_item(plain_count),
        ),
        Row(
            "5",
            f"Erinnerungs-Scan im Beat-Lauf, je Mail ({reminders} fällig)",
            data,
            format_ms(per_scan),
            ratio(per_scan, per_trivial),
            scan_statements.per_item(reminders),
            f"≤ {TARGET:.1f}x Schleife: {ratio(per_scan, per_plain):.2f}x",
            round(ratio(per_scan, per_plain), 2) <= TARGET and reminders >= count,
        ),
    ], notes


def _queued_note(label: str, expected: int) -> str:
    waiting = queued()
    if waiting is None:
        return f"{label}: {expected} eingereiht (Warteschlange nicht zählbar)"
    return f"{label}: {waiting} Nachrichten in der Warteschlange, {expected} erwartet"
