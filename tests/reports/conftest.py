"""The reporting period most report tests use (the first half of 2026, due at the end of August), and
a year (2025) with events of one state and of both (`both_states`)."""

from datetime import date
from unittest import mock

import pytest
from django.utils import timezone

from authorities.models import MeasureStatus, ParticipationStatus, ProcessStatus, StatusChange
from authorities.services import process as process_services
from network.models import Document, DocumentCategory, DocumentDownload
from portal.reports.models import FundingProject, PeriodKind, ReportingPeriod
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
from tests.helpers import at
from training.models import Attendance, CourseStatus, Feedback, FollowUpAnswer, OpenTo, UsesLearning


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(
        title="Zwischenbericht 2026",
        kind=PeriodKind.INTERIM,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        due_on=date(2026, 8, 31),
    )


@pytest.fixture
def funding_project(db):
    """The current funding project the finances belong to: 2025 to 2027."""
    from portal.reports.models import FundingProject, Programme

    return FundingProject.objects.create(
        title="Willkommenskultur in Ausländerbehörden",
        programme=Programme.AMIF_2021_2027,
        beneficiary="ism Mainz",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        is_current=True,
    )


def course_for(day, open_to, people):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED, open_to=open_to)
    course_date = CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16))
    for person in people:
        enrollment = EnrollmentFactory(course=course, participant=person)
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
        Feedback.objects.create(enrollment=enrollment, usefulness=5)
        FollowUpAnswer.objects.create(enrollment=enrollment, uses_learning=UsesLearning.YES)


def meeting_for(day, network, people):
    meeting = MeetingFactory(network=network, starts_at=at(day, 10), ends_at=at(day, 14))
    for person in people:
        MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)
    MinutesItemFactory(minutes=MinutesFactory(meeting=meeting), done_on=day)


@pytest.fixture
def both_states(mainz, hannover, project_staff):
    """A year with events of one state and events of both."""
    trier = AuthorityFactory(state="RP")
    for authority in (mainz, hannover, trier):
        StatusChange.objects.create(
            authority=authority, to_status=ParticipationStatus.PARTICIPATING, day=date(2025, 2, 1)
        )
        MeasureFactory(
            process=ChangeProcessFactory(authority=authority, started_on=date(2025, 3, 1)),
            status=MeasureStatus.DONE,
            done_on=date(2025, 5, 1),
        )
    completed = ChangeProcessFactory(authority=AuthorityFactory(state="NI"), started_on=date(2025, 1, 10))
    moment = at(date(2025, 9, 1), 10)
    with mock.patch.object(timezone, "now", lambda: moment):
        process_services.process_update(process=completed, by=project_staff, status=ProcessStatus.COMPLETED)
    rp = [UserFactory(authority=mainz) for _ in range(3)] + [UserFactory(authority=trier)]
    ni = [UserFactory(authority=hannover) for _ in range(3)]
    course_for(date(2025, 4, 1), OpenTo.BOTH, rp[:2] + ni[:2])
    course_for(date(2025, 4, 8), OpenTo.RP, rp[2:])
    course_for(date(2025, 4, 9), OpenTo.NI, ni[2:])
    meeting_for(date(2025, 6, 3), NetworkFactory(members=[mainz, hannover]), rp[:3] + ni)
    meeting_for(date(2025, 6, 10), NetworkFactory(members=[mainz, trier]), rp)
    document = Document.objects.create(
        title="Leitfaden",
        category=DocumentCategory.GUIDE,
        file="library/leitfaden.pdf",
        original_name="leitfaden.pdf",
        content_type="application/pdf",
        size=100,
        uploaded_by=project_staff,
    )
    Document.objects.filter(pk=document.pk).update(uploaded_at=at(date(2025, 2, 1), 9))
    for person in (rp[0], ni[0]):
        DocumentDownload.objects.create(document=document, user=person, day=date(2025, 7, 1))


@pytest.fixture
def current_project(db):
    """The project the portal reports for, with both halves of 2025 and a period not yet begun."""
    project = FundingProject.objects.create(
        title="Willkommenskultur (Test)",
        programme="amif-2021-2027",
        beneficiary="Institut (Test)",
        starts_on=date(2025, 1, 1),
        ends_on=date(2099, 12, 31),
        is_current=True,
    )
    for title, starts_on, ends_on in [
        ("1. Halbjahr 2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("2. Halbjahr 2025", date(2025, 7, 1), date(2025, 12, 31)),
        ("Später", date(2099, 1, 1), date(2099, 6, 30)),
    ]:
        ReportingPeriod.objects.create(
            project=project,
            title=title,
            kind=PeriodKind.INTERIM,
            starts_on=starts_on,
            ends_on=ends_on,
            due_on=ends_on,
        )
    return project
