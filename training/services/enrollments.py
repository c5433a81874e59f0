"""Who holds a seat: enrolling, cancelling, confirming, the waiting list and attendance.

Seats and waiting lists change only under the course's row lock (`lock_course`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.notifications.mail import send_email
from portal.notifications.services import participants_message
from training import ics, rules
from training.models import (
    ACTIVE_SEAT_STATUSES,
    Attendance,
    Course,
    CourseDate,
    CourseStatus,
    Enrollment,
    EnrollmentMode,
    EnrollmentStatus,
)


class EnrollmentRefused(ValidationError):
    """Enrollment is not possible; the message says why, in words for the page."""


def lock_course(course: Course) -> Course:
    # Every change to seats or the waiting list takes this lock first, so that counting and
    # writing happen as one step however many people click at once.
    return Course.objects.select_for_update().get(pk=course.pk)


def _has_free_seat(course: Course, participant: User) -> bool:
    seats = Enrollment.objects.filter(course=course).holding_seats()
    if seats.count() >= course.capacity:
        return False
    if course.seats_per_authority is not None:
        same_authority = Q(participant__authority_id=participant.authority_id)
        return seats.filter(same_authority).count() < course.seats_per_authority
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
    if not rules.may_enroll(by, participant):
        raise PermissionDenied
    participant = lock_participant(participant)
    course = lock_course(course)
    problem = course.registration_problem()
    # Project staff may enrol outside the registration window (not in a course that is not open).
    if problem and not rules.may_manage_courses(by):
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


@transaction.atomic
def enrollment_cancel(*, enrollment: Enrollment, by: User, reason: str = "") -> Enrollment:
    if not rules.may_cancel(by, enrollment):
        raise PermissionDenied
    course = lock_course(enrollment.course)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == EnrollmentStatus.CANCELLED:
        return enrollment
    if refusal := rules.cancellation_refused(course, by):
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
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    lock_course(enrollment.course)
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
    promoted: list[Enrollment] = []
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
        if position is not None:  # always: a waiting place has a position (a check constraint)
            _close_gap(course, position)
        promoted.append(enrollment)
        _notify(enrollment, promoted=True)
    return promoted


def _notify(enrollment: Enrollment, *, promoted: bool = False) -> None:
    participant = enrollment.participant
    templates: dict[str, str] = {
        EnrollmentStatus.CONFIRMED: "enrollment_promoted" if promoted else "enrollment_confirmed",
        EnrollmentStatus.REQUESTED: "enrollment_requested",
        EnrollmentStatus.WAITLISTED: "enrollment_waitlisted",
        EnrollmentStatus.CANCELLED: "enrollment_cancelled",
    }
    template = templates[enrollment.status]
    # A confirmed seat comes with the course's dates as a calendar file.
    confirmed = enrollment.status == EnrollmentStatus.CONFIRMED
    # Someone enrolled by their coordinator (or project staff) learns by whom.
    by = enrollment.enrolled_by if enrollment.enrolled_by_id not in (None, participant.pk) else None
    send_email(
        to=[participant.email],
        template=f"training/{template}",
        context={
            "enrollment": enrollment,
            "course": enrollment.course,
            "participant": participant,
            "enrolled_by": by,
        },
        language=participant.language,
        attachments=[ics.attachment(enrollment.course)] if confirmed else None,
    )


@transaction.atomic
def course_message_send(
    *, course: Course, by: User, subject: str, text: str, token: str, waiting_list: bool = False
) -> int:
    """Project staff write to everyone holding a seat (and, if they choose, to the waiting list): one
    mail each through the outbox, all or none; returns how many were queued (0: sent before)."""
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    statuses = [*ACTIVE_SEAT_STATUSES, *([EnrollmentStatus.WAITLISTED] if waiting_list else [])]
    enrollments = Enrollment.objects.filter(course=course, status__in=statuses).select_related("participant")
    recipients = [enrollment.participant for enrollment in enrollments]
    if not recipients:
        raise ValidationError(
            _("Niemand ist angemeldet: Die Nachricht hätte keine Empfängerinnen und Empfänger.")
        )
    return participants_message(
        recipients=recipients,
        kind="training.participants_message",
        obj=course,
        sender=by,
        subject=subject,
        text=text,
        token=token,
    )


@transaction.atomic
def attendance_record(*, course_date: CourseDate, present_ids: set[int], by: User) -> int:
    """Mark every confirmed participant of the date present or absent; returns how many are present."""
    if not rules.may_manage_courses(by):
        raise PermissionDenied
    if not course_date.has_begun():
        raise ValidationError(
            _("Die Anwesenheit kann erst erfasst werden, wenn der Termin begonnen hat (%(start)s).")
            % {"start": date_format(timezone.localtime(course_date.starts_at), "DATETIME_FORMAT")}
        )
    enrollments = Enrollment.objects.filter(course=course_date.course, status=EnrollmentStatus.CONFIRMED)
    for enrollment in enrollments:
        Attendance.objects.update_or_create(
            enrollment=enrollment,
            course_date=course_date,
            defaults={"present": enrollment.pk in present_ids, "marked_by": by},
        )
    return enrollments.filter(pk__in=present_ids).count()
