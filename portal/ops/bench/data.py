"""The benchmark's data: the demo data (`seed_demo`), then `copies` more of it, so that the main pages
are measured with ten times the demo rows.

The 90 authorities are the real ones and stay 90; everything that grows with the project is copied:
authority staff (spread over all 90 authorities), contact persons, the authorities' change history,
courses with their dates, change
processes with goals, measures, milestones, consultations, phase changes and self-checks (a running
one for every authority, the rest completed), networks with members, meetings and registrations.
Enrollments are filled up to ENROLLMENTS in all (the issue asks for 10,000 in the database), with
attendance and feedback for the courses that lie in the past, as the demo has them.

Rows are bulk-created (the services would take minutes for this many); the demo rows they are copied
from went through the services, so the copies are consistent in the same way.
"""

from datetime import timedelta

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from authorities.models import (
    Answer,
    AssessmentRound,
    Authority,
    ChangeProcess,
    Consultation,
    ContactPerson,
    Goal,
    HistoryEntry,
    Measure,
    Milestone,
    PhaseTransition,
    ProcessStatus,
    ProcessStatusChange,
)
from network.models import Meeting, MeetingRegistration, Network, Post, Thread
from portal.accounts.models import Role, User
from portal.reports.finance.models import Expenditure, FundReceipt
from training.models import (
    Attendance,
    Course,
    CourseDate,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Feedback,
)

ENROLLMENTS = 10_000
# One upcoming course of a grown project with this many enrollments (its participant list is measured),
# and one discussion thread with this many posts.
CROWDED = 300
THREAD_POSTS = 200
# An unusable password (as set_unusable_password makes it), the same for every copy: hashing 600 is slow.
UNUSABLE_PASSWORD = "!bench-unusable"

# The tables that the scale is checked on (tests/ops/bench): label -> model.
SCALED = {
    "users": User,
    "contact_persons": ContactPerson,
    "history_entries": HistoryEntry,
    "courses": Course,
    "course_dates": CourseDate,
    "change_processes": ChangeProcess,
    "goals": Goal,
    "measures": Measure,
    "milestones": Milestone,
    "consultations": Consultation,
    "networks": Network,
    "meetings": Meeting,
    "meeting_registrations": MeetingRegistration,
    "enrollments": Enrollment,
    "expenditures": Expenditure,
    "fund_receipts": FundReceipt,
}


def seed_demo() -> None:
    call_command("seed_demo", verbosity=0)


def table_counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in SCALED.items()}


def _copy(obj, **changes):
    """An unsaved copy of a model instance with some fields changed."""
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in changes
    }
    return type(obj)(**{**values, **changes})


@transaction.atomic
def build_tenfold(copies: int = 9, enrollments: int = ENROLLMENTS) -> dict[str, int]:
    """Add `copies` copies of the demo rows (on top of seed_demo) and fill enrollments up to
    `enrollments`; returns table_counts()."""
    _users(copies)
    _contacts(copies)
    _history(copies)
    new_courses = _courses(copies)
    _processes(copies)
    _networks(copies)
    _enrollments(new_courses, enrollments)
    _long_thread()
    _finances(copies)
    return table_counts()


def _users(copies):
    authorities = list(Authority.objects.order_by("ags"))
    demo = User.objects.count()
    User.objects.bulk_create(
        User(
            email=f"bench{n}@abh-{authorities[n % len(authorities)].ags}.example.org",
            first_name=["Alex", "Kim", "Robin", "Sam", "Jule", "Noah"][n % 6],
            last_name=f"Mitarbeitende {n:04d}",
            role=Role.AUTHORITY_STAFF,
            authority=authorities[n % len(authorities)],
            is_coordinator=n < len(authorities),
            password=UNUSABLE_PASSWORD,
        )
        for n in range(demo * copies)
    )


def _contacts(copies):
    demo = list(ContactPerson.objects.order_by("pk"))
    authorities = list(Authority.objects.order_by("ags"))
    ContactPerson.objects.bulk_create(
        _copy(contact, authority=authorities[(k * len(demo) + i) % len(authorities)], email="")
        for k in range(copies)
        for i, contact in enumerate(demo)
    )


def _history(copies):
    """The authorities' change history (the funders' figures of started and completed processes
    read it), spread over all authorities, each copy at the time of its original."""
    demo = list(HistoryEntry.objects.order_by("pk"))
    authorities = list(Authority.objects.order_by("ags"))
    copies_made = HistoryEntry.objects.bulk_create(
        _copy(entry, authority=authorities[(k * len(demo) + i) % len(authorities)])
        for k in range(copies)
        for i, entry in enumerate(demo)
    )
    for index, copy in enumerate(copies_made):
        copy.at = demo[index % len(demo)].at  # auto_now_add set it to now
    HistoryEntry.objects.bulk_update(copies_made, ["at"], batch_size=2000)


def _courses(copies) -> list[Course]:
    demo = list(Course.objects.order_by("pk"))
    dates = list(CourseDate.objects.order_by("pk"))
    new = Course.objects.bulk_create(
        _copy(course, title=f"{course.title} ({k + 2})") for k in range(copies) for course in demo
    )
    origin = {copy.pk: demo[i % len(demo)] for i, copy in enumerate(new)}
    CourseDate.objects.bulk_create(
        # Each copy a day later than the one before, so that the catalogue mixes them.
        _copy(date, course=copy, starts_at=date.starts_at + shift, ends_at=date.ends_at + shift)
        for index, copy in enumerate(new)
        for shift in [timedelta(days=1 + index // len(demo))]
        for date in dates
        if date.course_id == origin[copy.pk].pk
    )
    return new


def _processes(copies):
    demo = list(ChangeProcess.objects.order_by("pk"))
    without = list(Authority.objects.exclude(processes__in=ChangeProcess.objects.active()).order_by("ags"))
    authorities = list(Authority.objects.order_by("ags"))
    new = []
    for n in range(len(demo) * copies):
        source = demo[n % len(demo)]
        # A running process for every authority that has none; the rest are completed ones (history).
        if n < len(without):
            new.append(_copy(source, authority=without[n]))
        else:
            new.append(
                _copy(source, authority=authorities[n % len(authorities)], status=ProcessStatus.COMPLETED)
            )
    new = ChangeProcess.objects.bulk_create(new)
    for n, process in enumerate(new):
        process.source_id = demo[n % len(demo)].pk
    # The completed ones as the status service records them: a dated change to "Abgeschlossen".
    ProcessStatusChange.objects.bulk_create(
        ProcessStatusChange(
            process=process,
            from_status=ProcessStatus.ACTIVE,
            to_status=ProcessStatus.COMPLETED,
            day=min(process.started_on + timedelta(days=180), timezone.localdate()),
        )
        for process in new
        if process.status == ProcessStatus.COMPLETED
    )
    _process_children(new)


def _process_children(new):
    by_source = {}
    for process in new:
        by_source.setdefault(process.source_id, []).append(process)
    goals = {}
    for goal in Goal.objects.filter(process__in=by_source).order_by("pk"):
        for process in by_source[goal.process_id]:
            goals[(goal.pk, process.pk)] = _copy(goal, process=process)
    Goal.objects.bulk_create(goals.values())
    Measure.objects.bulk_create(
        _copy(
            measure,
            process=process,
            goal=goals[(measure.goal_id, process.pk)] if measure.goal_id else None,
        )
        for measure in Measure.objects.filter(process__in=by_source)
        for process in by_source[measure.process_id]
    )
    for model in (Milestone, Consultation, PhaseTransition):
        model.objects.bulk_create(
            _copy(row, process=process)
            for row in model.objects.filter(process__in=by_source)
            for process in by_source[row.process_id]
        )
    rounds = {}
    for assessment in AssessmentRound.objects.filter(process__in=by_source):
        for process in by_source[assessment.process_id]:
            rounds[(assessment.pk, process.pk)] = _copy(assessment, process=process)
    AssessmentRound.objects.bulk_create(rounds.values())
    Answer.objects.bulk_create(
        _copy(answer, round=copy)
        for answer in Answer.objects.filter(round__process__in=by_source)
        for (round_pk, _process), copy in rounds.items()
        if round_pk == answer.round_id
    )


def _networks(copies):
    demo = list(Network.objects.prefetch_related("members", "moderators").order_by("pk"))
    for k in range(copies):
        for network in demo:
            copy = _copy(network, name=f"{network.name} ({k + 2})")
            copy.save()
            copy.members.set(network.members.all())
            copy.moderators.set(network.moderators.all())
            meetings = list(network.meetings.order_by("pk"))
            new = Meeting.objects.bulk_create(_copy(meeting, network=copy) for meeting in meetings)
            MeetingRegistration.objects.bulk_create(
                _copy(registration, meeting=new_meeting)
                for meeting, new_meeting in zip(meetings, new, strict=True)
                for registration in meeting.registrations.all()
            )


def _enrollments(courses, total):
    """Fill the copied courses with confirmed enrollments up to `total` in the database; a course whose
    dates lie in the past gets attendance (every fifth person missed a day) and feedback, as in the demo."""
    people = list(User.objects.filter(role=Role.AUTHORITY_STAFF).order_by("pk"))
    staff = User.objects.filter(role=Role.PROJECT_STAFF).order_by("pk").first()
    missing = max(total - Enrollment.objects.count(), 0)
    # The crowded one: the first copy of a published course (upcoming in the demo), CROWDED people.
    crowded = next((c for c in courses if c.status == CourseStatus.PUBLISHED), courses[0])
    others = [course for course in courses if course is not crowded]
    per_course, extra = divmod(max(missing - CROWDED, 0), len(others))
    if max(per_course + 1, CROWDED) > len(people):
        raise ValueError(f"{len(people)} people cannot fill {len(courses)} courses to {total} enrollments")
    rows = []
    for index, course in enumerate([crowded, *others]):
        count = CROWDED if course is crowded else per_course + (1 if index - 1 < extra else 0)
        rows += [
            Enrollment(
                course=course,
                participant=people[(index * 53 + j) % len(people)],
                status=EnrollmentStatus.CONFIRMED,
                enrolled_by=staff,
                confirmed_at=course.created_at,
            )
            for j in range(count)
        ]
        # Large enough for everyone: the copies are the bigger courses of a grown project.
        course.capacity = max(course.capacity, count)
    Course.objects.bulk_update(courses, ["capacity"])
    created = Enrollment.objects.bulk_create(rows, batch_size=2000)
    past = {c.pk for c in courses if c.status == CourseStatus.COMPLETED}
    dates = {}
    for date in CourseDate.objects.filter(course__in=past):
        dates.setdefault(date.course_id, []).append(date)
    attendance, feedback = [], []
    for i, enrollment in enumerate(e for e in created if e.course_id in past):
        for date in dates.get(enrollment.course_id, []):
            attendance.append(
                Attendance(enrollment=enrollment, course_date=date, present=i % 5 != 4, marked_by=staff)
            )
        if i % 5 != 4 and i % 3 != 2:
            feedback.append(Feedback(enrollment=enrollment, usefulness=[5, 4, 4, 3, 5, 2][i % 6]))
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    Feedback.objects.bulk_create(feedback, batch_size=2000)


def _long_thread():
    """The demo's longest discussion thread, grown to THREAD_POSTS posts by its network's members."""
    thread = Thread.objects.annotate(n=Count("posts")).order_by("-n", "pk").first()
    if thread is None:
        return
    people = list(User.objects.filter(authority__in=thread.network.members.all()).order_by("pk")[:20])
    start = thread.posts.order_by("-created_at").values_list("created_at", flat=True).first()
    posts = Post.objects.bulk_create(
        Post(
            thread=thread,
            author=people[n % len(people)],
            body=f"Beitrag {n}: " + "Erfahrungen. " * (5 + n % 20),
        )
        for n in range(THREAD_POSTS - thread.n)
    )
    for n, post in enumerate(posts):
        post.created_at = start + timedelta(minutes=n + 1)  # auto_now_add set it to now
    Post.objects.bulk_update(posts, ["created_at"], batch_size=2000)


def _finances(copies):
    """The demo project's expenditures (reversals with the rows they reverse) and receipts, `copies` more
    times; the running numbers go on."""
    originals = list(Expenditure.objects.filter(reverses__isnull=True).order_by("project", "number"))
    reversals = list(Expenditure.objects.filter(reverses__isnull=False).order_by("project", "number"))
    numbers: dict[int, int] = {}
    for row in originals + reversals:
        numbers[row.project_id] = max(numbers.get(row.project_id, 0), row.number)

    def numbered(row, copy, **changes):
        numbers[row.project_id] += 1
        return _copy(row, number=numbers[row.project_id], purpose=f"{row.purpose} ({copy})", **changes)

    for copy in range(1, copies + 1):
        made = Expenditure.objects.bulk_create([numbered(row, copy) for row in originals], batch_size=500)
        twin = {row.pk: new.pk for row, new in zip(originals, made, strict=True)}
        Expenditure.objects.bulk_create(
            [numbered(row, copy, reverses_id=twin[row.reverses_id]) for row in reversals], batch_size=500
        )
    receipts = list(FundReceipt.objects.all())
    FundReceipt.objects.bulk_create([_copy(row) for _ in range(copies) for row in receipts], batch_size=500)


def analyze() -> None:
    """Statistics for the new rows, as PostgreSQL's autovacuum keeps them in production: measured right
    after building the 10x data, the planner chose scans that made the indicator page 2.5x slower."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
