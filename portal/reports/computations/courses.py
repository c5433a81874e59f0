"""The training's computations: courses held, attendance, feedback and applying what was learned."""

from datetime import date
from typing import Any

from django.db.models import Case, CharField, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from portal.reports.computations.grouped import (
    Aggregate,
    _distinct,
    _flag,
    _flagged,
    _one,
    _reach,
    _row_flag,
    grouped,
    grouped_source,
    grouped_source_in_both,
)
from portal.reports.computations.periods import IN_BOTH, _bounds, held
from portal.reports.computations.registry import Figure, Share, Span, computation
from training.models import (
    Attendance,
    Course,
    CourseStatus,
    EnrollmentStatus,
    Feedback,
    FollowUpAnswer,
    OpenTo,
    UsesLearning,
)

# The courses whose dates count: published or completed (drafts and cancelled ones never do).
COUNTED_COURSES = [CourseStatus.PUBLISHED, CourseStatus.COMPLETED]


def held_courses(date_from: date, date_to: date) -> QuerySet[Course]:
    return Course.objects.filter(held("dates__", date_from, date_to), status__in=COUNTED_COURSES)


@grouped_source_in_both
def _courses_held(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The courses with a date held in a period (flag `held<i>`, see held_courses), in the states
    they are open to (IN_BOTH: open to both)."""
    rows = (
        held_courses(*_reach(spans))
        .annotate(
            state=Case(
                When(open_to=OpenTo.BOTH, then=Value(IN_BOTH)), default=F("open_to"), output_field=CharField()
            )
        )
        .values("pk", "state")
        .annotate(**{f"held{i}": _flag(held("dates__", *span)) for i, span in enumerate(spans)})
        .order_by()
    )
    return rows, {"courses": ("held", _flagged)}


_COURSES = grouped("courses_held", lambda counts: counts.get("courses", 0))


@computation("courses_held", _("Durchgeführte Qualifizierungen"), many=_COURSES)
def courses_held(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Published or completed courses with at least one date held in the period (see `held`).

    With a state: the courses open to that state (open to both states or to that state only).
    """
    return _one(_COURSES, date_from, date_to, state)


@grouped_source
def _attendance(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """Pairs of person and calendar day with a "present" mark on a course date held in a period (flag
    `held<i>`). Only a confirmed seat and a "present" mark count: cancelled, waitlisted and requested
    enrollments and absences never do, even if an attendance row exists."""
    rows = (
        Attendance.objects.filter(
            held("course_date__", *_reach(spans)), present=True, enrollment__status=EnrollmentStatus.CONFIRMED
        )
        .annotate(
            person=F("enrollment__participant"),
            day=TruncDate("course_date__starts_at"),
            state=F("enrollment__participant__authority__state"),
        )
        .values("person", "day", "state")
        .annotate(**{f"held{i}": _flag(held("course_date__", *span)) for i, span in enumerate(spans)})
        .order_by()
    )
    return rows, {"people": ("held", _distinct("person")), "days": ("held", _flagged)}


@grouped_source
def _feedback(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """The people (confirmed enrollment) who gave feedback on a course held in a period (see
    courses_held; flag `given<i>`) and who rated one of them with usefulness 4 or 5 (`useful<i>`)."""
    dates = "enrollment__course__dates__"
    flags: dict[str, Max] = {}
    for i, span in enumerate(spans):
        flags[f"given{i}"] = _flag(held(dates, *span))
        flags[f"useful{i}"] = _flag(held(dates, *span) & Q(usefulness__gte=4))
    rows = (
        Feedback.objects.filter(
            held(dates, *_reach(spans)),
            enrollment__course__status__in=COUNTED_COURSES,
            enrollment__status=EnrollmentStatus.CONFIRMED,
        )
        .annotate(person=F("enrollment__participant"), state=F("enrollment__participant__authority__state"))
        .values("person", "state")
        .annotate(**flags)
        .order_by()
    )
    return rows, {"given": ("given", _flagged), "useful": ("useful", _flagged)}


_PEOPLE = grouped("participants_people", lambda counts: counts.get("people", 0))
_DAYS = grouped("participant_days", lambda counts: counts.get("days", 0))
_USEFUL = grouped("participants_useful", lambda counts: counts.get("useful", 0))
_USEFUL_SHARE = grouped(
    "participants_useful_share", lambda counts: Share.of(counts.get("useful", 0), counts.get("given", 0))
)
_WITH_FEEDBACK = grouped("participants_with_feedback", lambda counts: counts.get("given", 0))


@computation("participants_people", _("Teilnehmende Personen an Qualifizierungen"), many=_PEOPLE)
def participants_people(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people with a confirmed enrollment marked present on at least one course date held in
    the period; a person at two courses counts once."""
    return _one(_PEOPLE, date_from, date_to, state)


@computation("participant_days", _("Teilnahmetage"), many=_DAYS)
def participant_days(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Pairs of person and calendar day with a "present" mark on a course date of the period
    (confirmed enrollments only); two course dates on one day count once for that person."""
    return _one(_DAYS, date_from, date_to, state)


@computation(
    "participants_useful", _("Teilnehmende, die die Qualifizierung als nützlich bewerten"), many=_USEFUL
)
def participants_useful(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people (confirmed enrollment) who rated a course held in the period (see
    courses_held) with usefulness 4 or 5."""
    return _one(_USEFUL, date_from, date_to, state)


@computation(
    "participants_useful_share",
    _("Anteil der Teilnehmenden, die die Qualifizierung als nützlich bewerten"),
    many=_USEFUL_SHARE,
)
def participants_useful_share(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Per cent of the distinct people with feedback on a course held in the period who rated one
    with 4 or 5, rounded to one decimal; 0.0 when nobody gave feedback."""
    return _one(_USEFUL_SHARE, date_from, date_to, state)


@computation(
    "participants_with_feedback", _("Teilnehmende mit Rückmeldung zur Qualifizierung"), many=_WITH_FEEDBACK
)
def participants_with_feedback(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people (confirmed enrollment) who gave feedback on a course held in the period: the
    base of participants_useful_share."""
    return _one(_WITH_FEEDBACK, date_from, date_to, state)


def _ended_in(span: Span) -> Q:
    """A course's last date (`last_end`) ended in the period and before the moment read as of."""
    start, end = _bounds(*span)
    return Q(last_end__gte=start, last_end__lte=end)


@grouped_source
def _applying(spans: list[Span]) -> tuple[QuerySet[Any], dict[str, tuple[str, Aggregate]]]:
    """Per person (confirmed enrollment) and course (published or completed) answered in the follow-up
    with "Ja" or "Teilweise": whether the course's last date ended in a period (flag `applies<i>`)."""
    rows = (
        FollowUpAnswer.objects.filter(
            uses_learning__in=[UsesLearning.YES, UsesLearning.PARTLY],
            enrollment__status=EnrollmentStatus.CONFIRMED,
            enrollment__course__status__in=COUNTED_COURSES,
        )
        .annotate(
            person=F("enrollment__participant"),
            taken=F("enrollment__course"),
            state=F("enrollment__participant__authority__state"),
        )
        .values("person", "taken", "state")
        .annotate(last_end=Max("enrollment__course__dates__ends_at"))
        .filter(_ended_in(_reach(spans)))
        .annotate(**{f"applies{i}": _row_flag(_ended_in(span)) for i, span in enumerate(spans)})
        .order_by()
    )
    return rows, {"applying": ("applies", _distinct("person"))}


_APPLYING = grouped("participants_apply_learning", lambda counts: counts.get("applying", 0))


@computation("participants_apply_learning", _("Teilnehmende, die das Gelernte anwenden"), many=_APPLYING)
def participants_apply_learning(*, date_from: date, date_to: date, state: str | None = None) -> Figure:
    """Distinct people (confirmed enrollment) who answered the follow-up with "Ja" or "Teilweise" for
    a published or completed course whose last date ended in the period (and before the moment)."""
    return _one(_APPLYING, date_from, date_to, state)
