"""Who may do what in the trainings, and the one helper per object that fetches it for a user.

Views, services, tasks and templates (through flags the views set) ask these functions; a second
copy of a rule is the bug that is about to happen: the course services once let anybody create,
change, publish, copy or cancel a course, because only the views checked. A scope helper
(`<object>_for(user, pk)`) answers 404 for an object the user may not see, as everywhere in the portal.

Who may act for others stays per app on purpose: here project staff and coordinators enrol other
people (`may_enroll_others`); in the networks only coordinators register colleagues.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.rules import may_act_for
from training.models import Course, CourseDate, CourseQuerySet, Enrollment, SignInSheet

# --- decisions ----------------------------------------------------------------------------------------


def may_manage_courses(user: User) -> bool:
    """Project staff run the courses: topics, the course form, publishing, copying, cancelling, and
    everything about a course's people and papers (confirming requests, enrolling outside the
    registration window, corrections after the start, attendance, participant lists and exports,
    certificates, sign-in sheets, the feedback results)."""
    return user.is_project_staff


def may_take_part(user: User) -> bool:
    """Courses are for the staff of the authorities: they enrol, have "Meine Schulungen", a personal
    calendar feed, and give feedback."""
    return user.is_authority_staff


def may_enroll(actor: User, participant: User) -> bool:
    """Enrol `participant`: someone who takes part in courses, by themselves, their coordinator or
    project staff."""
    return may_take_part(participant) and may_act_for(actor, participant)


def may_enroll_others(user: User) -> bool:
    """Choose another person to enrol: project staff anyone, a coordinator their colleagues."""
    return user.is_project_staff or user.is_coordinator


def may_see_participants(user: User) -> bool:
    """The participant list: project staff everyone, a coordinator their authority's people (the
    queryset `Enrollment.objects.visible_to` narrows it)."""
    return user.is_project_staff or user.is_coordinator


def may_cancel(actor: User, enrollment: Enrollment) -> bool:
    """Cancel the enrollment: the participant, their coordinator, project staff (whether it is still
    possible at this moment says `cancellation_refused`)."""
    return may_act_for(actor, enrollment.participant)


def cancellation_refused(course: Course, by: User, dates: Iterable[CourseDate] | None = None) -> str:
    """Why `by` may not cancel an enrollment in the course now, or "". Once its first date has begun,
    the course's enrollments are figures of a period the funders read: participants and coordinators
    can no longer cancel, project staff only correct them, with a reason (`enrollment_cancel`).
    `dates`: the course's dates where the page has read them already (no query)."""
    if not may_manage_courses(by) and course.has_begun(dates=dates):
        return _(
            "Die Schulung hat bereits begonnen; die Anmeldung kann nicht mehr storniert werden. "
            "Bitte wenden Sie sich an das Projektteam, wenn sie korrigiert werden muss."
        )
    return ""


def may_give_feedback(user: User, enrollment: Enrollment) -> bool:
    """Feedback and the follow-up answer: only the participant (whether they attended, the service
    checks and says)."""
    return user.pk is not None and user.pk == enrollment.participant_id


# --- scope helpers: the object, or 404 ---------------------------------------------------------------


def course_for(user: User, pk: int, courses: CourseQuerySet | None = None) -> Course:
    """The course if the user sees it, else 404; `courses`: a queryset with what the page reads
    besides (its seats, its topic), in the same query."""
    return get_object_or_404(
        (courses if courses is not None else Course.objects.all()).visible_to(user), pk=pk
    )


def course_date_for(user: User, pk: int, date_pk: int) -> CourseDate:
    """A date of a course the user sees (a date of another course under this course's path: 404)."""
    dates = CourseDate.objects.filter(course__in=Course.objects.visible_to(user)).select_related("course")
    return get_object_or_404(dates, pk=date_pk, course_id=pk)


def enrollment_for(user: User, pk: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(user).select_related("course", "participant"), pk=pk
    )


def _attended(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.filter(attendances__present=True).distinct()


def own_attended_enrollment_for(user: User, pk: int) -> Enrollment:
    """The user's own enrollment, once they attended a date (feedback, follow-up): nobody else gets to
    see these forms."""
    return get_object_or_404(
        _attended(Enrollment.objects.filter(participant=user)).select_related("course"), pk=pk
    )


def certificate_enrollment_for(user: User, pk: int) -> Enrollment:
    """An enrollment whose certificate the user may download: the participant, their coordinator and
    project staff; only for someone who attended."""
    return get_object_or_404(
        _attended(Enrollment.objects.visible_to(user)).select_related("course", "participant"), pk=pk
    )


def sign_in_sheet_for(user: User, pk: int, date_pk: int) -> SignInSheet:
    return get_object_or_404(
        SignInSheet.objects.filter(course_date__course__in=Course.objects.visible_to(user)).select_related(
            "course_date__course"
        ),
        course_date_id=date_pk,
        course_date__course_id=pk,
    )
