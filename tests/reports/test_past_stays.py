"""A past period's figures never move (issue 15): the indicator table and its CSV of a period that has
ended, computed before and after any amount of work today through the services (new enrollments and
courses, status changes of authorities and processes, new processes, measures done, downloads,
cancellations, new documents, tasks done), are identical. Hypothesis picks the work; each example is
undone afterwards, so all meet the same past."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authorities.models import MeasureStatus, ParticipationStatus, ProcessStatus
from authorities.services import process as process_services
from authorities.services import registry as authority_services
from network.models import DocumentCategory
from network.services import library
from network.services import meetings as meeting_services
from portal.reports.indicator_table import indicator_rows
from tests.factories import (
    AuthorityFactory,
    ChangeProcessFactory,
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import PDF_BYTES, at, upload_of
from training.models import Attendance, CourseStatus, Enrollment, Feedback, FollowUpAnswer, UsesLearning
from training.services import courses as course_services
from training.services import enrollments as enrollment_services

PERIOD = {"date_from": date(2025, 1, 1), "date_to": date(2025, 6, 30)}
STATUSES = list(ParticipationStatus.values)
PROCESS_STATUSES = list(ProcessStatus.values)


@contextmanager
def on(day: date):
    """The services run as if it were 10:00 on `day`, German time."""
    moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _course(*days, people, useful=(), follow_up=()):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
    dates = [CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16)) for day in days]
    enrollments = []
    for person in people:
        enrollment = EnrollmentFactory(course=course, participant=person)
        for course_date in dates:
            Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
        enrollments.append(enrollment)
    for enrollment, usefulness in zip(enrollments, useful, strict=False):
        Feedback.objects.create(enrollment=enrollment, usefulness=usefulness)
    for enrollment, uses in zip(enrollments, follow_up, strict=False):
        FollowUpAnswer.objects.create(enrollment=enrollment, uses_learning=uses)
    return course


@pytest.fixture
def world(project_staff, mainz, hannover):
    """Half a year of work in the first half of 2025, done through the services on its days where
    the figures read a dated fact, and a present with open courses, measures and tasks to work on."""
    landau = AuthorityFactory(state="NI")
    staff = project_staff
    for authority, day in (
        (mainz, date(2024, 12, 1)),
        (hannover, date(2025, 2, 1)),
        (landau, date(2025, 1, 15)),
    ):
        with on(day):
            authority_services.authority_change_status(
                authority=authority, status=ParticipationStatus.PARTICIPATING, by=staff
            )
    with on(date(2025, 4, 1)):
        authority_services.authority_change_status(
            authority=landau, status=ParticipationStatus.WITHDRAWN, by=staff
        )
    processes = [
        ChangeProcessFactory(authority=mainz, started_on=date(2025, 1, 10)),
        ChangeProcessFactory(authority=hannover, started_on=date(2025, 2, 20)),
        ChangeProcessFactory(authority=landau, started_on=date(2024, 10, 1)),
    ]
    # Mainz completed its process in the period; Landau aborted its in the period.
    for process, status, day in (
        (processes[0], ProcessStatus.COMPLETED, date(2025, 6, 2)),
        (processes[2], ProcessStatus.ABORTED, date(2025, 3, 1)),
    ):
        with on(day):
            process_services.process_update(process=process, by=staff, status=status)
    measures = [MeasureFactory(process=process) for process in processes for _ in range(3)]
    for measure, day in ((measures[0], date(2025, 3, 10)), (measures[3], date(2025, 5, 5))):
        with on(day):
            process_services.measure_update(
                measure=measure, by=staff, status=MeasureStatus.DONE, progress=100
            )

    people = [UserFactory(authority=mainz) for _ in range(3)] + [
        UserFactory(authority=hannover) for _ in range(3)
    ]
    _course(date(2025, 3, 5), date(2025, 3, 6), people=people[:4], useful=(5, 4, 2, 5))
    _course(
        date(2025, 5, 20), people=people[2:], useful=(4, 3), follow_up=(UsesLearning.YES, UsesLearning.PARTLY)
    )

    network = NetworkFactory(members=[mainz, hannover])
    meeting = MeetingFactory(
        network=network, starts_at=at(date(2025, 4, 2), 10), ends_at=at(date(2025, 4, 2), 14)
    )
    for person in people[:5]:
        MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)
    minutes = MinutesFactory(meeting=meeting, published_at=at(date(2025, 4, 3), 9))
    MinutesItemFactory(minutes=minutes, done_on=date(2025, 4, 20))
    open_tasks = [MinutesItemFactory(minutes=minutes, done_on=None) for _ in range(2)]

    with on(date(2025, 2, 1)):
        documents = [
            library.document_create(
                by=staff,
                title=f"Leitfaden {n}",
                category=DocumentCategory.GUIDE,
                upload=upload_of("l.pdf", PDF_BYTES),
            )
            for n in range(2)
        ]
    for day, person in (
        (date(2025, 3, 1), people[0]),
        (date(2025, 3, 2), people[4]),
        (date(2025, 6, 1), people[1]),
    ):
        with on(day):
            library.document_download_record(document=documents[0], by=person)

    # The present: a course open for enrollment, confirmed seats in it, a past course's seats.
    upcoming = CourseFactory()
    seats = [EnrollmentFactory(course=upcoming, participant=person) for person in people[:2]]
    past_seats = list(Enrollment.objects.exclude(course=upcoming))
    return {
        "staff": staff,
        "authorities": [mainz, hannover, landau],
        "measures": measures,
        "processes": processes,
        "people": people,
        "courses": [upcoming],
        "enrollments": seats + past_seats,
        "documents": documents,
        "tasks": open_tasks,
        "network": network,
    }


def _figures(client):
    """What a funder reads of the period: every cell of the table (both states and each alone) and
    the CSV. Counted afresh: the facts must stay, not only the figures kept of the ended period."""
    cache.clear()
    cells = [
        [row.indicator.code, *[cell for column in row.columns for cell in column.cells]]
        for state in (None, "RP", "NI")
        for row in indicator_rows(**PERIOD, state=state)
    ]
    csv = client.get(reverse("reports:indicators_csv"), {k: v.isoformat() for k, v in PERIOD.items()}).content
    return cells, csv


REFUSED = (ValidationError, PermissionDenied, enrollment_services.EnrollmentRefused)


def _work(world, kind, a, b):
    """One piece of today's work through the services; a refusal is part of the work, too."""
    staff, people = world["staff"], world["people"]
    pick = lambda items, n: items[n % len(items)]  # noqa: E731
    try:
        if kind == "status":
            authority_services.authority_change_status(
                authority=pick(world["authorities"], a), status=pick(STATUSES, b), by=staff
            )
        elif kind == "measure":
            status = pick([MeasureStatus.DONE, MeasureStatus.IN_PROGRESS, MeasureStatus.PLANNED], b)
            process_services.measure_update(measure=pick(world["measures"], a), by=staff, status=status)
        elif kind == "new_measure_done":
            process_services.measure_create(
                process=pick(world["processes"], a), by=staff, title=f"Neu {b}", field="organisation",
                field_of_action="service", responsible="Leitung", status=MeasureStatus.DONE,
            )  # fmt: skip
        elif kind == "process_status":
            process = pick(world["processes"], a)
            process_services.process_update(process=process, by=staff, status=pick(PROCESS_STATUSES, b))
        elif kind == "new_process":
            process_services.process_start(
                authority=pick(world["authorities"], a),
                coach=staff,
                started_on=timezone.localdate(),
                by=staff,
            )
        elif kind == "download":
            library.document_download_record(document=pick(world["documents"], a), by=pick(people, b))
        elif kind == "enroll":
            course = pick([*world["courses"], *[e.course for e in world["enrollments"]]], a)
            enrollment_services.enrollment_create(course=course, participant=pick(people, b), by=staff)
        elif kind == "cancel":
            enrollment = pick(world["enrollments"], a)
            enrollment_services.enrollment_cancel(enrollment=enrollment, by=enrollment.participant)
        elif kind == "new_course":
            start = timezone.now().replace(microsecond=0) + timedelta(days=b % 40 - 5)
            world["courses"].append(
                course_services.course_create(
                    by=staff,
                    title=f"Neue Schulung {a}",
                    description="Heute angelegt.",
                    topic=world["courses"][0].topic,
                    target_group="Sachbearbeitung",
                    format=world["courses"][0].format,
                    location="Mainz",
                    capacity=12,
                    status=CourseStatus.PUBLISHED,
                    dates=[{"starts_at": start, "ends_at": start + timedelta(hours=3)}],
                )
            )
        elif kind == "new_document":
            library.document_create(
                by=staff, title=f"Checkliste {a}", category=DocumentCategory.CHECKLIST,
                upload=upload_of("c.pdf", PDF_BYTES),
            )  # fmt: skip
        elif kind == "task_done":
            meeting_services.task_mark_done(item=pick(world["tasks"], a), by=staff)
    except REFUSED:
        pass


WORK = st.tuples(
    st.sampled_from(
        [
            "status",
            "measure",
            "new_measure_done",
            "process_status",
            "new_process",
            "download",
            "enroll",
            "cancel",
            "new_course",
            "new_document",
            "task_done",
        ]
    ),
    st.integers(0, 50),
    st.integers(0, 50),
)


def test_a_past_period_s_figures_stay_the_same_whatever_is_done_today(world, client_for):
    client = client_for(world["staff"])
    before = _figures(client)
    assert any(cell not in ("0", "–") for row in before[0] for cell in row[1:]), "the past holds figures"

    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(work=st.lists(WORK, min_size=1, max_size=8))
    def today(work):
        savepoint = transaction.savepoint_create()
        try:
            for piece in work:
                _work(world, *piece)
            assert _figures(client) == before
        finally:
            transaction.savepoint_rollback(savepoint)

    today()
