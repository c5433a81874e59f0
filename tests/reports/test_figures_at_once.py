"""The indicator page reads every figure at once (issue 15: 117 queries): `compute_many` counts the
rows of all cells in one statement. It must give the same numbers as computing each cell alone, for
every computation, state and period, also as of a moment."""

from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.reports.computations import IN_BOTH, REGISTRY, compute, compute_many
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    NetworkFactory,
    UserFactory,
)
from tests.helpers import at, page_queries
from training.models import Attendance, CourseStatus

RANGES = [
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2025, 4, 1), date(2025, 6, 30)),
    (date(2025, 6, 3), date(2025, 6, 3)),
    (date(2024, 1, 1), date(2024, 12, 31)),
]


def _cells():
    future = timezone.localdate() + timedelta(days=3)
    ranges = [*RANGES, (future, future + timedelta(days=30))]
    return [
        (key, date_from, date_to, state)
        for key in REGISTRY
        for date_from, date_to in ranges
        for state in (None, "RP", "NI", IN_BOTH)
    ]


def test_many_cells_at_once_give_what_each_gives_alone(both_states):
    cells = _cells()
    alone = [compute(key, date_from=f, date_to=t, state=s) for key, f, t, s in cells]
    assert any(alone)
    assert compute_many(cells) == alone


def test_many_cells_read_as_of_a_moment_give_what_each_gives_then(both_states):
    moment = at(date(2025, 6, 3), 12)  # the Netzwerktreffen of that day is still running
    cells = _cells()
    alone = [compute(key, date_from=f, date_to=t, state=s, as_of=moment) for key, f, t, s in cells]
    assert compute_many(cells, as_of=moment) == alone


def test_every_cell_of_a_table_in_four_queries(both_states):
    cells = [(key, *RANGES[0], state) for key in REGISTRY for state in (None, "RP", "NI")]
    with CaptureQueriesContext(connection) as queries:
        compute_many(cells)
    # One statement counts the grouped figures (every computation but two) for every period and state,
    # no count of rows per cell is left; the processes completed read the change history; the survey's
    # indicators read the answers by wave and day once for all their cells (two queries).
    assert len(queries) == 4


def _ten_times(mainz, hannover):
    """Nine more of everything the year holds: courses of both states, meetings, people, downloads."""
    network = NetworkFactory(members=[mainz, hannover])
    for n in range(9):
        day = date(2025, 3, 1) + timedelta(days=7 * n)
        course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
        course_date = CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16))
        meeting = MeetingFactory(network=network, starts_at=at(day, 10), ends_at=at(day, 14))
        for authority in (mainz, hannover):
            person = UserFactory(authority=authority)
            enrollment = EnrollmentFactory(course=course, participant=person)
            Attendance.objects.create(enrollment=enrollment, course_date=course_date, present=True)
            MeetingRegistrationFactory(meeting=meeting, participant=person, attended=True)


def test_the_indicator_page_runs_at_most_20_queries_whatever_the_data(
    both_states, current_project, client_for, funder, mainz, hannover
):
    client = client_for(funder)
    year = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    client.get(reverse("reports:indicators"), year)  # the session is settled
    cache.clear()  # counted cold, as the bench counts: no figure from the cache
    once = page_queries(client, reverse("reports:indicators"), year)
    _ten_times(mainz, hannover)
    cache.clear()
    assert page_queries(client, reverse("reports:indicators"), year) == once <= 20
