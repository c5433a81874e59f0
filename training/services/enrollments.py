"""Every write of the training app. Seats and waiting lists change only under the course's row lock."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.notifications.mail import send_email
from portal.notifications.services import notify
from training import ics
from training.models import (
    Attendance,
    Course,
    CourseDate,
    CourseStatus,
    Enrollment,
    EnrollmentMode,
    EnrollmentStatus,
    Feedback,
    FollowUpAnswer,
    Topic,
)


class EnrollmentRefused(ValidationError):
    """Enrollment is not possible; the message says why, in words for the page."""


def may_manage_enrollment_of(actor: User, participant: User) -> bool:
    """Who may enroll or cancel whom: oneself, a coordinator their colleagues, project staff anyone."""
    if actor.is_project_staff:
        return True
    if actor.pk == participant.pk:
        return actor.is_authority_staff
    return actor.is_coordinator and participant.authority_id == actor.authority_id


def _lock(course: Course) -> Course:
    # Every change to seats or the waiting list takes this lock first, so that counting and
    # writing happen as one step however many people click at once.
    return Course.objects.select_for_update().get(pk=course.pk)


def _has_free_seat(course: Course, participant: User) -> bool:
    seats = Enrollment.objects.filter(course=course).holding_seats()
    if seats.count() >= course.capacity:
        return False
    if course.seats_per_authority is not None:
        return (
            seats.filter(participant__authority_id=participant.authority_id).count()
            < course.seats_per_authority
        )
    return True


def _seat_status(course: Course) -> str:
    return (
        EnrollmentStatus.REQUESTED
        if course.enrollment_mode == EnrollmentMode.REQUEST
        else EnrollmentStatus.CONFIRMED
    )


def lock_participant(participant: User) -> User:
    """The participant's row, locked and read afresh; refused when the account is deactivated or erased.

    Taken before the course's lock: erasure (portal/privacy/erasure.py) locks the person's row first
    and then their courses, so an erasure and an enrollment of the same person run one after the
    other and an erased account never ends up with a seat (nor a mail)."""
    participant = User.objects.select_for_update().get(pk=participant.pk)
    if not participant.is_active or participant.is_erased:
        raise EnrollmentRefused(
            _("%(name)s kann nicht angemeldet werden: Das Konto ist deaktiviert oder gelöscht.")
            % {"name": participant}
        )
    return participant


@transaction.atomic
def enrollment_create(*, course: Course, participant: User, by: User) -> Enrollment:
    if not may_manage_enrollment_of(by, participant) or not participant.is_authority_staff:
        raise PermissionDenied
    participant = lock_participant(participant)
    course = _lock(course)
    problem = course.registration_problem()
    if problem and not by.is_project_staff:
        raise EnrollmentRefused(problem)
    if course.status != CourseStatus.PUBLISHED:
        raise EnrollmentRefused(course.registration_problem() or _("Die Schulung ist nicht veröffentlicht."))
    if not course.is_open_to(participant.authority):
        raise EnrollmentRefused(_("Die Schulung ist für Behörden aus diesem Land nicht geöffnet."))
    if Enrollment.objects.filter(course=course, participant=participant).active().exists():
        raise EnrollmentRefused(
            _("%(name)s ist für diese Schulung bereits angemeldet.") % {"name": participant}
        )

    enrollment = Enrollment(course=course, participant=participant, enrolled_by=by)
    if _has_free_seat(course, participant):
        enrollment.status = _seat_status(course)
        if enrollment.status == EnrollmentStatus.CONFIRMED:
            enrollment.confirmed_at = timezone.now()
    else:
        last = Enrollment.objects.filter(course=course, status=EnrollmentStatus.WAITLISTED).aggregate(
            last=Max("waitlist_position")
        )["last"]
        enrollment.status = EnrollmentStatus.WAITLISTED
        enrollment.waitlist_position = (last or 0) + 1
    try:
        # The unique constraint is the last line of defence against a double enrollment.
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        raise EnrollmentRefused(
            _("%(name)s ist für diese Schulung bereits angemeldet.") % {"name": participant}
        ) from None
    _notify(enrollment)
    return enrollment


def cancellation_refused(course: Course, by: User) -> str:
    """Why `by` may not cancel an enrollment in the course, or "". Once its first date has begun, the
    course's enrollments are figures of a period the funders read: participants and coordinators can
    no longer cancel, project staff only correct them, with a reason (`enrollment_cancel`)."""
    if not by.is_project_staff and course.has_begun():
        return _(
            "Die Schulung hat bereits begonnen; die Anmeldung kann nicht mehr storniert werden. "
            "Bitte wenden Sie sich an das Projektteam, wenn sie korrigiert werden muss."
        )
    return ""


@transaction.atomic
def enrollment_cancel(*, enrollment: Enrollment, by: User, reason: str = "") -> Enrollment:
    if not may_manage_enrollment_of(by, enrollment.participant):
        raise PermissionDenied
    course = _lock(enrollment.course)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == EnrollmentStatus.CANCELLED:
        return enrollment
    if refusal := cancellation_refused(course, by):
        raise EnrollmentRefused(refusal)
    begun = course.has_begun()
    if begun and not reason.strip():
        raise ValidationError(
            {"reason": _("Bitte geben Sie an, warum die Anmeldung nach Beginn der Schulung storniert wird.")}
        )
    left_position = enrollment.waitlist_position
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.waitlist_position = None
    enrollment.cancelled_at = timezone.now()
    enrollment.cancelled_by = by
    enrollment.cancellation_reason = reason.strip()
    enrollment.save()
    if left_position is not None:
        _close_gap(course, left_position)
    _notify(enrollment)
    if not begun:
        # A seat freed by a correction after the start goes to nobody: the course is under way or over.
        waitlist_promote(course=course)
    return enrollment


@transaction.atomic
def enrollment_confirm(*, enrollment: Enrollment, by: User) -> Enrollment:
    """Project staff accept a request; the seat was held since the request."""
    if not by.is_project_staff:
        raise PermissionDenied
    _lock(enrollment.course)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.REQUESTED:
        raise EnrollmentRefused(_("Nur offene Anfragen können bestätigt werden."))
    enrollment.status = EnrollmentStatus.CONFIRMED
    enrollment.confirmed_at = timezone.now()
    enrollment.save()
    _notify(enrollment)
    return enrollment


def _close_gap(course: Course, position: int) -> None:
    Enrollment.objects.filter(
        course=course, status=EnrollmentStatus.WAITLISTED, waitlist_position__gt=position
    ).update(waitlist_position=F("waitlist_position") - 1)


def waitlist_promote(*, course: Course) -> list[Enrollment]:
    """Give free seats to the waiting list, first come first served; call under the course's lock."""
    promoted = []
    if course.status != CourseStatus.PUBLISHED:
        return promoted
    waiting = Enrollment.objects.filter(course=course, status=EnrollmentStatus.WAITLISTED).select_related(
        "participant"
    )
    for enrollment in waiting.order_by("waitlist_position"):
        if Enrollment.objects.filter(course=course).holding_seats().count() >= course.capacity:
            break
        # Someone whose authority has used up its seats keeps their place; the next person may move up.
        if not _has_free_seat(course, enrollment.participant):
            continue
        # Earlier promotions in this loop moved everyone behind them up by one; read the place afresh.
        enrollment.refresh_from_db(fields=["waitlist_position"])
        position = enrollment.waitlist_position
        enrollment.status = _seat_status(course)
        enrollment.waitlist_position = None
        if enrollment.status == EnrollmentStatus.CONFIRMED:
            enrollment.confirmed_at = timezone.now()
        enrollment.save()
        _close_gap(course, position)
        promoted.append(enrollment)
        _notify(enrollment, promoted=True)
    return promoted


def _notify(enrollment: Enrollment, *, promoted: bool = False) -> None:
    participant = enrollment.participant
    template = {
        EnrollmentStatus.CONFIRMED: "enrollment_promoted" if promoted else "enrollment_confirmed",
        EnrollmentStatus.REQUESTED: "enrollment_requested",
        EnrollmentStatus.WAITLISTED: "enrollment_waitlisted",
        EnrollmentStatus.CANCELLED: "enrollment_cancelled",
    }[enrollment.status]
    # A confirmed seat comes with the course's dates as a calendar file.
    confirmed = enrollment.status == EnrollmentStatus.CONFIRMED
    send_email(
        to=[participant.email],
        template=f"training/{template}",
        context={"enrollment": enrollment, "course": enrollment.course, "participant": participant},
        language=participant.language,
        attachments=[ics.attachment(enrollment.course)] if confirmed else None,
    )


# --- courses ------------------------------------------------------------------------------------


def topic_create(*, name: str, by: User) -> Topic:
    if not by.is_project_staff:
        raise PermissionDenied
    topic = Topic(name=name.strip())
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def course_create(*, by: User, dates: list[dict], **values) -> Course:
    course = Course(created_by=by, **values)
    course.full_clean()
    course.save()
    _replace_dates(course, dates)
    return course


@transaction.atomic
def course_update(*, course: Course, by: User, dates: list[dict] | None = None, **values) -> Course:
    course = _lock(course)
    capacity_before = course.capacity
    before = _what_participants_rely_on(course)
    for name, value in values.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    if dates is not None:
        _replace_dates(course, dates)
    if course.capacity > capacity_before or "seats_per_authority" in values:
        waitlist_promote(course=course)
    if course.status == CourseStatus.PUBLISHED and _what_participants_rely_on(course) != before:
        _tell_about_change(course)
    return course


def _what_participants_rely_on(course: Course) -> tuple:
    """When, where and how the course takes place: a change here is mailed to everyone enrolled."""
    dates = tuple(course.dates.order_by("starts_at").values_list("starts_at", "ends_at", "room"))
    return (course.format, course.location, course.online_link, dates)


def _tell_about_change(course: Course) -> None:
    # One mail per change: the occasion is the moment of the change, so a later change is a new mail.
    occasion = f"changed-{timezone.now().isoformat(timespec='seconds')}"
    for enrollment in Enrollment.objects.filter(course=course).active().select_related("participant"):
        notify(
            recipient=enrollment.participant,
            kind="training.course_changed",
            obj=course,
            occasion=occasion,
            template="training/course_changed",
            context={"course": course, "participant": enrollment.participant, "enrollment": enrollment},
        )


def _replace_dates(course: Course, dates: list[dict]) -> None:
    keep = []
    for values in dates:
        # A pk from the form counts only if it is one of this course's dates.
        date = CourseDate.objects.filter(pk=values.get("pk"), course=course).first() or CourseDate(
            course=course
        )
        for name in ("starts_at", "ends_at", "room"):
            setattr(date, name, values.get(name, getattr(date, name)))
        date.full_clean()
        date.save()
        keep.append(date.pk)
    CourseDate.objects.filter(course=course).exclude(pk__in=keep).delete()


@transaction.atomic
def course_publish(*, course: Course, by: User) -> Course:
    course = _lock(course)
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
    course = _lock(course)
    if course.status == CourseStatus.CANCELLED:
        return course
    course.status = CourseStatus.CANCELLED
    course.save(update_fields=["status", "updated_at"])
    for enrollment in Enrollment.objects.filter(course=course).active().select_related("participant"):
        send_email(
            to=[enrollment.participant.email],
            template="training/course_cancelled",
            context={"course": course, "participant": enrollment.participant, "reason": reason},
            language=enrollment.participant.language,
        )
    return course


# --- during and after the course ---------------------------------------------------------------


@transaction.atomic
def attendance_record(*, course_date: CourseDate, present_ids: set[int], by: User) -> int:
    """Mark every confirmed participant of the date present or absent; returns how many are present."""
    if not by.is_project_staff:
        raise PermissionDenied
    enrollments = Enrollment.objects.filter(course=course_date.course, status=EnrollmentStatus.CONFIRMED)
    for enrollment in enrollments:
        Attendance.objects.update_or_create(
            enrollment=enrollment,
            course_date=course_date,
            defaults={"present": enrollment.pk in present_ids, "marked_by": by},
        )
    return enrollments.filter(pk__in=present_ids).count()


@transaction.atomic
def feedback_submit(*, enrollment: Enrollment, by: User, usefulness: int, will_apply: str, comments: str):
    if by.pk != enrollment.participant_id:
        raise PermissionDenied
    if not enrollment.attendances.filter(present=True).exists():
        raise ValidationError(_("Eine Rückmeldung ist nach der Teilnahme an der Schulung möglich."))
    feedback, _created = Feedback.objects.update_or_create(
        enrollment=enrollment,
        defaults={"usefulness": usefulness, "will_apply": will_apply, "comments": comments},
    )
    return feedback


@transaction.atomic
def follow_up_submit(
    *, enrollment: Enrollment, by: User, uses_learning: str, example: str = ""
) -> FollowUpAnswer:
    if by.pk != enrollment.participant_id:
        raise PermissionDenied
    if not enrollment.attendances.filter(present=True).exists():
        raise ValidationError(
            _("Die Nachfrage richtet sich an Personen, die an der Schulung teilgenommen haben.")
        )
    answer, _created = FollowUpAnswer.objects.update_or_create(
        enrollment=enrollment, defaults={"uses_learning": uses_learning, "example": example}
    )
    return answer


# --- mails after the course ----------------------------------------------------------------------

FEEDBACK_REQUEST_WINDOW = timedelta(days=30)


def feedback_requests_send(*, now=None) -> int:
    """Ask everyone who attended a course that ended in the last 30 days for feedback, once.

    Beat runs this every hour; a missed run is caught up by the next one, and the claim row makes
    sure that two runs, two workers or a retried task never send the request twice.
    """
    now = now or timezone.now()
    due = Enrollment.objects.attended_in_courses_ended_between(now - FEEDBACK_REQUEST_WINDOW, now)
    return notify_participants(due.filter(feedback__isnull=True), kind="training.feedback_request")


def notify_participants(enrollments, *, kind: str) -> int:
    """One mail per enrollment (templates/email/training/<kind without prefix>), each claimed once."""
    return sum(
        notify(
            recipient=enrollment.participant,
            kind=kind,
            obj=enrollment,
            template=f"training/{kind.removeprefix('training.')}",
            context={
                "enrollment": enrollment,
                "course": enrollment.course,
                "participant": enrollment.participant,
            },
        )
        for enrollment in enrollments
    )
