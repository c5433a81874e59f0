"""Per-state figures (issue 15): every event belongs to the states of its participating authorities.
A course open to both states, a meeting of a network with members in both and the project's library
count in each state and once overall, so the states add up to more than the total; the table says so
in a footnote, and for every counting indicator overall = RP + NI − counted in both."""

from datetime import date

from django.urls import reverse

from authorities.models import ParticipationStatus, StatusChange
from portal.reports.computations import IN_BOTH, REGISTRY, compute
from portal.reports.indicator_table import SHARE_BASES
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    EnrollmentFactory,
    UserFactory,
)
from tests.helpers import at
from training.models import Attendance, CourseStatus, OpenTo

YEAR = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
# The survey's figures rest on waves of one authority each, so they count in one state and never in
# both; tests/reports/test_survey_indicators.py checks them per state.
COUNTS = [key for key in REGISTRY if key not in SHARE_BASES and not key.startswith("survey_")]


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
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED, open_to=OpenTo.RP)
    day = CourseDateFactory(
        course=course, starts_at=at(date(2025, 4, 8), 9), ends_at=at(date(2025, 4, 8), 16)
    )
    enrollment = EnrollmentFactory(course=course, participant=UserFactory(authority=mainz))
    Attendance.objects.create(enrollment=enrollment, course_date=day, present=True)
    query = {key: value.isoformat() for key, value in YEAR.items()}
    page = client_for(funder).get(reverse("reports:indicators"), query).text
    assert "in beiden Ländern gezählt" not in page
