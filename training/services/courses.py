"""Courses: topics, creating and changing a course with its dates, publishing, copying, cancelling."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.notifications.mail import handover_batch, send_email
from portal.notifications.services import notification_batch, notify
from portal.services import model_update
from training import rules
from training.models import Course, CourseDate, CourseStatus, Enrollment, Topic
from training.services.enrollments import lock_course, waitlist_promote

# What the course form changes (status has services of its own: publish, cancel).
COURSE_FIELDS = [
    "title", "topic", "description", "contents", "target_group", "format", "location", "online_link",
    "trainers", "capacity", "seats_per_authority", "open_to", "registration_opens",
    "registration_closes", "enrollment_mode",
]  # fmt: skip
DATE_FIELDS = ["starts_at", "ends_at", "room"]
# The code of the refusal to set fewer seats than people hold, until project staff confirm it.
FEWER_SEATS = "fewer_seats"


def topic_create(*, name: str, by: User) -> Topic:
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    topic = Topic(name=name.strip())
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def course_create(*, by: User, dates: list[dict[str, Any]], **values: Any) -> Course:
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    course = Course(created_by=by, **values)
    course.full_clean()
    course.save()
    _replace_dates(course, dates)
    return course


@transaction.atomic
def course_update(
    *,
    course: Course,
    by: User,
    dates: list[dict[str, Any]] | None = None,
    fewer_seats_confirmed: bool = False,
    **values: Any,
) -> Course:
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    course = lock_course(course)
    capacity_before = course.capacity
    if not fewer_seats_confirmed:
        _refuse_fewer_seats_than_held(course, values.get("capacity", capacity_before))
    before = _what_participants_rely_on(course)
    changed = model_update(instance=course, fields=COURSE_FIELDS, data=values)
    if dates is not None and _replace_dates(course, dates) and not changed:
        # A course's dates are part of it: calendars read `updated_at` as the event's LAST-MODIFIED.
        course.save(update_fields=["updated_at"])
    if course.capacity > capacity_before or "seats_per_authority" in changed:
        waitlist_promote(course=course)
    if course.status == CourseStatus.PUBLISHED and _what_participants_rely_on(course) != before:
        _tell_about_change(course)
    return course


def _refuse_fewer_seats_than_held(course: Course, capacity: int) -> None:
    """Fewer seats than people hold one (counted under the course's lock) only when confirmed: they
    keep their seats, the course is overbooked, and nobody moves up from the waiting list."""
    held = Enrollment.objects.filter(course=course).holding_seats().count()
    if capacity == course.capacity or capacity >= held:
        return
    message = ngettext(
        "Bereits %(held)d Person hat einen Platz, mehr als die neue Zahl der Plätze (%(capacity)d). Wer "
        "angemeldet ist, behält den Platz; von der Warteliste rückt niemand nach. Bitte bestätigen Sie "
        "die Änderung.",
        "Bereits %(held)d Personen haben einen Platz, mehr als die neue Zahl der Plätze (%(capacity)d). "
        "Wer angemeldet ist, behält den Platz; von der Warteliste rückt niemand nach. Bitte bestätigen "
        "Sie die Änderung.",
        held,
    ) % {"held": held, "capacity": capacity}
    raise ValidationError({"capacity": ValidationError(message, code=FEWER_SEATS)})


def _what_participants_rely_on(course: Course) -> tuple[object, ...]:
    """When, where and how the course takes place: a change here is mailed to everyone enrolled."""
    dates = tuple(course.dates.order_by("starts_at").values_list("starts_at", "ends_at", "room"))
    return (course.format, course.location, course.online_link, dates)


def _tell_about_change(course: Course) -> None:
    # One mail per change: the occasion is the moment of the change, so a later change is a new mail.
    occasion = f"changed-{timezone.now().isoformat(timespec='seconds')}"
    _read_dates_once(course)
    # One batch: the mails handed to the broker together after the commit (issue 18: one hand-over per
    # mail, and the course's dates read again by every mail, made a room change take 0.4 s).
    with notification_batch():
        for enrollment in Enrollment.objects.filter(course=course).active().select_related("participant"):
            notify(
                recipient=enrollment.participant,
                kind="training.course_changed",
                obj=course,
                occasion=occasion,
                template="training/course_changed",
                context={"course": course, "participant": enrollment.participant, "enrollment": enrollment},
            )


def _read_dates_once(course: Course) -> None:
    """The course's dates, read once for every mail about it (their templates list them:
    email/training/course_facts); `course` is the one just locked and changed, with none read yet."""
    prefetch_related_objects([course], "dates")


def _replace_dates(course: Course, dates: list[dict[str, Any]]) -> bool:
    """Make the course's dates these (`pk` keeps an existing date, and its attendance); True when
    anything changed."""
    keep = []
    changed = False
    for values in dates:
        data = {name: values[name] for name in DATE_FIELDS if name in values}
        # A pk from the form counts only if it is one of this course's dates.
        pk = values.get("pk")
        date = CourseDate.objects.filter(pk=pk, course=course).first() if pk else None
        if date is None:
            date = CourseDate(course=course, **data)
            date.full_clean()
            date.save()
            changed = True
        elif model_update(instance=date, fields=DATE_FIELDS, data=data):
            changed = True
        keep.append(date.pk)
    removed, _by_model = CourseDate.objects.filter(course=course).exclude(pk__in=keep).delete()
    return changed or bool(removed)


@transaction.atomic
def course_publish(*, course: Course, by: User) -> Course:
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    course = lock_course(course)
    if not course.dates.exists():
        raise ValidationError(_("Eine Schulung ohne Termin kann nicht veröffentlicht werden."))
    if course.status != CourseStatus.DRAFT:
        raise ValidationError(_("Nur Entwürfe können veröffentlicht werden."))
    course.status = CourseStatus.PUBLISHED
    course.save(update_fields=["status", "updated_at"])
    return course


@transaction.atomic
def course_duplicate(*, course: Course, by: User) -> Course:
    """A new draft with the same details and dates; project staff then move the dates."""
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    copy = Course.objects.get(pk=course.pk)
    copy.pk = None
    copy.title = _("%(title)s (Kopie)") % {"title": course.title}
    copy.status = CourseStatus.DRAFT
    copy.created_by = by
    copy.save()
    CourseDate.objects.bulk_create(
        CourseDate(course=copy, starts_at=d.starts_at, ends_at=d.ends_at, room=d.room)
        for d in course.dates.all()
    )
    return copy


@transaction.atomic
def course_cancel(*, course: Course, by: User, reason: str = "") -> Course:
    """Cancel the course and tell everyone enrolled or waiting."""
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    course = lock_course(course)
    if course.status == CourseStatus.CANCELLED:
        return course
    course.status = CourseStatus.CANCELLED
    course.save(update_fields=["status", "updated_at"])
    _read_dates_once(course)
    with handover_batch():
        for enrollment in Enrollment.objects.filter(course=course).active().select_related("participant"):
            send_email(
                to=[enrollment.participant.email],
                template="training/course_cancelled",
                context={"course": course, "participant": enrollment.participant, "reason": reason},
                language=enrollment.participant.language,
            )
    return course
