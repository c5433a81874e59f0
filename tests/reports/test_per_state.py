"""Per-state figures (issue 15): every event belongs to the states of its participating authorities.
A course open to both states, a meeting of a network with members in both and the project's library
count in each state and once overall, so the states add up to more than the total; the table says so
in a footnote, and for every counting indicator overall = RP + NI − counted in both."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import MeasureStatus, ParticipationStatus, ProcessStatus, StatusChange
from authorities.services import process as process_services
from network.models import Document, DocumentCategory, DocumentDownload
from portal.reports.computations import IN_BOTH, REGISTRY, compute
from portal.reports.indicator_table import SHARE_BASES
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

YEAR = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
COUNTS = [key for key in REGISTRY if key not in SHARE_BASES]


def _course(day, open_to, people):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED, open_to=open_to)
    course_date = CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16))
    for person in people:
        enrollment = EnrollmentFactory(course=course, participant=person)
        Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
        Feedback.objects.create(enrollment=enrollment, usefulness=5)
        FollowUpAnswer.objects.create(enrollment=enrollment, uses_learning=UsesLearning.YES)


def _meeting(day, network, people):
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
    _course(date(2025, 4, 1), OpenTo.BOTH, rp[:2] + ni[:2])
    _course(date(2025, 4, 8), OpenTo.RP, rp[2:])
    _course(date(2025, 4, 9), OpenTo.NI, ni[2:])
    _meeting(date(2025, 6, 3), NetworkFactory(members=[mainz, hannover]), rp[:3] + ni)
    _meeting(date(2025, 6, 10), NetworkFactory(members=[mainz, trier]), rp)
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


def test_every_counting_indicator_adds_up_overall_equals_rp_plus_ni_minus_counted_in_both(both_states):
    for key in COUNTS:
        overall, rp, ni, in_both = (
            compute(key, **YEAR, state=state) for state in (None, "RP", "NI", IN_BOTH)
        )
        assert overall == rp + ni - in_both, (key, overall, rp, ni, in_both)
        assert overall > 0, key  # the identity is tested on real figures


def test_what_counts_in_both_states_is_a_shared_event_never_a_person_or_an_authority(both_states):
    in_both = {key: compute(key, **YEAR, state=IN_BOTH) for key in COUNTS}
    assert {key for key, value in in_both.items() if value} == {
        "courses_held",
        "meetings_held",
        "minutes_tasks_done",
        "documents_published",
        "documents_downloaded",
    }
    assert (in_both["courses_held"], in_both["meetings_held"], in_both["minutes_tasks_done"]) == (1, 1, 1)


def test_the_table_explains_in_a_footnote_when_an_event_counts_in_both_states(
    both_states, client_for, funder
):
    query = {key: value.isoformat() for key, value in YEAR.items()}
    page = client_for(funder).get(reverse("reports:indicators"), query).text
    assert "Gesamt = Rheinland-Pfalz + Niedersachsen − in beiden Ländern gezählt" in page
    assert 'href="#fussnote-beide-laender"' in page

    csv = client_for(funder).get(reverse("reports:indicators_csv"), query).content.decode("utf-8-sig")
    assert "in beiden Ländern gezählt" in csv


def test_no_footnote_when_every_event_belongs_to_one_state(mainz, client_for, funder):
    StatusChange.objects.create(
        authority=mainz, to_status=ParticipationStatus.PARTICIPATING, day=date(2025, 2, 1)
    )
    _course(date(2025, 4, 8), OpenTo.RP, [UserFactory(authority=mainz)])
    query = {key: value.isoformat() for key, value in YEAR.items()}
    page = client_for(funder).get(reverse("reports:indicators"), query).text
    assert "in beiden Ländern gezählt" not in page
